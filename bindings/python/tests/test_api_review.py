"""Problems found by a new user's trial of the native API (``import nacwire``): objects
shared between threads, re-entrant conversions, iteration, IPv6 source addresses,
handlers that cannot be called, and what ``repr`` shows."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import pathlib
import re
import socket
import subprocess
import threading
import time
from collections import Counter
from typing import Any

import pytest

import nacwire
from conftest import require
from nacwire import ecp, nac, radius, radsec

SECRET = b"s3cret-review"


def _run_threads(target: Any, count: int, timeout: float) -> None:
    threads = [threading.Thread(target=target) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    assert not any(t.is_alive() for t in threads), "threads hung"


# --- nacwire.radsec ---------------------------------------------------------------


def test_radsec_client_shared_by_threads_with_an_in_process_server() -> None:
    """Was: the client took its lock with the GIL held while another thread, holding
    the lock, waited for a reply that the in-process handler needed the GIL to send:
    2 s timeouts, then "UnmatchedReply" closes that lost other requests, or a hang."""

    def handler(request: radius.Packet, info: dict[str, Any]) -> Any:
        return ("Access-Accept", {"Reply-Message": request["User-Name"]})

    results: list[str] = []

    with (
        radsec.RadSecServer(
            ("127.0.0.1", 0), handler, transport="tcp", secrets={"127.0.0.1": SECRET}
        ) as server,
        radsec.RadSecClient(*server.address, transport="tcp", secret=SECRET, timeout=3.0) as c,
    ):

        def worker() -> None:
            for i in range(25):
                name = f"{threading.get_ident()}-{i}"
                try:
                    reply = c.request("Access-Request", {"User-Name": name})
                    results.append("ok" if reply["Reply-Message"] == name else "mismatch")
                except nacwire.Error as e:
                    results.append(f"{type(e).__name__}: {e}")

        _run_threads(worker, 4, timeout=60)
        assert c.version == "1.0"
        assert repr(c) == f"<RadSecClient tcp 127.0.0.1:{server.address[1]} version=1.0>"
    assert Counter(results) == Counter({"ok": 100})


def test_radsec_lost_request_says_why_in_words() -> None:
    def slow(request: radius.Packet, info: dict[str, Any]) -> Any:
        time.sleep(0.6)
        return "Access-Accept"

    with (
        radsec.RadSecServer(
            ("127.0.0.1", 0), slow, transport="tcp", secrets={"127.0.0.1": SECRET}
        ) as server,
        radsec.RadSecClient(*server.address, transport="tcp", secret=SECRET, timeout=0.2) as c,
    ):
        with pytest.raises(nacwire.Timeout, match="no reply within the timeout") as info:
            c.request("Access-Request", {"User-Name": "bob"})
        assert "TimedOut" not in str(info.value)


def test_radsec_server_handler_must_be_callable() -> None:
    for handler in (None, "Access-Accept", 5):
        with pytest.raises(TypeError, match="handler is a callable"):
            radsec.RadSecServer(("127.0.0.1", 0), handler, transport="tcp")  # type: ignore[arg-type]


# --- nacwire.radius.Client ----------------------------------------------------------


def test_client_shared_by_threads_never_raises_already_borrowed() -> None:
    """Was: ``RuntimeError: Already borrowed`` whenever a conversion inside one call
    let another thread run (3/4 of the calls failed with 4 threads)."""
    client = radius.Client(seed=7)
    client.add_destination("nas", SECRET)
    failures: list[str] = []
    identifiers: list[int] = []

    def worker() -> None:
        for _ in range(500):
            try:
                attributes = {"Acct-Status-Type": "Start"}
                sent = client.send("nas", "Accounting-Request", attributes, now=0)
                identifiers.append(sent.identifier)
                assert client.cancel("nas", sent.identifier)
            except Exception as e:  # the assertion is on the list below
                failures.append(f"{type(e).__name__}: {e}")

    _run_threads(worker, 4, timeout=60)
    assert failures == []
    assert len(identifiers) == 2000
    assert client.in_flight("nas") == 0


def test_client_conversion_may_call_the_client_again() -> None:
    client = radius.Client(seed=7)
    client.add_destination("nas", SECRET)

    class Address:
        def __str__(self) -> str:
            client.send("nas", "Status-Server", now=0)  # re-entrant call
            return "192.0.2.1"

    sent = client.send("nas", "Access-Request", [("NAS-IP-Address", Address())], now=0)
    assert str(sent["NAS-IP-Address"]) == "192.0.2.1"
    assert client.in_flight("nas") == 2
    assert repr(client) == '<Client destinations=["nas"] in_flight=2>'


# --- nacwire.radius.DuplicateCache ---------------------------------------------------


def test_duplicate_cache_takes_ipv6_source_addresses_as_socket_gives_them() -> None:
    request = radius.build("Access-Request", SECRET, {"User-Name": "bob"}, identifier=5)
    reply = radius.reply(request, "Access-Reject", SECRET)
    cache = radius.DuplicateCache()
    source = ("::1", 40000, 0, 0)  # socket.recvfrom on an AF_INET6 socket
    assert cache.check(source, request, now=0) is None
    assert cache.check(source, request, now=0.1) is True
    cache.store_reply(source, request, bytes(reply))
    assert cache.check(source, request, now=0.2) == bytes(reply)
    # the same host and port as a pair is the same source
    assert cache.check(("::1", 40000), request, now=0.3) == bytes(reply)
    assert len(cache) == 1
    assert repr(cache) == (
        "<DuplicateCache 1 entries, lifetime=5s, max_entries=65536, per_source=1024>"
    )
    for bad in ("::1", ("::1",), ("::1", 1, 2, 3, 4), (1, 2)):
        with pytest.raises(TypeError, match="source is a"):
            cache.check(bad, request)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"0\.\.=65535"):
        cache.check(("::1", 70000), request)


def test_duplicate_cache_shared_by_threads() -> None:
    cache = radius.DuplicateCache()
    requests = [
        radius.build("Access-Request", SECRET, {"User-Name": "u"}, identifier=i) for i in range(200)
    ]
    failures: list[str] = []

    def worker() -> None:
        for i, r in enumerate(requests):
            try:
                if cache.check(("192.0.2.9", 1000 + i % 7), r) is None:
                    cache.store_reply(("192.0.2.9", 1000 + i % 7), r, b"reply")
            except Exception as e:
                failures.append(f"{type(e).__name__}: {e}")

    _run_threads(worker, 4, timeout=60)
    assert failures == []
    assert len(cache) == 200


# --- nacwire.radius.Packet -----------------------------------------------------------


def test_packet_iterates_over_attribute_names_in_wire_order() -> None:
    """Was: ``list(packet)`` raised ``KeyError: 0`` (the old sequence protocol asked
    for attribute type 0)."""
    p = radius.build(
        "Access-Accept",
        SECRET,
        [("Reply-Message", "a"), ("Session-Timeout", 60), ("Reply-Message", "b")],
        message_authenticator=False,
    )
    assert list(p) == ["Reply-Message", "Session-Timeout", "Reply-Message"]
    assert p.keys() == list(p)
    assert len(p) == len(p.keys()) == len(p.items())
    assert {name: p.get_all(name) for name in p} == {
        "Reply-Message": ["a", "b"],
        "Session-Timeout": [60],
    }
    assert list(radius.Packet.decode(bytes.fromhex("0200001400" + "00" * 15))) == []


def test_udp_client_shared_by_threads() -> None:
    """Was: a hang. Each thread's loop handled the other threads' timers, so a
    "timeout" event went to a thread that ignored it and the owner spun forever."""
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 0))
    server.settimeout(0.1)
    port = server.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                data, address = server.recvfrom(4096)
            except TimeoutError:
                continue
            request = radius.Packet.decode(data)
            echo = {"Reply-Message": request["User-Name"]}
            server.sendto(bytes(radius.reply(request, "Access-Accept", SECRET, echo)), address)

    responder = threading.Thread(target=serve, daemon=True)
    responder.start()
    results: list[str] = []
    try:
        with radius.UdpClient("127.0.0.1", port, SECRET, timeout=0.5, retries=2) as client:
            assert repr(client) == f"<UdpClient 127.0.0.1:{port}>"

            def worker() -> None:
                for i in range(30):
                    name = f"{threading.get_ident()}-{i}"
                    try:
                        reply = client.request("Access-Request", {"User-Name": name})
                        results.append("ok" if reply["Reply-Message"] == name else "mismatch")
                    except nacwire.Error as e:
                        results.append(f"{type(e).__name__}: {e}")

            _run_threads(worker, 4, timeout=60)
    finally:
        stop.set()
        responder.join()
        server.close()
    assert Counter(results) == Counter({"ok": 120})


# --- nacwire.radius.Dictionary ------------------------------------------------------

FREERADIUS = pathlib.Path("/usr/share/freeradius")
SITE = """VENDOR Example-Corp 99999
BEGIN-VENDOR Example-Corp
ATTRIBUTE Example-Level 1 integer
VALUE Example-Level Gold 1
END-VENDOR Example-Corp
"""


def test_dictionary_loads_a_site_dictionary_on_top_of_another(tmp_path: pathlib.Path) -> None:
    base = radius.Dictionary.parse("ATTRIBUTE Base-Attr 3000 string\n", on_builtin=True)
    site = tmp_path / "dictionary.site"
    site.write_text(SITE)
    both = radius.Dictionary.load(site, on=base)
    assert "Base-Attr" in both and "User-Name" in both and "Example-Level" in both
    assert len(both) == len(base) + 1
    assert "Example-Level" not in base  # the base is not changed
    p = radius.build("Access-Accept", SECRET, {"Example-Level": "Gold"}, dictionary=both)
    assert p["Example-Level"] == 1 and str(p["Example-Level"]) == "Gold"
    # the same again on text; the same definition twice is allowed, a conflicting one
    # names its line
    assert "Example-Level" in radius.Dictionary.parse(SITE, on=base)
    assert len(radius.Dictionary.parse(SITE, on=both)) == len(both)
    with pytest.raises(nacwire.DictionaryError, match="duplicate") as e:
        radius.Dictionary.parse("\nVENDOR Example-Corp 12345\n", on=both)
    assert (e.value.line, e.value.token) == (2, "Example-Corp")
    with pytest.raises(ValueError, match="give one"):
        radius.Dictionary.load(site, on=base, on_builtin=True)
    with pytest.raises(TypeError):
        radius.Dictionary.load(site, on="dictionary")  # type: ignore[arg-type]


def test_dictionary_load_takes_a_directory(tmp_path: pathlib.Path) -> None:
    (tmp_path / "dictionary").write_text(SITE)
    assert "Example-Level" in radius.Dictionary.load(tmp_path)
    with pytest.raises(nacwire.DictionaryError, match="cannot be read"):
        radius.Dictionary.load(tmp_path / "sub")


@pytest.mark.skipif(
    not (FREERADIUS / "dictionary").exists() and os.environ.get("CI") != "true",
    reason="FreeRADIUS dictionaries (installed by scripts/test.sh; required under CI=true)",
)
def test_dictionary_site_over_the_freeradius_tree(tmp_path: pathlib.Path) -> None:
    tree = radius.Dictionary.load(FREERADIUS)
    assert len(tree) == len(radius.Dictionary.load(FREERADIUS / "dictionary"))
    site = tmp_path / "dictionary.site"
    site.write_text(SITE)
    both = radius.Dictionary.load(site, on=tree)
    assert len(both) == len(tree) + 1 and "Cisco-AVPair" in both


def test_lenient_dictionary_skips_only_recoverable_problems() -> None:
    d = radius.Dictionary.parse("ATTRIBUTE y 3000 string\nVALUE nope A 1\n", strict=False)
    assert "y" in d and len(d.warnings) == 1 and "unknown attribute" in d.warnings[0]
    with pytest.raises(nacwire.DictionaryError, match="unknown data type"):
        radius.Dictionary.parse("ATTRIBUTE x 3000 badtype\n", strict=False)


def test_verify_request_without_message_authenticator_checks_nothing() -> None:
    """The documented trap: an unsigned Access-Request verifies whatever the secret."""
    p = radius.build(
        "Access-Request",
        SECRET,
        {"User-Name": "a", "Proxy-State": b"x"},
        message_authenticator=False,
    )
    assert p.verify_request(b"any other secret") is False
    with pytest.raises(nacwire.VerifyError, match="no Message-Authenticator"):
        p.verify_request(SECRET, require_message_authenticator=True)
    with pytest.raises(nacwire.VerifyError, match="Proxy-State"):
        p.verify_request(SECRET, limit_proxy_state=True)
    signed = radius.build("Access-Request", SECRET, {"User-Name": "a"})
    assert signed.verify_request(SECRET) is True
    with pytest.raises(nacwire.VerifyError):
        signed.verify_request(b"any other secret")


# --- secrets, ranges and messages ----------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: radius.Secret(b""),
        lambda: radius.build("Access-Request", "", {"User-Name": "a"}),
        lambda: radius.Packet.decode(bytes(radius.build("Status-Server", SECRET)), secret=b""),
        lambda: radius.Client().add_destination("nas", b""),
        lambda: radius.UdpClient("127.0.0.1", 9, b""),
        lambda: (
            nac.Profile.get("generic")
            .plan(nac.Session(acct_session_id="a"), nac.Intent.disconnect(), now=0)
            .encode(1, b"")
        ),
        lambda: radsec.RadSecClient("127.0.0.1", 9, transport="tcp", secret=b""),
    ],
)
def test_an_empty_radius_secret_is_refused(make: Any) -> None:
    """RFC 2865 §3: "The secret MUST NOT be empty (length 0) since this would allow
    packets to be trivially forged." Was: accepted (an unset variable signs nothing)."""
    with pytest.raises(ValueError, match="shared secret is empty"):
        make()


