"""Findings of the s13 user trial of the native Python API (an ISP's glue between a
RADIUS server, BNGs and a captive portal), each pinned by a test: salts unique per
attribute, hidden values read without a doubled tag octet, tagged and lower-case names
read as `build` takes them, any mapping of attributes, RadSec replies whose hidden
values reveal and whose TLS refusals say so in words, CoA plans sent through the UDP
clients, `AsyncClient.connect(bind=)`, and stubs that take what the runtime takes."""

from __future__ import annotations

import asyncio
import collections.abc
import datetime
import pathlib
import socket
import textwrap
import threading
import types
from collections.abc import Iterator
from typing import Any

import pytest
from test_radsec import _make_ca, _make_leaf

import nacwire
from conftest import SECRET
from nacwire import nac, radius, radsec

REQUEST = radius.build("Access-Request", SECRET, {"User-Name": "bob", "User-Password": "hello"})


def _raw_attributes(data: bytes) -> list[tuple[int, bytes]]:
    """The top-level attributes of a packet's bytes, as (type, value)."""
    out, i = [], 20
    while i < len(data):
        t, n = data[i], data[i + 1]
        out.append((t, data[i + 2 : i + n]))
        i += n
    return out


# --- salts ---------------------------------------------------------------------------


def test_each_salt_encrypted_attribute_gets_its_own_salt() -> None:
    # RFC 2868 §3.5: each Tunnel-Password of a packet has a unique salt; the same salt
    # twice is the same keystream twice (XOR of the two ciphertexts = XOR of the
    # passwords). One random salt per packet was used for all of them.
    answer = radius.reply(
        REQUEST,
        "Access-Accept",
        SECRET,
        [
            ("Tunnel-Password:1", "first"),
            ("Tunnel-Password:2", "second"),
            ("Tunnel-Password", "third"),
        ],
    )
    salts = [value[1:3] for t, value in _raw_attributes(bytes(answer)) if t == 69]
    assert len(salts) == 3
    assert len(set(salts)) == 3, salts
    assert all(s[0] & 0x80 for s in salts), "the salt's top bit is set"
    # and each still reveals
    got = radius.Packet.decode(bytes(answer), secret=SECRET, request=REQUEST)
    assert got.get_all("Tunnel-Password") == [(1, "first"), (2, "second"), "third"]


def test_an_explicit_salt_is_the_first_and_the_next_ones_follow() -> None:
    answer = radius.reply(
        REQUEST,
        "Access-Accept",
        SECRET,
        [("Tunnel-Password:1", "a"), ("Tunnel-Password:2", "b")],
        salt=0x8001,
    )
    salts = [value[1:3] for t, value in _raw_attributes(bytes(answer)) if t == 69]
    assert salts == [b"\x80\x01", b"\x80\x02"]
    # a salt at the top of the range wraps within the top-bit-set values
    answer = radius.reply(
        REQUEST,
        "Access-Accept",
        SECRET,
        [("Tunnel-Password:1", "a"), ("Tunnel-Password:2", "b")],
        salt=0xFFFF,
    )
    salts = [value[1:3] for t, value in _raw_attributes(bytes(answer)) if t == 69]
    assert salts == [b"\xff\xff", b"\x80\x00"]


# --- reading -------------------------------------------------------------------------


def test_an_unrevealed_hidden_value_does_not_repeat_its_tag_octet() -> None:
    answer = radius.reply(
        REQUEST, "Access-Accept", SECRET, [("Tunnel-Password:2", "pw"), ("Tunnel-Password", "x")]
    )
    wire = [value for t, value in _raw_attributes(bytes(answer)) if t == 69]
    # without the request, the reply's hidden values cannot be revealed
    for packet in (
        radius.Packet.decode(bytes(answer)),
        radius.Packet.decode(bytes(answer), secret=SECRET),
    ):
        # the tag is given apart, as for a revealed one: the octets are salt + ciphertext
        assert packet.get_all("Tunnel-Password") == [(2, wire[0][1:]), wire[1][1:]]
        assert [a[2:] for a in packet.attributes() if a[0] == "Tunnel-Password"] == [
            (2, wire[0][1:]),
            (None, wire[1][1:]),
        ]
        # as text() prints them
        assert f"Tunnel-Password:2 = 0x{wire[0][1:].hex()}" in packet.text(reveal=True)


def test_names_read_as_build_takes_them_tags_and_any_case() -> None:
    p = radius.build(
        "Access-Accept",
        SECRET,
        [
            ("Tunnel-Type:1", "VLAN"),
            ("Tunnel-Private-Group-Id:1", "100"),
            ("Tunnel-Type:3", "GRE"),
            ("Tunnel-Private-Group-Id", "untagged"),
            ("user-name", "bob"),
        ],
    )
    # build took "Tunnel-Type:1" and "user-name": reading takes them too
    assert p["Tunnel-Type:1"] == 13 and str(p["Tunnel-Type:1"]) == "VLAN"
    assert p.get_all("Tunnel-Type:3") == [10]
    assert p.get("Tunnel-Type:2") is None and "Tunnel-Type:2" not in p
    assert p["Tunnel-Private-Group-Id:1"] == "100"
    assert p["Tunnel-Private-Group-Id:0"] == "untagged"  # :0 is no tag, as in text()
    assert p["tunnel-private-group-id:1"] == "100"
    assert p["user-name"] == p["USER-NAME"] == "bob" and "User-NAME" in p
    # without a tag in the key, values stay (tag, value)
    assert p.get_all("Tunnel-Type") == [(1, 13), (3, 10)]
    with pytest.raises(KeyError):
        p["User-Name:1"]  # not a tagged attribute: no such value


def test_a_bool_is_not_an_attribute_key() -> None:
    p = radius.build("Access-Request", SECRET, {"User-Name": "bob"})
    for read in (p.get, p.get_all, p.__getitem__, p.__contains__):
        with pytest.raises(TypeError, match="not a bool"):
            read(True)  # type: ignore[operator]


def test_attributes_from_any_mapping() -> None:
    class Attributes(collections.abc.Mapping[str, Any]):
        def __init__(self, d: dict[str, Any]) -> None:
            self.d = d

        def __getitem__(self, k: str) -> Any:
            return self.d[k]

        def __iter__(self) -> Iterator[str]:
            return iter(self.d)

        def __len__(self) -> int:
            return len(self.d)

    for attributes in (
        types.MappingProxyType({"User-Name": "bob", "Class": [b"a", b"b"]}),
        Attributes({"User-Name": "bob", "Class": [b"a", b"b"]}),
    ):
        p = radius.build("Access-Request", SECRET, attributes)
        assert p["User-Name"] == "bob" and p.get_all("Class") == [b"a", b"b"]


def test_a_wrong_value_type_reads_in_english() -> None:
    with pytest.raises(nacwire.BuildError, match="User-Name: an int is not a valid string value"):
        radius.build("Access-Request", SECRET, {"User-Name": 5})


# --- CoA plans through the UDP clients ------------------------------------------------