@pytest.mark.parametrize(
    "make",
    [
        lambda: ecp.Signer("portal", b""),
        lambda: ecp.Signer("portal", ""),
        lambda: ecp.Keyring({"portal": b""}),
        lambda: ecp.Keyring({"portal": [b"new", b""]}),
        lambda: ecp.Keyring({"portal": b"k"}).replace({"portal": ""}),
    ],
)
def test_an_empty_ecp_secret_is_refused(make: Any) -> None:
    with pytest.raises(ValueError, match="ECP shared secret is empty"):
        make()


def test_an_empty_secret_from_a_lookup_fails_the_verification() -> None:
    url = ecp.Signer("portal", b"k").presign(
        "portal.example", "/", {"token": "t", "wlan": "1", "dest": "d"}, now=1000
    )
    with pytest.raises(ValueError, match="ECP shared secret is empty"):
        ecp.Verifier(lambda identity: b"").verify(url, now=1001)
    assert ecp.Verifier(lambda identity: b"k").verify(url, now=1001).token == "t"


def test_error_cause_out_of_range_is_a_value_error() -> None:
    for n in (-1, 2**32, 2**70):
        with pytest.raises(ValueError, match=r"outside 0\.\.=4294967295"):
            nac.ErrorCause(n)
    assert int(nac.ErrorCause(2**32 - 1)) == 2**32 - 1
    with pytest.raises(TypeError, match="an Error-Cause is an int or a name"):
        nac.ErrorCause(None)  # type: ignore[arg-type]


def test_profile_replace_refuses_a_string_for_a_list_of_names() -> None:
    generic = nac.Profile.get("generic")
    for field in ("identity", "mac_auth_identity", "required"):
        with pytest.raises(TypeError, match=f"^{field} is a list of attribute names"):
            generic.replace(**{field: "NAS-Port"})
    assert generic.replace(required=("NAS-Port",)).required == ["NAS-Port"]


def test_parse_amz_date_year_zero_is_a_signature_error() -> None:
    with pytest.raises(nacwire.SignatureError) as e:
        ecp.parse_amz_date("00000101T000000Z")
    assert e.value.kind == "bad_date" and e.value.value == "00000101T000000Z"
    assert ecp.parse_amz_date("00010101T000000Z").year == 1


# --- bindings/python/README.md ---------------------------------------------------------


def _package_readme_blocks() -> list[str]:
    text = (pathlib.Path(__file__).resolve().parents[1] / "README.md").read_text()
    return re.findall(r"```python\n(.*?)```", text, re.S)


@pytest.mark.skipif(
    not (FREERADIUS / "dictionary").exists() and os.environ.get("CI") != "true",
    reason="FreeRADIUS dictionaries (installed by scripts/test.sh; required under CI=true)",
)
def test_package_readme_recipes_run(capsys: pytest.CaptureFixture[str]) -> None:
    blocks = _package_readme_blocks()
    assert len(blocks) == 5
    scope: dict[str, Any] = {"__name__": "readme"}
    for block in blocks:
        exec(compile(block, "bindings/python/README.md", "exec"), scope)
    out = capsys.readouterr().out
    assert "Access-Request 0\n" in out
    assert "User-Password = 'arctangent'" in out and "NAS-Port = 3" in out
    assert "User-Password = <secret>" in out
    assert "forged: Response Authenticator does not verify" in out
    assert "Gold 1\n" in out
    assert "B0-EE-7B-97-7F-33 b0ee.7b97.7f33 B0EE7B977F33" in out
    assert "<PacketPlan CoA-Request port=1700 [NAS-IP-Address=192.0.2.10," in out

    # the CoA recipe against a NAS on loopback: a NAK with Error-Cause, then an ACK
    nas = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    nas.bind(("127.0.0.1", 0))
    answers = [("CoA-NAK", {"Error-Cause": "Session-Context-Not-Found"}), ("CoA-ACK", None)]

    def serve() -> None:
        for code, attributes in answers:
            data, address = nas.recvfrom(4096)
            request = radius.Packet.decode(data)
            request.verify_request(b"testing123")
            nas.sendto(bytes(radius.reply(request, code, b"testing123", attributes)), address)

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        port = nas.getsockname()[1]
        first = scope["send_plan"]("127.0.0.1", scope["plan"], b"testing123", port=port)
        assert first.kind == "session_not_found" and not first.is_success
        assert [c.name for c in first.causes] == ["Session-Context-Not-Found"]
        second = scope["send_plan"]("127.0.0.1", scope["plan"], b"testing123", port=port)
        assert second.kind == "applied" and second.is_success
    finally:
        t.join(5)
        nas.close()


# --- radius.AsyncClient / UdpClient lifecycle ------------------------------------------