@pytest.fixture
def nas() -> Iterator[tuple[int, list[radius.Packet]]]:
    """A CoA responder written with the API: verifies each request, answers a
    Disconnect with an ACK, a CoA naming a Cisco service with a NAK
    (Session-Context-Not-Found), any other CoA with an ACK."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.05)
    seen: list[radius.Packet] = []
    stop = threading.Event()
    cache = radius.DuplicateCache()

    def serve() -> None:
        while not stop.is_set():
            try:
                data, peer = sock.recvfrom(4096)
            except TimeoutError:
                continue
            request = radius.Packet.decode(data, secret=SECRET)
            request.verify_request(SECRET)
            cached = cache.check(peer, request)
            if isinstance(cached, bytes):
                sock.sendto(cached, peer)
                continue
            seen.append(request)
            if request.code_name == "Disconnect-Request":
                answer = radius.reply(request, "Disconnect-ACK", SECRET)
            elif "Cisco-AVPair" in request:
                answer = radius.reply(
                    request, "CoA-NAK", SECRET, {"Error-Cause": "Session-Context-Not-Found"}
                )
            else:
                answer = radius.reply(request, "CoA-ACK", SECRET)
            cache.store_reply(peer, request, bytes(answer))
            sock.sendto(bytes(answer), peer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield int(sock.getsockname()[1]), seen
    finally:
        stop.set()
        thread.join()
        sock.close()


SESSION = nac.Session(
    nas_ip="127.0.0.1",
    acct_session_id="0A1B2C3D-00000042",
    calling_station=nac.MacAddress("b0:ee:7b:97:7f:33"),
    user_name="bob",
)


def test_udp_client_sends_a_plan_and_says_what_the_reply_means(
    nas: tuple[int, list[radius.Packet]],
) -> None:
    port, seen = nas
    cisco = nac.Profile.get("cisco-ios")
    with radius.UdpClient("127.0.0.1", port, SECRET, timeout=0.5) as client:
        plan = cisco.plan(SESSION, nac.Intent.reauthenticate("last"), now=1_800_000_000)
        outcome = client.send_plan(plan)
        assert not outcome.is_success and outcome.kind == "session_not_found"
        assert [c.name for c in outcome.causes] == ["Session-Context-Not-Found"]
        # the NAS got exactly the planned attributes (Message-Authenticator as planned)
        sent = seen[-1]
        expected = plan.packet(0, SECRET)
        assert sent.code_name == "CoA-Request"
        assert sent.items()[1:] == expected.items()[1:]
        assert ("Message-Authenticator" in sent) == plan.message_authenticator
        outcome = client.send_plan(cisco.plan(SESSION, nac.Intent.disconnect()))
        assert outcome.is_success and outcome.kind == "applied"


def test_async_client_sends_a_plan(nas: tuple[int, list[radius.Packet]]) -> None:
    port, seen = nas

    async def main() -> list[nac.Outcome]:
        async with await radius.AsyncClient.connect("127.0.0.1", port, SECRET, timeout=0.5) as c:
            aruba = nac.Profile.get("aruba-cx")
            return list(
                await asyncio.gather(
                    c.send_plan(aruba.plan(SESSION, nac.Intent.change_role("guest"))),
                    c.send_plan(aruba.plan(SESSION, nac.Intent.disconnect())),
                )
            )

    role, gone = asyncio.run(main())
    assert role.is_success and gone.is_success
    assert sorted(p.code_name for p in seen) == ["CoA-Request", "Disconnect-Request"]
    assert any(p.get("Aruba-User-Role") == "guest" for p in seen)


def test_async_client_connect_takes_bind_as_udp_client_does() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as peer:
        peer.bind(("127.0.0.1", 0))
        peer.settimeout(2)
        port = peer.getsockname()[1]
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.bind(("127.0.0.1", 0))
            local = probe.getsockname()[1]

        async def main() -> tuple[str, int]:
            async with await radius.AsyncClient.connect(
                "127.0.0.1", port, SECRET, timeout=0.2, retries=0, bind=("127.0.0.1", local)
            ) as c:
                with pytest.raises(nacwire.Timeout, match=r"to Access-Request id \d+"):
                    await c.request("Access-Request", {"User-Name": "bob"})
            _, source = peer.recvfrom(4096)
            return source  # type: ignore[no-any-return]

        assert asyncio.run(main()) == ("127.0.0.1", local)

    async def unbindable() -> None:
        await radius.AsyncClient.connect("127.0.0.1", 1812, SECRET, bind=("192.0.2.1", 0))

    with pytest.raises(nacwire.TransportError, match="cannot bind to"):
        asyncio.run(unbindable())


# --- RadSec ---------------------------------------------------------------------------


def _tunnel(request: radius.Packet, info: dict[str, Any]) -> Any:
    return ("Access-Accept", [("Tunnel-Password:1", "tunnel-pw"), ("Reply-Message", "hi")])


@pytest.mark.parametrize("transport", ["tcp", "tls"])
def test_radsec_radius_1_0_reply_reveals_its_hidden_values(
    transport: str, pki: pathlib.Path
) -> None:
    tls = {
        "tcp": ({}, {}),
        "tls": (
            {"cert": pki / "server.pem", "key": pki / "server.key", "ca": pki / "ca.pem"},
            {
                "ca": pki / "ca.pem",
                "cert": pki / "client.pem",
                "key": pki / "client.key",
                "alpn": "forbid",
            },
        ),
    }[transport]
    secret = {"secrets": {"127.0.0.1": SECRET}} if transport == "tcp" else {}
    with (
        radsec.RadSecServer(
            ("127.0.0.1", 0),
            _tunnel,
            transport=transport,  # type: ignore[arg-type]
            **secret,  # type: ignore[arg-type]
            **tls[0],  # type: ignore[arg-type]
        ) as server,
        radsec.RadSecClient(
            *server.address,
            transport=transport,  # type: ignore[arg-type]
            secret=SECRET if transport == "tcp" else None,
            timeout=2.0,
            **tls[1],  # type: ignore[arg-type]
        ) as client,
    ):
        reply = client.request("Access-Request", {"User-Name": "bob", "User-Password": "x"})
        assert client.version == "1.0"
        assert reply["Tunnel-Password"] == (1, "tunnel-pw")
        assert "tunnel-pw" in reply.text(reveal=True)


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    d = tmp_path_factory.mktemp("pki-s13")
    _make_ca(d, "ca")
    _make_leaf(d, "ca", "server", "IP:127.0.0.1,DNS:localhost", "serverAuth")
    _make_leaf(d, "ca", "client", "DNS:nas.example", "clientAuth")
    return d


def test_radsec_tls_refusals_are_transport_errors_in_words(pki: pathlib.Path) -> None:
    with radsec.RadSecServer(
        ("127.0.0.1", 0),
        _tunnel,
        cert=pki / "server.pem",
        key=pki / "server.key",
        ca=pki / "ca.pem",
    ) as server:
        host, port = server.address
        # no client certificate: under TLS 1.3 the server's refusal arrives after the
        # request was sent; it is still a TLS failure, not a lost request
        with radsec.RadSecClient(host, port, ca=pki / "ca.pem", timeout=2.0) as c:
            with pytest.raises(nacwire.TransportError) as refused:
                c.request("Access-Request", {"User-Name": "bob"})
        text = str(refused.value)
        assert "TLS" in text and f"{host}:{port}" in text
        assert "AlertReceived(" not in text and "Tls(" not in text, text
        # a server certificate for another name
        with radsec.RadSecClient(
            host,
            port,
            ca=pki / "ca.pem",
            cert=pki / "client.pem",
            key=pki / "client.key",
            server_name="radius.example.net",
            timeout=2.0,
        ) as c:
            with pytest.raises(nacwire.TransportError) as refused:
                c.request("Access-Request", {"User-Name": "bob"})
        text = str(refused.value)
        assert "TLS" in text and "radius.example.net" in text
        assert "InvalidCertificate(" not in text and "Tls(" not in text, text


# --- stubs ---------------------------------------------------------------------------


def test_stubs_take_what_the_runtime_takes(tmp_path: pathlib.Path) -> None:
    # (mypy is pinned in every test venv of scripts/test.sh: missing, this fails)
    from mypy import api

    script = tmp_path / "user.py"
    script.write_text(
        textwrap.dedent(
            """
            from nacwire import nac, radius

            secret = radius.Secret(b"testing123")
            attributes = {"User-Name": "bob", "User-Password": "hello"}
            request = radius.build("Access-Request", secret, attributes)
            numbered = {1: "bob"}
            radius.build("Access-Request", secret, numbered)
            answer = radius.reply(request, "Access-Accept", secret, {"Reply-Message": "hi"})
            session = nac.Session(nas_ip="192.0.2.10", acct_session_id="42")
            plan = nac.Profile.get("cisco-ios").plan(session, nac.Intent.disconnect())
            wire: bytes = plan.encode(1, secret)
            outcome: nac.Outcome = plan.outcome(wire, answer, secret)

            def send(client: radius.UdpClient) -> nac.Outcome:
                return client.send_plan(plan)

            async def send_async(client: radius.AsyncClient) -> nac.Outcome:
                return await client.send_plan(plan)

            async def bound() -> radius.AsyncClient:
                return await radius.AsyncClient.connect(
                    "192.0.2.10", 3799, secret, bind=("0.0.0.0", 0)
                )
            """
        )
    )
    out, err, status = api.run(
        ["--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), str(script)]
    )
    assert status == 0, out + err


# --- ports ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("port", "error", "message"),
    [
        (70000, ValueError, "port is 0..=65535, not 70000"),  # was sent to port 4464
        (-1, ValueError, "port is 0..=65535, not -1"),  # was "cannot resolve the host"
        (True, TypeError, "port is an int, not bool"),
        ("1812", TypeError, "port is an int, not str"),
    ],
)
def test_udp_clients_check_the_port_as_the_native_classes_do(
    port: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        radius.UdpClient("127.0.0.1", port, SECRET)

    async def connect() -> None:
        await radius.AsyncClient.connect("127.0.0.1", port, SECRET)

    with pytest.raises(error, match=message):
        asyncio.run(connect())


# --- dictionaries --------------------------------------------------------------------


def test_an_unreadable_dictionary_says_why(tmp_path: pathlib.Path) -> None:
    missing = tmp_path / "dictionary.site"
    with pytest.raises(nacwire.DictionaryError) as e:
        radius.Dictionary.load(missing)
    assert str(e.value) == f"{missing}: cannot be read: No such file or directory (os error 2)"
    assert isinstance(e.value.__cause__, FileNotFoundError)
    assert (e.value.file, e.value.line) == (str(missing), 0)
    # a directory without a dictionary file names the file it looked for
    with pytest.raises(nacwire.DictionaryError, match="dictionary: cannot be read: No such"):
        radius.Dictionary.load(tmp_path)
    # an error inside a file that reads is kept as it is
    (tmp_path / "dictionary").write_text("ATTRIBUTE Foo 1 integr\n")
    with pytest.raises(nacwire.DictionaryError, match="unknown data type") as e:
        radius.Dictionary.load(tmp_path)
    assert e.value.__cause__ is None


def test_a_site_dictionary_on_top_replaces_attributes_and_refuses_vendors() -> None:
    # as the README says (it said a name defined differently raised DictionaryError)
    tree = radius.Dictionary.builtin()
    site = radius.Dictionary.parse("ATTRIBUTE Filter-Id 11 integer\n", on=tree)
    attribute = site.attribute("Filter-Id")
    assert attribute is not None and attribute.data_type == "integer"
    with pytest.raises(nacwire.DictionaryError, match="duplicate"):
        radius.Dictionary.parse("VENDOR Cisco 99999\n", on=tree)


def test_a_value_too_long_to_hide_names_its_attribute_and_the_limit() -> None:
    with pytest.raises(nacwire.BuildError) as e:
        radius.build("Access-Request", SECRET, {"User-Password": "x" * 200})
    assert str(e.value).startswith("User-Password: 200 octets are too many to hide")
    assert "at most 128" in str(e.value) and e.value.attribute == "User-Password"
    assert "x" * 20 not in str(e.value)  # never the secret value itself


def test_an_unknown_destination_is_named() -> None:
    client = radius.Client()
    client.add_destination("nas-1", SECRET)
    with pytest.raises(nacwire.ExchangeError, match=r"destination 'nas-2'.*add_destination"):
        client.send("nas-2", "Access-Request", {"User-Name": "bob"})
    with pytest.raises(nacwire.ExchangeError, match=r"unknown destination 'nas-2'"):
        client.receive("nas-2", bytes(radius.reply(REQUEST, "Access-Accept", SECRET)))


# --- hidden values in the clients' replies ---------------------------------------------


def test_the_client_exchange_reveals_hidden_values_of_replies() -> None:
    # an ISP's VLAN/VPN replies carry Tunnel-Password and the MS-MPPE keys: the
    # client's reply packets came without the secret, so they read as ciphertext
    client = radius.Client()
    client.add_destination("radius", SECRET)
    sent = client.send("radius", "Access-Request", {"User-Name": "bob", "User-Password": "hello"})
    assert sent["User-Password"] == "hello"  # as build()'s packet reads it
    answer = radius.reply(
        sent,
        "Access-Accept",
        SECRET,
        [("Tunnel-Password:1", "vlan-key"), ("MS-MPPE-Recv-Key", b"k" * 32)],
    )
    event = client.receive("radius", bytes(answer))
    assert event.kind == "reply" and event.reply is not None and event.request is not None
    assert event.reply["Tunnel-Password"] == (1, "vlan-key")
    assert event.reply["MS-MPPE-Recv-Key"] == b"k" * 32
    assert event.request["User-Password"] == "hello"
    assert "<secret>" in repr(event.reply) and "vlan-key" not in repr(event.reply)


def test_udp_client_replies_reveal_hidden_values() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))

    def serve() -> None:
        data, peer = sock.recvfrom(4096)
        request = radius.Packet.decode(data)
        answer = radius.reply(request, "Access-Accept", SECRET, {"Tunnel-Password": "vlan-key"})
        sock.sendto(bytes(answer), peer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with radius.UdpClient("127.0.0.1", sock.getsockname()[1], SECRET, timeout=1) as c:
            reply = c.request("Access-Request", {"User-Name": "bob"})
        assert reply["Tunnel-Password"] == "vlan-key"
    finally:
        thread.join(5)
        sock.close()


def test_async_client_queues_requests_past_256_in_flight() -> None:
    # asyncio.gather over 300 users failed 44 of them at once with ExchangeError
    # ("all 256 Identifiers ... are in use"): the rest now wait for a free Identifier
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.05)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                data, peer = sock.recvfrom(4096)
            except TimeoutError:
                continue
            request = radius.Packet.decode(data)
            sock.sendto(bytes(radius.reply(request, "Access-Accept", SECRET)), peer)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()

    async def main() -> list[str]:
        port = sock.getsockname()[1]
        async with await radius.AsyncClient.connect("127.0.0.1", port, SECRET, timeout=2) as c:
            replies = await asyncio.gather(
                *(c.request("Access-Request", {"User-Name": f"user{i}"}) for i in range(300))
            )
        return [r.code_name for r in replies]

    try:
        assert asyncio.run(main()) == ["Access-Accept"] * 300
    finally:
        stop.set()
        thread.join()
        sock.close()


def test_send_plan_sends_the_plans_own_bytes(nas: tuple[int, list[radius.Packet]]) -> None:
    # tags, vendor attributes and "241.N" extended numbers convert as plan.encode has them
    port, seen = nas
    intent = nac.Intent.raw(
        "coa",
        [(64, 13, 1), ((9, 1), "a=b"), (81, "100", 1), ("241.8", b"xyz"), ((14122, 1), b"x")],
    )
    plan = nac.Profile.get("generic").plan(SESSION, intent, now=1_800_000_000)
    with radius.UdpClient("127.0.0.1", port, SECRET, timeout=0.5) as client:
        outcome = client.send_plan(plan)
    assert outcome.kind == "session_not_found"  # the responder NAKs a Cisco-AVPair
    sent = seen[-1]
    assert bytes(sent) == plan.encode(sent.identifier, SECRET)


def test_radsec_tcp_server_needs_secrets_and_says_which_key_is_wrong() -> None:
    def handler(request: radius.Packet, info: dict[str, Any]) -> Any:
        return "Access-Accept"

    # without secrets every TCP connection was closed at its first request, the
    # client told only "the server closed the connection"
    with pytest.raises(ValueError, match=r"RADIUS over TCP needs secrets="):
        radsec.RadSecServer(("127.0.0.1", 0), handler, transport="tcp")
    with pytest.raises(ValueError, match=r"RADIUS over TCP needs secrets="):
        radsec.RadSecServer(("127.0.0.1", 0), handler, transport="tcp", secrets={})
    with pytest.raises(ValueError, match=r"'localhost' is not an IP address|\"localhost\""):
        radsec.RadSecServer(
            ("127.0.0.1", 0), handler, transport="tcp", secrets={"localhost": SECRET}
        )
    with pytest.raises(TypeError, match="not int keys"):
        radsec.RadSecServer(
            ("127.0.0.1", 0),
            handler,
            transport="tcp",
            secrets={1: SECRET},  # type: ignore[dict-item]
        )


def test_radsec_a_connection_closed_for_a_wrong_secret_says_what_it_may_mean() -> None:
    def handler(request: radius.Packet, info: dict[str, Any]) -> Any:
        return "Access-Accept"

    with (
        radsec.RadSecServer(
            ("127.0.0.1", 0), handler, transport="tcp", secrets={"127.0.0.1": SECRET}
        ) as server,
        radsec.RadSecClient(
            *server.address, transport="tcp", secret=b"not the secret", timeout=2.0
        ) as client,
    ):
        with pytest.raises(nacwire.Timeout, match="wrong shared secret"):
            client.request("Access-Request", {"User-Name": "bob", "User-Password": "x"})


# --- times ---------------------------------------------------------------------------


def test_a_naive_datetime_is_refused_not_read_in_the_local_zone() -> None:
    # datetime(2026, 1, 1) was sent as 05:00 UTC on a machine in New York (Python's
    # timestamp() of a naive datetime is local time), and read back as UTC
    naive = datetime.datetime(2026, 1, 1)
    with pytest.raises(ValueError, match="naive datetime"):
        radius.build("Accounting-Request", SECRET, {"Event-Timestamp": naive})
    session = nac.Session(nas_ip="192.0.2.10", acct_session_id="42")
    with pytest.raises(ValueError, match="naive datetime"):
        nac.Profile.get("generic").plan(session, nac.Intent.disconnect(), now=naive)
    aware = naive.replace(tzinfo=datetime.timezone.utc)
    p = radius.build("Accounting-Request", SECRET, {"Event-Timestamp": aware})
    assert p["Event-Timestamp"] == aware
    plan = nac.Profile.get("generic").plan(session, nac.Intent.disconnect(), now=aware)
    assert (55, None, int(aware.timestamp())) in plan.attributes