def test_async_request_cancelled_by_wait_for_stops_retransmitting() -> None:
    """Was: a request abandoned by ``asyncio.wait_for`` kept being retransmitted and
    held its Identifier until the whole schedule ran out."""

    async def main() -> tuple[int, int, str, str]:
        sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # a NAS that never answers
        sink.bind(("127.0.0.1", 0))
        sink.setblocking(False)
        port = sink.getsockname()[1]
        client = await radius.AsyncClient.connect("127.0.0.1", port, SECRET, timeout=0.1)
        shown = repr(client)
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.request("Access-Request", {"User-Name": "a"}), 0.05)
        in_flight = client._client.in_flight(f"127.0.0.1:{port}")
        await asyncio.sleep(0.5)  # retransmissions would be due at 0.1 and 0.3
        sent = 0
        while True:
            try:
                sink.recvfrom(4096)
                sent += 1
            except BlockingIOError:
                break
        client.close()
        sink.close()
        return in_flight, sent, shown, repr(client)

    in_flight, sent, shown, closed = asyncio.run(main())
    assert (in_flight, sent) == (0, 1)
    assert shown.startswith("<AsyncClient 127.0.0.1:") and shown.endswith(" 0 pending>")
    assert closed.endswith(" closed>")


def test_closed_clients_raise_transport_error() -> None:
    client = radius.UdpClient("127.0.0.1", 9, SECRET)
    client.close()
    with pytest.raises(nacwire.TransportError, match="is closed"):
        client.request("Status-Server")

    async def main() -> None:
        c = await radius.AsyncClient.connect("127.0.0.1", 9, SECRET)
        c.close()
        with pytest.raises(nacwire.TransportError, match="is closed"):
            await c.request("Status-Server")

    asyncio.run(main())


# --- JSON shapes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "parse",
    [
        nac.Endpoint.from_json,
        nac.Endpoint.list_from_json,
        nac.Device.from_json,
        nac.ActiveSession.list_from_json,
        nac.AuthenticatedUser.from_json,
        nac.UserauthResponse.from_json,
    ],
)
def test_json_arrays_are_not_objects(parse: Any) -> None:
    """Was: ``Endpoint.from_json('[5, "00:11:22:33:44:55"]')`` gave an endpoint with id 5
    (serde fills a struct from an array, field by field)."""
    for text in ("[]", ' [5, "00:11:22:33:44:55"]', b"[{}]"):
        with pytest.raises(nacwire.ModelError, match="expected a map") as e:
            parse(text)
        assert e.value.kind == "json" and e.value.line == 1
    assert nac.Endpoint.from_json('{"id": 5}').id == 5


def test_signer_expires_within_sigv4_limits() -> None:
    """Was: ``Signer(expires=2**63)`` signed URLs that every verifier refused as a
    malformed X-Amz-Expires; 0 signed URLs dead on arrival."""
    for expires in (0, 604_801, 2**63):
        with pytest.raises(ValueError, match=r"expires is 1\.\.=604800 seconds"):
            ecp.Signer("portal", b"k", expires=expires)
    params = {"token": "t", "wlan": "1", "dest": "d"}
    url = ecp.Signer("portal", b"k", expires=604_800).presign("h", "/", params, now=1000)
    verifier = ecp.Verifier(ecp.Keyring({"portal": b"k"}), max_expires=604_800)
    assert verifier.verify(url, now=1000 + 604_800).signature.expires == 604_800  # type: ignore[union-attr]


def test_bools_are_not_codes_or_attribute_values() -> None:
    """Was: ``build(True, ...)`` built an Access-Request and ``{"Session-Timeout": True}``
    sent 1 (bool is an int to Python, but nothing in RADIUS is a truth value)."""
    with pytest.raises(TypeError, match="not a bool"):
        radius.build(True, SECRET)  # type: ignore[arg-type]
    for name in ("Session-Timeout", "Service-Type", "User-Name", "Framed-IP-Address"):
        with pytest.raises(nacwire.BuildError, match="a bool is not a valid") as e:
            radius.build("Access-Accept", SECRET, {name: False})
        assert e.value.attribute == name
    for code in (256, -1, 2**70):
        with pytest.raises(ValueError, match=r"is outside 0\.\.=255"):
            radius.build(code, SECRET)
    assert radius.build(255, SECRET).code == 255
    assert radius.build("Access-Accept", SECRET, {"Session-Timeout": 1})["Session-Timeout"] == 1


def test_every_build_and_packet_error_has_its_documented_fields() -> None:
    """Was: ``AttributeError: 'BuildError' object has no attribute 'attribute'`` for
    the errors made from a message alone (a wrong value type, "not a request")."""
    client = radius.Client()
    client.add_destination("nas", SECRET)
    for make in (
        lambda: radius.build("Access-Request", SECRET, {"User-Name": 5}),
        lambda: radius.build("Access-Request", SECRET, {"Session-Timeout": 2**40}),
        lambda: radius.build("Access-Request", SECRET, [(300, "x")]),
        lambda: client.send("nas", "Access-Accept"),
    ):
        with pytest.raises(nacwire.BuildError) as e:
            make()
        assert e.value.attribute in (None, "User-Name", "Session-Timeout")
    with pytest.raises(nacwire.BuildError) as e:
        radius.build("Access-Request", SECRET, {"User-Name": 5})
    assert e.value.attribute == "User-Name"


def test_identifiers_and_ports_out_of_range_name_themselves() -> None:
    """Was: ``OverflowError: out of range integral type conversion attempted``, naming
    neither the argument nor its range."""
    plan = nac.Profile.get("generic").plan(
        nac.Session(acct_session_id="a"), nac.Intent.disconnect(), now=0
    )
    client = radius.Client()
    client.add_destination("nas", SECRET)
    signer = ecp.Signer("portal", b"k")
    for make in (
        lambda: radius.build("Access-Request", SECRET, identifier=256),
        lambda: radius.build("Access-Request", SECRET, identifier=-1),
        lambda: client.cancel("nas", 256),
        lambda: plan.encode(300, SECRET),
        lambda: plan.packet(-5, SECRET),
    ):
        with pytest.raises(ValueError, match=r"^identifier is 0\.\.=255, not -?\d+"):
            make()
    for make in (
        lambda: nac.Profile.get("generic").replace(coa_port=70000),
        lambda: signer.presign("portal.example", "/", {}, port=70000),
        lambda: ecp.Approval("t", "1", "u").signed_url("192.0.2.1", 65536, signer),
        lambda: radsec.RadSecClient("127.0.0.1", -1, transport="tcp", secret=SECRET),
        lambda: radius.DuplicateCache().check(
            ("192.0.2.1", 1), radius.build("Status-Server", SECRET), local_port=70000
        ),
    ):
        with pytest.raises(ValueError, match=r"^port is 0\.\.=65535, not -?\d+"):
            make()
    with pytest.raises(TypeError, match="identifier is an int, not str"):
        radius.build("Access-Request", SECRET, identifier="7")  # type: ignore[arg-type]
    assert radius.build("Access-Request", SECRET, identifier=255).identifier == 255
    assert nac.Profile.get("generic").replace(coa_port=None).coa_port == 3799
    assert len(plan.encode(0, SECRET)) > 20


def test_attribute_definitions_compare_by_value() -> None:
    """Was: two lookups of the same attribute compared unequal (identity)."""
    builtin = radius.Dictionary.builtin()
    first, again = builtin.attribute("Tunnel-Type"), builtin.attribute("Tunnel-Type")
    assert first is not again and first == again and hash(first) == hash(again)
    assert first != builtin.attribute("Tunnel-Medium-Type")
    assert first != "Tunnel-Type"
    assert len({builtin.attribute(n) for n in ("User-Name", "User-Name", "NAS-Port")}) == 2


def test_nan_in_json_fields_is_named() -> None:
    """Was: ``ModelError: expected value at line 1 column 22`` (json.dumps wrote NaN,
    which is not JSON, and the parser refused it by column)."""
    for value in (float("nan"), float("inf"), [1, float("-inf")]):
        with pytest.raises(nacwire.ModelError, match="Out of range float") as e:
            nac.Endpoint(attributes={"a": value})
        assert e.value.kind == "invalid_value"
    assert nac.Endpoint(attributes={"a": 1.5}).to_json() == '{"attributes":{"a":1.5}}'


def test_a_ca_file_without_certificates_is_refused_at_once(tmp_path: pathlib.Path) -> None:
    """Was: accepted (an empty trust store), then every TLS connection failed later
    with a certificate error."""
    empty = tmp_path / "ca.pem"
    for text in ("", "not a certificate\n"):
        empty.write_text(text)
        with pytest.raises(nacwire.TransportError, match="no CA certificate in it"):
            radsec.RadSecClient("127.0.0.1", 2083, ca=empty)
    # the server's client-certificate CA, next to a valid server certificate
    subprocess.run(
        [require("openssl"), "req", "-x509", "-newkey", "ec", "-pkeyopt",
         "ec_paramgen_curve:P-256", "-nodes", "-keyout", "server.key", "-out", "server.pem",
         "-days", "1", "-subj", "/CN=localhost"],
        cwd=tmp_path, check=True, capture_output=True,
    )  # fmt: skip
    cert, key = tmp_path / "server.pem", tmp_path / "server.key"
    with pytest.raises(nacwire.TransportError, match="no CA certificate in it"):
        radsec.RadSecServer(("127.0.0.1", 0), lambda r, i: None, cert=cert, key=key, ca=empty)
    radsec.RadSecServer(("127.0.0.1", 0), lambda r, i: None, cert=cert, key=key, ca=cert).close()


def test_decode_takes_what_recv_into_fills() -> None:
    """Was: ``TypeError: 'bytearray' object is not an instance of 'bytes'``."""
    wire = bytes(radius.build("Access-Request", SECRET, {"User-Name": "bob"}))
    buffer = bytearray(4096)
    buffer[: len(wire)] = wire
    view = memoryview(buffer)[: len(wire)]
    for data in (bytearray(wire), view, memoryview(wire)):
        assert radius.Packet.decode(data) == radius.Packet.decode(wire)
    packet = radius.Packet.decode(view)
    buffer[0] = 2  # the packet is a copy: later writes to the buffer do not change it
    assert packet.code_name == "Access-Request" and bytes(packet) == wire
    assert radius.Packet.decode(view).code_name == "Access-Accept"
    for wrong in (wire.hex(), None, list(wire)):
        with pytest.raises(TypeError, match="data is bytes, bytearray or memoryview"):
            radius.Packet.decode(wrong)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("make", "bound"),
    [
        (lambda: radius.build("Access-Request", SECRET, salt=70000), "65535"),
        (lambda: radius.Client(retries=-1), "4294967295"),
        (lambda: radius.Client(seed=-1), "18446744073709551615"),
        (lambda: nac.Session(nas_port=2**32), "4294967295"),
        (lambda: nac.Intent.session_timeout(-1), "4294967295"),
        (lambda: nac.Intent.bounce_port(2**40), "4294967295"),
        (lambda: nac.Intent.disconnect(2**40), "4294967295"),
        (lambda: nac.Intent.rate_limit(-1, 5), "18446744073709551615"),
        (lambda: nac.EndpointState("Known", None, -1), "18446744073709551615"),
        (lambda: ecp.Verifier(ecp.Keyring(), max_expires=-1), "18446744073709551615"),
        (lambda: ecp.Approval("t", "1", "u", session_timeout=-1), "4294967295"),
    ],
)
def test_ints_out_of_range_are_value_errors_with_the_range(make: Any, bound: str) -> None:
    """Was: ``OverflowError: out of range integral type conversion attempted``."""
    with pytest.raises(ValueError, match=rf"is outside 0\.\.={bound}"):
        make()


def test_tags_out_of_range_and_server_ports() -> None:
    for tag in (-1, 32, 200):
        with pytest.raises(nacwire.BuildError, match=r"tag -?\d+ is outside 0\.\.=31") as e:
            radius.build("Access-Accept", SECRET, {"Tunnel-Type": (tag, "VLAN")})
        assert e.value.attribute == "Tunnel-Type"
    with pytest.raises(TypeError, match="a tag is an int"):
        radius.build("Access-Accept", SECRET, {"Tunnel-Type": ("1", "VLAN")})
    accept = radius.build("Access-Accept", SECRET, {"Tunnel-Type": (31, "VLAN")})
    assert accept["Tunnel-Type"] == (31, 13)
    with pytest.raises(ValueError, match=r"port is 0\.\.=65535, not -1"):
        radsec.RadSecServer(("127.0.0.1", -1), lambda r, i: None, transport="tcp")
    with pytest.raises(TypeError, match=r"address is a \(host, port\) pair"):
        radsec.RadSecServer("127.0.0.1", lambda r, i: None, transport="tcp")  # type: ignore[arg-type]


# --- session 11: a new user's trial, second round ---------------------------------------

UNKNOWN_HOST = "no-such-host.invalid"  # RFC 6761: .invalid never resolves


def _transport_error_names(error: BaseException, destination: str) -> BaseException:
    """The checks every socket failure of a native client passes; returns the cause."""
    assert isinstance(error, nacwire.TransportError)
    # an OSError too, as socket errors were before: `except OSError` still catches it
    assert isinstance(error, OSError) and isinstance(error, nacwire.Error)
    assert error.errno is None and error.__cause__ is not error
    assert str(error).startswith(f"{destination}: "), str(error)
    assert isinstance(error.__cause__, OSError), repr(error.__cause__)
    return error.__cause__


def test_an_unknown_host_is_a_transport_error_from_every_native_client() -> None:
    """Was: ``socket.gaierror: [Errno -2] Name or service not known`` from the UDP
    clients (not a nacwire error, no host named), and a TransportError without its
    cause from RadSecClient."""
    with pytest.raises(nacwire.TransportError, match="cannot resolve the host") as e:
        radius.UdpClient(UNKNOWN_HOST, 1812, SECRET)
    cause = _transport_error_names(e.value, f"{UNKNOWN_HOST}:1812")
    assert isinstance(cause, socket.gaierror)

    async def main() -> None:
        with pytest.raises(nacwire.TransportError, match="cannot resolve the host") as e:
            await radius.AsyncClient.connect(UNKNOWN_HOST, 1813, SECRET)
        assert isinstance(_transport_error_names(e.value, f"{UNKNOWN_HOST}:1813"), socket.gaierror)

    asyncio.run(main())
    with pytest.raises(nacwire.TransportError, match="cannot resolve the host") as e:
        radsec.RadSecClient(UNKNOWN_HOST, 2083, transport="tcp", secret=SECRET)
    # session 12: was a plain OSError (Rust's resolver) where the UDP clients give the
    # socket.gaierror; RadSec now resolves as they do
    assert isinstance(_transport_error_names(e.value, f"{UNKNOWN_HOST}:2083"), socket.gaierror)
    with pytest.raises(nacwire.TransportError, match="cannot resolve the host") as e:
        radsec.RadSecServer((UNKNOWN_HOST, 0), lambda r, i: None, transport="tcp", secrets={})
    assert isinstance(_transport_error_names(e.value, f"{UNKNOWN_HOST}:0"), socket.gaierror)


def test_other_socket_errors_of_native_clients_are_transport_errors() -> None:
    # a bind address that is not local
    with pytest.raises(nacwire.TransportError, match=r"cannot bind to \('192\.0\.2\.1', 0\)") as e:
        radius.UdpClient("127.0.0.1", 1812, SECRET, bind=("192.0.2.1", 0))
    cause = _transport_error_names(e.value, "127.0.0.1:1812")
    assert cause.errno == errno.EADDRNOTAVAIL  # type: ignore[attr-defined]
    # sendto refused: the broadcast address without SO_BROADCAST
    with radius.UdpClient("255.255.255.255", 1812, SECRET) as client:
        with pytest.raises(nacwire.TransportError, match="socket error") as e:
            client.request("Status-Server")
    cause = _transport_error_names(e.value, "255.255.255.255:1812")
    assert isinstance(cause, PermissionError)
    # RadSec: a refused connection names the server
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, not listening: connections are refused
        with radsec.RadSecClient("127.0.0.1", port, transport="tcp", secret=SECRET) as c:
            with pytest.raises(nacwire.TransportError) as e:
                c.request("Status-Server")
    cause = _transport_error_names(e.value, f"127.0.0.1:{port}")
    assert isinstance(cause, ConnectionRefusedError)
    # a Timeout is still a Timeout (and a TimeoutError), not a TransportError
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sink:
        sink.bind(("127.0.0.1", 0))
        with radius.UdpClient(*sink.getsockname(), SECRET, timeout=0.05, retries=1) as client:
            with pytest.raises(nacwire.Timeout):
                client.request("Status-Server")


# RFC 2865 §4 (Access-*), RFC 2866 §4 (Accounting-*), RFC 5997 §3 (Status-Server),
# RFC 5176 §3 (Disconnect, CoA); RFC 7930 §4: Protocol-Error answers any request.
# Access-Reject answers Status-Server too: FreeRADIUS sends one (signed) on an auth port
# with no Status-Server section, and radclient accepts it.
ANSWERS = {
    "Access-Request": {"Access-Accept", "Access-Reject", "Access-Challenge"},
    "Accounting-Request": {"Accounting-Response"},
    "Status-Server": {"Access-Accept", "Access-Reject", "Accounting-Response"},
    "Status-Client": set(),
    "Disconnect-Request": {"Disconnect-ACK", "Disconnect-NAK"},
    "CoA-Request": {"CoA-ACK", "CoA-NAK"},
}
NAMED_CODES = [
    radius.build(n, SECRET).code_name
    for n in sorted(v for k, v in vars(radius.Code).items() if k.isupper())
]


@pytest.mark.parametrize("request_code", sorted(ANSWERS))
def test_reply_refuses_a_code_that_does_not_answer_the_request(request_code: str) -> None:
    """Was: ``reply(access_request, "Accounting-Response", ...)`` (or a CoA-ACK to a
    Disconnect-Request) built a packet no client would accept."""
    request = radius.build(request_code, SECRET, identifier=9)
    for code in NAMED_CODES:
        if code in ANSWERS[request_code] or code == "Protocol-Error":
            answer = radius.reply(request, code, SECRET)
            assert (answer.code_name, answer.identifier) == (code, 9)
            answer.verify_reply(request, SECRET, require_message_authenticator=False)
        else:
            with pytest.raises(ValueError, match=f"^{code} ") as e:
                radius.reply(request, code, SECRET)
            assert request_code in str(e.value)


def test_reply_names_the_codes_that_answer_and_refuses_replies_to_replies() -> None:
    request = radius.build("Access-Request", SECRET)
    with pytest.raises(
        ValueError,
        match=r"^Accounting-Response does not answer Access-Request \(it is answered by "
        r"Access-Accept, Access-Reject, Access-Challenge, Protocol-Error\)$",
    ):
        radius.reply(request, "Accounting-Response", SECRET)
    disconnect = radius.build("Disconnect-Request", SECRET, {"Acct-Session-Id": "1"})
    with pytest.raises(ValueError, match=r"^CoA-ACK does not answer Disconnect-Request"):
        radius.reply(disconnect, radius.Code.COA_ACK, SECRET)
    accept = radius.reply(request, "Access-Accept", SECRET)
    with pytest.raises(
        ValueError, match=r"^Access-Accept cannot answer Access-Accept: .* not a request"
    ):
        radius.reply(accept, "Access-Accept", SECRET)
    # a code no RFC defines may be answered by any code (experiments)
    assert radius.reply(radius.build(250, SECRET), 251, SECRET).code == 251
    # a deliberately mismatched reply, to test a client, is built with build()
    wrong = radius.build(
        "CoA-ACK", SECRET, identifier=disconnect.identifier, authenticator=disconnect.authenticator
    )
    with pytest.raises(nacwire.VerifyError, match="not a valid reply"):
        wrong.verify_reply(disconnect, SECRET)


BIG = 10**30
D = str(BIG)


@pytest.mark.parametrize(
    ("make", "line", "column"),
    [
        # typed fields: were refused as "invalid type: floating point `1e+30`"
        (lambda: nac.Endpoint.from_json('{"id": ' + D + "}"), 1, 8),
        (lambda: nac.Endpoint(id=BIG), 1, 8),
        (
            lambda: nac.Endpoint.list_from_json(
                '{"_embedded": {"items": []},\n "count": ' + D + "}"
            ),
            2,
            11,
        ),
        (lambda: nac.Device.from_json(b'{"role_id": ' + D.encode() + b"}"), 1, 13),
        (lambda: nac.AuthenticatedUser.from_json('{"session_timeout": ' + D + "}"), 1, 21),
        # free-form fields: were kept as the float 1e+30, another number
        (lambda: nac.Endpoint.from_json('{"attributes": {"n": ' + D + "}}"), 1, 22),
        (lambda: nac.Endpoint(attributes={"n": -BIG}), 1, 22),
        (lambda: nac.Endpoint(profile=[1, 2, BIG]), 1, 20),
        (lambda: nac.Device(custom={"n": BIG}), 1, 18),
        (
            lambda: nac.ActiveSession.list_from_json(
                '{"_embedded": {"items": [{"id": "s", "n": ' + D + "}]}}"
            ),
            1,
            43,
        ),
    ],
)
def test_json_integers_beyond_64_bits_are_refused(make: Any, line: int, column: int) -> None:
    with pytest.raises(nacwire.ModelError, match=r"integer -?1000+\.\.\. \(31 digits\)") as e:
        make()
    assert e.value.kind == "json"
    assert (e.value.line, e.value.column) == (line, column)
    assert "send it as a string" in str(e.value)


def test_json_numbers_within_64_bits_floats_and_strings_are_kept() -> None:
    text = (
        '{"attributes": {"max": 18446744073709551615, "min": -9223372036854775808,'
        f' "float": 1e30, "fraction": 0.5, "text": "{D}", "key {D}": 1}}}}'
    )
    attributes = nac.Endpoint.from_json(text).attributes
    assert attributes == {
        "max": 2**64 - 1,
        "min": -(2**63),
        "float": 1e30,
        "fraction": 0.5,
        "text": str(BIG),
        f"key {BIG}": 1,
    }
    assert nac.Endpoint(id=2**64 - 1).id == 2**64 - 1
    with pytest.raises(nacwire.ModelError, match=r"integer 18446744073709551616 \(20 digits\)"):
        nac.Endpoint(attributes={"n": 2**64})
    with pytest.raises(nacwire.ModelError, match=r"integer -9223372036854775809 \(19 digits\)"):
        nac.Endpoint(attributes={"n": -(2**63) - 1})


def test_ecp_port_zero_is_refused() -> None:
    """Was: port 0 accepted in a verified URL, in ``hwc_port`` (then ``controller()``
    returned port 0) and written into signed approvals."""
    signer = ecp.Signer("portal", b"k")
    with pytest.raises(nacwire.SignatureError, match="port 0 is not a usable port") as e:
        signer.presign("portal.example", "/", {"token": "t"}, port=0)
    assert e.value.kind == "invalid_url"
    with pytest.raises(nacwire.SignatureError, match="port 0 is not a usable port") as e:
        ecp.Approval("t", "1", "u").signed_url("192.0.2.1", 0, signer)
    assert (e.value.kind, e.value.parameter) == ("invalid_value", "hwc_port")
    with pytest.raises(nacwire.SignatureError, match="port 0 is not a usable port") as e:
        ecp.parse_unsigned("https://portal.example/x?token=t&wlan=1&dest=d&hwc_port=0")
    assert (e.value.kind, e.value.parameter) == ("invalid_value", "hwc_port")
    verifier = ecp.Verifier(ecp.Keyring({"portal": b"k"}))
    url = signer.presign("portal.example", "/x", {"token": "t", "wlan": "1", "dest": "d"})
    with pytest.raises(nacwire.SignatureError, match="port 0 is not a usable port") as e:
        verifier.verify(url.replace("portal.example/", "portal.example:0/"))
    assert e.value.kind == "invalid_url"
    with pytest.raises(nacwire.SignatureError, match="port 0 is not a usable port"):
        verifier.verify_request("portal.example", "/x", url.split("?", 1)[1], port=0)
    # what controllers send (443, 8443, nothing) and the ends of the range still work
    assert verifier.verify(url).token == "t"
    for port in (1, 8443, 65535):
        redirect = ecp.parse_unsigned(
            f"https://p/x?token=t&wlan=1&dest=d&hwc_ip=10.0.0.1&hwc_port={port}"
        )
        assert redirect.controller() == ("10.0.0.1", port)
        approval = ecp.Approval("t", "1", "u").signed_url("10.0.0.1", port, signer)
        assert approval.startswith(f"https://10.0.0.1:{port}/")


def test_client_timeout_above_max_timeout_is_refused() -> None:
    """Was: ``Client(timeout=20, max_timeout=16)`` accepted; the exchange then waited
    20 s first and 16-32 s after, not the schedule asked for."""
    with pytest.raises(ValueError, match=r"^timeout \(20 s\) is more than max_timeout \(16 s\)"):
        radius.Client(timeout=20)
    with pytest.raises(ValueError, match=r"timeout \(3\.5 s\) is more than max_timeout \(3 s\)"):
        radius.Client(timeout=3.5, max_timeout=3)
    radius.Client(timeout=16, max_timeout=16)  # equal: fine
    radius.Client(timeout=60, max_timeout=0)  # 0: no cap
    # the one-destination clients derive max_timeout from timeout: any timeout works
    with radius.UdpClient("127.0.0.1", 1812, SECRET, timeout=30.0) as client:
        assert repr(client) == "<UdpClient 127.0.0.1:1812>"


def test_nul_in_names_is_a_value_error() -> None:
    """Was: ``BuildError: User- Name: unknown attribute`` (the NUL printed raw, the
    name looking truncated or mangled), ``KeyError`` on lookups."""
    nul = r'"User-\\0Name" contains a NUL character$'
    with pytest.raises(ValueError, match="^attribute name " + nul):
        radius.build("Access-Request", SECRET, {"User-\0Name": "bob"})
    with pytest.raises(ValueError, match=r'^Service-Type value "Login-User\\0" contains a NUL'):
        radius.build("Access-Request", SECRET, {"Service-Type": "Login-User\0"})
    packet = radius.build("Access-Request", SECRET, {"User-Name": "b\0b"})  # data: as given
    client = radius.Client()
    client.add_destination("nas", SECRET)
    assert packet["User-Name"] == "b\0b"
    for lookup in (
        lambda: packet["User-\0Name"],
        lambda: packet.get("User-\0Name"),
        lambda: packet.get_all("User-\0Name"),
        lambda: "User-\0Name" in packet,
        lambda: radius.Dictionary.builtin().attribute("User-\0Name"),
        lambda: "User-\0Name" in radius.Dictionary.builtin(),
        lambda: client.send("nas", "Access-Request", {"User-\0Name": "b"}),
    ):
        with pytest.raises(ValueError, match=nul):
            lookup()
    for text, name in (
        ("ATTRIBUTE Foo\0Bar 250 string\n", "Foo\0Bar"),
        ("ATTRIBUTE Foo 250 integer\nVALUE Foo A\0B 1\n", "A\0B"),
        ("VENDOR Ex\0mple 99999\n", "Ex\0mple"),
    ):
        with pytest.raises(nacwire.DictionaryError, match="contains a NUL character") as e:
            radius.Dictionary.parse(text, strict=False)
        assert e.value.token == name


@pytest.mark.parametrize("retries", [0, 1, 2])
def test_udp_clients_send_retries_plus_one_times(retries: int) -> None:
    """Was: ``retries=0`` retransmitted forever (the exchange reads a count of 0 as no
    limit, and the one-destination clients set no overall limit): a hang."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sink:
        sink.bind(("127.0.0.1", 0))
        sink.settimeout(0.5)
        address = sink.getsockname()
        outcome: list[BaseException] = []

        def blocking() -> None:
            with radius.UdpClient(*address, SECRET, timeout=0.05, retries=retries) as client:
                try:
                    client.request("Status-Server")
                except BaseException as e:  # the assertion is on the list below
                    outcome.append(e)

        started = time.monotonic()
        thread = threading.Thread(target=blocking, daemon=True)
        thread.start()
        thread.join(5)
        assert not thread.is_alive(), "UdpClient.request did not give up"
        assert time.monotonic() - started < 0.05 * 2 ** (retries + 2)
        assert [type(e) for e in outcome] == [nacwire.Timeout]

        async def main() -> None:
            c = await radius.AsyncClient.connect(*address, SECRET, timeout=0.05, retries=retries)
            try:
                with pytest.raises(nacwire.Timeout):
                    await asyncio.wait_for(c.request("Status-Server"), 5)
            finally:
                c.close()

        asyncio.run(main())
        received = []
        with contextlib.suppress(TimeoutError):
            while True:
                received.append(sink.recv(4096))
        assert len(received) == 2 * (retries + 1)
        assert len(set(received[: retries + 1])) == 1  # the same bytes each time


# --- session 12 ----------------------------------------------------------------------


def test_a_path_with_a_nul_is_a_value_error() -> None:
    """Was: ``DictionaryError`` from ``Dictionary.load`` (and ``TransportError`` from the
    RadSec certificate paths), the file system's "unexpected NUL byte", where a name or
    value with a NUL is a ``ValueError`` everywhere else (and ``open`` says the same)."""
    # (pyo3 adds the argument's name as a note: "while processing 'path'")
    nul = r'^path "[^"]*\\0[^"]*" contains a NUL character'
    for path in ("/usr/share/freeradius\0/dictionary", pathlib.Path("dict\0ionary")):
        with pytest.raises(ValueError, match=nul):
            radius.Dictionary.load(path)
        with pytest.raises(ValueError, match=nul):
            radius.Dictionary.load(path, strict=False, on_builtin=True)
    for kwargs in (
        {"ca": "ca\0.pem"},
        {"cert": "c\0.pem", "key": "k.pem"},
        {"cert": "c.pem", "key": "k\0.pem"},
    ):
        with pytest.raises(ValueError, match=nul):
            radsec.RadSecClient("127.0.0.1", 2083, **kwargs)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=nul):
            radsec.RadSecServer(("127.0.0.1", 0), lambda r, i: None, **kwargs)  # type: ignore[arg-type]
    # a path without one still reads, and a missing file is still a DictionaryError
    with pytest.raises(nacwire.DictionaryError):
        radius.Dictionary.load("/nonexistent/dictionary")
