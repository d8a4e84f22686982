"""nacwire.radius on real bytes: RFC 2865 section 7, the shared bench packets, builds
that reproduce them, verification, typed values, and errors."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import threading

import pytest

import nacwire
from conftest import SECRET, VECTORS, bench_packet
from nacwire import radius

RFC_7_1_REQUEST = bytes.fromhex(
    "010000380f403f9473978057bd83d5cb98f4227a01066e656d6f02120dbe708d93d413ce3196e43f782a0aee"
    "0406c0a80110050600000003"
)
RFC_7_1_ACCEPT = bytes.fromhex(
    "0200002686fe220e7624ba2a1005f6bf9b55e0b20606000000010f06000000000e06c0a80103"
)


def test_rfc2865_7_1_decode_reveal_and_verify() -> None:
    secret = b"xyzzy5461"
    req = radius.Packet.decode(RFC_7_1_REQUEST, secret=secret)
    assert req.code == radius.Code.ACCESS_REQUEST
    assert req.code_name == "Access-Request"
    assert req.identifier == 0
    assert req["User-Name"] == "nemo"
    assert req["User-Password"] == "arctangent"
    assert req["NAS-IP-Address"] == ipaddress.IPv4Address("192.168.1.16")
    assert req["NAS-Port"] == 3
    # no Message-Authenticator: the default server policy ("auto") accepts it
    assert req.verify_request(secret) is False
    with pytest.raises(nacwire.VerifyError):
        req.verify_request(secret, require_message_authenticator=True)

    accept = radius.Packet.decode(RFC_7_1_ACCEPT)
    assert accept.to_dict() == {
        "Service-Type": [1],
        "Login-Service": [0],
        "Login-IP-Host": [ipaddress.IPv4Address("192.168.1.3")],
    }
    assert str(accept["Service-Type"]) == "Login-User"
    assert accept.verify_reply(req, secret, require_message_authenticator=False) is False
    # BlastRADIUS: the recommended default requires Message-Authenticator
    with pytest.raises(nacwire.VerifyError, match="Message-Authenticator"):
        accept.verify_reply(req, secret)
    with pytest.raises(nacwire.VerifyError, match="Response Authenticator"):
        accept.verify_reply(req, b"wrong", require_message_authenticator=False)


def test_text_prints_as_freeradius() -> None:
    """Packet.text() prints attributes as FreeRADIUS 3.2 prints a received packet (the
    lines radclient reads back): quoted strings, dates, ``:0`` on an untagged tagged
    attribute, an unknown or malformed attribute by number with its octets."""
    attrs = (
        bytes.fromhex("0105626f62")  # User-Name "bob"
        + bytes.fromhex("3706")
        + (1796187600).to_bytes(4, "big")  # Event-Timestamp
        + bytes.fromhex("5104")
        + b"10"  # Tunnel-Private-Group-Id, no tag
        + bytes.fromhex("1b05000001")  # Session-Timeout of 3 octets: malformed
        + bytes.fromhex("ea03ff")  # type 234, unknown
        + bytes.fromhex("0212")
        + bytes(16)  # User-Password, hidden
    )
    data = bytes([1, 7]) + (20 + len(attrs)).to_bytes(2, "big") + bytes(16) + attrs
    pkt = radius.Packet.decode(data)
    assert pkt.text().splitlines() == [
        "Access-Request Id 7 Length 61",
        '\tUser-Name = "bob"',
        '\tEvent-Timestamp = "Dec  2 2026 05:00:00 UTC"',
        '\tTunnel-Private-Group-Id:0 = "10"',
        "\tAttr-27 = 0x000001",
        "\tAttr-234 = 0xff",
        "\tUser-Password = <secret>",
    ]


def test_ascend_filters_as_text() -> None:
    """An ``abinary`` value (Ascend-Data-Filter): a ``str`` is the filter text
    FreeRADIUS reads, ``Packet.text()`` prints the filter as FreeRADIUS does, and the
    decoded value is the filter's octets (``bytes``, as for ``octets``)."""
    ascend = radius.Dictionary.parse(
        "VENDOR Ascend 529\nBEGIN-VENDOR Ascend\n"
        "ATTRIBUTE Ascend-Data-Filter 242 abinary\nEND-VENDOR Ascend\n",
        on_builtin=True,
    )
    text = "ip in forward srcip 10.1.1.0/24 dstip 192.168.0.1/32 tcp dstport = 80"
    octets = bytes.fromhex("010101000a010100c0a80001182006000000005000020000") + bytes(8)
    pkt = radius.build(
        "CoA-Request",
        SECRET,
        [
            (
                "Ascend-Data-Filter",
                "IP IN FORWARD dstip 192.168.0.1/32 srcip 10.1.1.0/24 TCP dstport = www",
            ),
            ("Ascend-Data-Filter", octets),
            ("Ascend-Data-Filter", "0x0101"),
        ],
        dictionary=ascend,
    )
    got = radius.Packet.decode(bytes(pkt), dictionary=ascend)
    assert got.to_dict()["Ascend-Data-Filter"] == [octets, octets, b"\x01\x01"]
    assert got.text().splitlines()[1:] == [
        f'\tAscend-Data-Filter = "{text}"',
        f'\tAscend-Data-Filter = "{text}"',
        "\tAscend-Data-Filter = 0x0101",
    ]
    with pytest.raises(
        nacwire.BuildError, match=r'not a valid Ascend filter: invalid protocol \("gre"\)'
    ):
        radius.build(
            "CoA-Request", SECRET, {"Ascend-Data-Filter": "ip in forward gre"}, dictionary=ascend
        )


def test_raw_attribute_names_and_keys_build_the_octets_text_shows() -> None:
    """What Packet.text() prints for unknown and malformed attributes (FreeRADIUS's raw
    names, `0x` octets) builds those octets again, as radclient reads them; a number
    or tuple key the dictionary does not define is that raw attribute too."""
    vsa = bytes.fromhex("1a0b0000270f0105616263")  # vendor 9999, type 1, "abc"
    attrs = bytes.fromhex("1b05000001") + bytes.fromhex("ea03ff") + vsa
    data = bytes([4, 1]) + (20 + len(attrs)).to_bytes(2, "big") + bytes(16) + attrs
    pairs = [
        tuple(line.strip().split(" = ", 1))
        for line in radius.Packet.decode(data).text().splitlines()[1:]
    ]
    assert pairs == [("Attr-27", "0x000001"), ("Attr-234", "0xff"), ("Attr-26.9999.1", "0x616263")]
    assert radius.build("Accounting-Request", SECRET, pairs).raw[20:] == attrs
    by_key = [(234, b"\xff"), ((9999, 1), b"abc")]
    assert radius.build("Accounting-Request", SECRET, by_key).raw[20:] == attrs[5:]
    for bad, message in [
        ({"Attr-27": "zz"}, "not a valid octets value"),
        ({"Attr-27": "0x1"}, "not a valid octets value"),
        ({"Attr-256": b"x"}, "number out of range"),
        ({(0, 300): b"x"}, "no attribute Attr-300"),
        ({"Attr-26.9999.1": 5}, "not a valid octets value"),
    ]:
        with pytest.raises(nacwire.BuildError, match=message):
            radius.build("Accounting-Request", SECRET, bad)


def test_rfc2865_7_1_request_rebuilt_byte_for_byte() -> None:
    req = radius.Packet.decode(RFC_7_1_REQUEST)
    rebuilt = radius.build(
        "Access-Request",
        b"xyzzy5461",
        [
            ("User-Name", "nemo"),
            ("User-Password", "arctangent"),
            ("NAS-IP-Address", ipaddress.IPv4Address("192.168.1.16")),
            ("NAS-Port", 3),
        ],
        identifier=0,
        authenticator=req.authenticator,
        message_authenticator=False,
    )
    assert bytes(rebuilt) == RFC_7_1_REQUEST


def _attrs(name: str) -> tuple[dict, list[tuple[str, object]]]:
    spec = json.loads((VECTORS / "bench-packets" / "attrs.json").read_text())[name]
    pairs = [(a["name"], a["value"]) for a in spec["attrs"] if a["name"] != "Message-Authenticator"]
    return spec, pairs


@pytest.mark.parametrize("name", ["A", "B", "C"])
def test_bench_packets_decode_verify_and_rebuild(name: str) -> None:
    data = bench_packet(name)
    spec, pairs = _attrs(name)
    pkt = radius.Packet.decode(data, secret=SECRET)
    assert pkt.code == spec["code"]
    assert pkt.identifier == spec["id"]
    assert bytes(pkt) == data
    pkt.verify_request(SECRET)
    got = [(n, v) for n, v in pkt.items() if n != "Message-Authenticator"]
    assert len(got) == len(pairs)
    for (gn, gv), (wn, wv) in zip(got, pairs, strict=True):
        assert gn == wn
        if isinstance(gv, ipaddress.IPv4Address):
            assert gv == ipaddress.IPv4Address(wv)
        elif isinstance(gv, dt.datetime):
            assert gv.timestamp() == wv
        elif isinstance(gv, bytes):
            assert gv.hex() == wv or gv == bytes.fromhex(wv.removeprefix("0x"))
        else:
            assert gv == wv, gn
    # the same attribute values give the same bytes
    values = [(n, bytes.fromhex(v.removeprefix("0x")) if n == "Class" else v) for n, v in pairs]
    auth = bytes.fromhex(spec["authenticator"]) if spec["code"] == 1 else None
    rebuilt = radius.build(spec["code"], SECRET, values, identifier=spec["id"], authenticator=auth)
    assert bytes(rebuilt) == data


def test_tampered_packets_fail_verification() -> None:
    for name in "ABC":
        data = bytearray(bench_packet(name))
        data[-1] ^= 1
        pkt = radius.Packet.decode(bytes(data))
        with pytest.raises(nacwire.VerifyError):
            pkt.verify_request(SECRET)
        with pytest.raises(nacwire.VerifyError):
            radius.Packet.decode(bench_packet(name)).verify_request(b"not-the-secret")


def test_reply_round_trip_with_proxy_state_and_tunnel_password() -> None:
    req = radius.build(
        "Access-Request",
        SECRET,
        {"User-Name": "bob", "User-Password": "hello", "Proxy-State": [b"\x01\x02", b"abc"]},
        identifier=9,
    )
    server_view = radius.Packet.decode(bytes(req), secret=SECRET)
    assert server_view["User-Password"] == "hello"
    assert server_view.verify_request(SECRET, require_message_authenticator=True) is True
    accept = radius.reply(
        server_view,
        "Access-Accept",
        SECRET,
        [
            ("Tunnel-Type", (1, "VLAN")),
            ("Tunnel-Medium-Type:1", "IEEE-802"),
            ("Tunnel-Private-Group-Id:1", "vlan-20"),
            ("Tunnel-Password:1", "s3cret"),
            ("Session-Timeout", 3600),
        ],
        salt=0x8123,
    )
    assert accept.identifier == 9
    client_view = radius.Packet.decode(bytes(accept), secret=SECRET, request=req)
    assert client_view.verify_reply(req, SECRET) is True
    assert client_view.get_all("Proxy-State") == [b"\x01\x02", b"abc"]
    assert client_view["Tunnel-Type"] == (1, 13)
    assert str(client_view["Tunnel-Type"][1]) == "VLAN"
    assert client_view["Tunnel-Private-Group-Id"] == (1, "vlan-20")
    assert client_view["Tunnel-Password"] == (1, "s3cret")
    # without the secret the hidden value stays hidden
    assert radius.Packet.decode(bytes(accept))["Tunnel-Password"] != (1, "s3cret")
    # a reply to another request does not verify
    other = radius.build("Access-Request", SECRET, {"User-Name": "eve"}, identifier=9)
    with pytest.raises(nacwire.VerifyError):
        client_view.verify_reply(other, SECRET)


def test_values_are_sent_exactly_as_given() -> None:
    tricky = [" bob ", '"quoted"', "a=b\t", "", "ünïcode", "x" * 253]
    for text in tricky:
        pkt = radius.build("Accounting-Request", SECRET, [("User-Name", text)])
        if text == "":
            # an empty string attribute is not allowed on the wire (RFC 2865 5)
            continue
        assert radius.Packet.decode(bytes(pkt))["User-Name"] == text


def test_typed_values_round_trip() -> None:
    when = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)
    attrs = [
        ("Framed-IP-Address", ipaddress.IPv4Address("10.1.2.3")),
        ("Framed-IPv6-Prefix", ipaddress.IPv6Network("2001:db8::/32")),
        ("Event-Timestamp", when),
        ("Acct-Input-Octets", 4_000_000_000),
        ("NAS-Port-Type", "Wireless-802.11"),
        ("Class", b"\x00\xffraw"),
        ("Cisco-AVPair", "subscriber:command=reauthenticate"),
    ]
    pkt = radius.Packet.decode(bytes(radius.build("Accounting-Request", SECRET, attrs)))
    assert pkt["Framed-IP-Address"] == ipaddress.IPv4Address("10.1.2.3")
    assert pkt["Framed-IPv6-Prefix"] == ipaddress.IPv6Network("2001:db8::/32")
    assert pkt["Event-Timestamp"] == when
    assert pkt["Acct-Input-Octets"] == 4_000_000_000
    assert pkt["NAS-Port-Type"] == 19 and pkt["NAS-Port-Type"].name == "Wireless-802.11"
    assert pkt["Class"] == b"\x00\xffraw"
    assert pkt[(9, 1)] == "subscriber:command=reauthenticate"
    assert pkt[8] == ipaddress.IPv4Address("10.1.2.3")
    assert 44 not in pkt and "User-Name" not in pkt
    assert pkt.get("User-Name", "none") == "none"
    with pytest.raises(KeyError):
        pkt["User-Name"]
    names = [a[0] for a in pkt.attributes()]
    assert names == [n for n, _ in attrs]
    assert pkt.attributes()[-1][1] == (9, 1)


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        ([("No-Such-Attribute", "x")], "No-Such-Attribute"),
        ([("NAS-Port", "not-a-number")], "NAS-Port"),
        ([("NAS-Port", 2**32)], "out of range"),
        ([("NAS-Port", -1)], "out of range"),
        ([("Framed-IP-Address", b"\x01\x02")], "Framed-IP-Address"),
        ([("Tunnel-Private-Group-Id:32", "x")], "tag"),
        ([("User-Name", "x" * 254)], "253"),
        ([("User-Name", 7)], "User-Name"),
    ],
)
def test_build_errors_are_typed(attrs: list[tuple[str, object]], message: str) -> None:
    with pytest.raises(nacwire.BuildError, match=message):
        radius.build("Accounting-Request", SECRET, attrs)


def test_build_error_names_the_attribute() -> None:
    with pytest.raises(nacwire.BuildError) as info:
        radius.build("CoA-Request", SECRET, [("Session-Timeout", "soon")])
    assert info.value.attribute == "Session-Timeout"


@pytest.mark.parametrize(
    ("data", "offset"),
    [
        (b"", 0),
        (b"\x01\x00\x00\x14", 0),
        (bytes.fromhex("01000015") + bytes(16) + b"\x01", 20),
        (bytes.fromhex("01000018") + bytes(16) + b"\x01\x09ab", 20),
        (bytes.fromhex("01000016") + bytes(16) + b"\x01\x01", 20),
    ],
)
def test_malformed_packets_raise_packet_error(data: bytes, offset: int) -> None:
    with pytest.raises(nacwire.PacketError) as info:
        radius.Packet.decode(data)
    assert info.value.offset == offset
    assert isinstance(info.value, nacwire.Error)


def test_malformed_vendor_specific_is_kept_readable() -> None:
    """A Vendor-Specific whose inner structure does not parse (a sub-attribute longer
    than the VSA, too short for a vendor id) does not make Packet.decode refuse the
    packet: as FreeRADIUS 3.2 keeps it (radsniff prints ``Attr-26 = 0x...``), it is
    read whole, as ``Vendor-Specific`` with its octets, between the other attributes,
    which read as usual; a signed packet carrying it still verifies, and a tampered
    one still does not. A malformed top-level attribute list is still refused."""
    overrun = bytes.fromhex("00000009010361020978")  # Cisco: 2nd sub-attribute claims 9
    short = bytes.fromhex("000009")  # not even a vendor id
    attrs = (
        bytes.fromhex("0105626f62")  # User-Name "bob"
        + bytes([26, 2 + len(overrun)])
        + overrun
        + bytes.fromhex("050600000007")  # NAS-Port 7
        + bytes([26, 2 + len(short)])
        + short
        + bytes.fromhex("1a0b000000090105613d62")  # Cisco-AVPair "a=b"
    )
    data = bytes([4, 9]) + (20 + len(attrs)).to_bytes(2, "big") + bytes(16) + attrs
    pkt = radius.Packet.decode(data)
    assert pkt.keys() == [
        "User-Name",
        "Vendor-Specific",
        "NAS-Port",
        "Vendor-Specific",
        "Cisco-AVPair",
    ]
    assert len(pkt) == 5
    assert pkt["User-Name"] == "bob"
    assert pkt["NAS-Port"] == 7
    assert pkt["Cisco-AVPair"] == "a=b"
    assert pkt["Vendor-Specific"] == overrun
    assert pkt.get_all("Vendor-Specific") == [overrun, short]
    assert pkt.get_all(26) == [overrun, short]
    assert "Vendor-Specific" in pkt
    assert pkt.to_dict()["Vendor-Specific"] == [overrun, short]
    assert pkt.attributes()[1] == ("Vendor-Specific", (0, 26), None, overrun)
    assert pkt.text().splitlines() == [
        "Accounting-Request Id 9 Length 59",
        '\tUser-Name = "bob"',
        "\tAttr-26 = 0x00000009010361020978",
        "\tNAS-Port = 7",
        "\tAttr-26 = 0x000009",
        '\tCisco-AVPair = "a=b"',
    ]
    # The raw pairs text() prints build the same octets again.
    raw = [line.strip().split(" = ", 1) for line in pkt.text().splitlines()[1:]]
    assert (raw[1], raw[3]) == (["Attr-26", "0x" + overrun.hex()], ["Attr-26", "0x" + short.hex()])
    rebuilt: list[tuple[str, object]] = [
        ("User-Name", "bob"),
        (raw[1][0], raw[1][1]),
        ("NAS-Port", 7),
        (raw[3][0], raw[3][1]),
        ("Cisco-AVPair", "a=b"),
    ]
    assert radius.build("Accounting-Request", SECRET, rebuilt).raw[20:] == attrs

    # Signed (Accounting-Request: the Request Authenticator covers it): verifies;
    # one octet changed inside the malformed VSA: does not.
    signed = radius.build(
        "Accounting-Request",
        SECRET,
        [("User-Name", "bob"), ("Attr-26", "0x" + overrun.hex()), ("NAS-Port", 7)],
    )
    got = radius.Packet.decode(bytes(signed))
    assert got.get_all("Vendor-Specific") == [overrun]
    got.verify_request(SECRET)
    tampered = bytearray(bytes(signed))
    tampered[20 + 5 + 2 + 5] ^= 0x01
    with pytest.raises(nacwire.VerifyError):
        radius.Packet.decode(bytes(tampered)).verify_request(SECRET)

    # The top-level walk stays strict: a VSA Length past the packet end.
    bad = bytes([4, 9, 0, 29]) + bytes(16) + bytes([26, 30]) + overrun[:7]
    with pytest.raises(nacwire.PacketError) as info:
        radius.Packet.decode(bad)
    assert info.value.offset == 20


def test_malformed_extended_attributes_are_kept_readable() -> None:
    """RFC 6929 attributes whose structure does not parse (an extended attribute
    without data, the More flag with no continuation, an EVS too short for its vendor
    header) and VSAs FreeRADIUS does not split (a USR type of 2^24, WiMAX holding two
    sub-attributes) do not make Packet.decode refuse the packet: as FreeRADIUS 3.2
    keeps them (radsniff prints ``Attr-241 = 0x01``, ``Attr-245 = 0x...``,
    ``Attr-241.26 = 0x...``, ``Attr-26 = 0x...``), each is read whole between the
    other attributes; a signed packet carrying them verifies, a tampered one does
    not. A long-extended attribute whose Length runs past the packet is refused."""
    broken = bytes.fromhex("0480aabb")  # 245.4, More flag, then User-Name
    short_evs = bytes.fromhex("1a000009")  # 241.26: three octets of vendor id
    usr = bytes.fromhex("000001ad0100000061")  # USR type 0x01000000
    wimax = bytes.fromhex("000060b50104006102040062")  # two WiMAX sub-attributes
    attrs = (
        bytes.fromhex("f10301")  # 241, Extended-Type 1, no data
        + bytes([245, 2 + len(broken)])
        + broken
        + bytes.fromhex("0105626f62")  # User-Name "bob"
        + bytes([241, 2 + len(short_evs)])
        + short_evs
        + bytes([26, 2 + len(usr)])
        + usr
        + bytes([26, 2 + len(wimax)])
        + wimax
        + bytes.fromhex("050600000007")  # NAS-Port 7
    )
    data = bytes([4, 9]) + (20 + len(attrs)).to_bytes(2, "big") + bytes(16) + attrs
    pkt = radius.Packet.decode(data)
    assert len(pkt) == 7
    assert pkt["User-Name"] == "bob"
    assert pkt["NAS-Port"] == 7
    assert pkt.get_all("Vendor-Specific") == [usr, wimax]
    assert [a[1] for a in pkt.attributes()] == [
        (0, 241),
        (0, 245),
        (0, 1),
        (0, 241, 26),
        (0, 26),
        (0, 26),
        (0, 5),
    ]
    assert pkt.text().splitlines()[1:] == [
        "\tAttr-241 = 0x01",
        "\tAttr-245 = 0x0480aabb",
        '\tUser-Name = "bob"',
        "\tAttr-241.26 = 0x000009",
        "\tAttr-26 = 0x000001ad0100000061",
        "\tAttr-26 = 0x000060b50104006102040062",
        "\tNAS-Port = 7",
    ]
    # The raw pairs text() prints build the same octets again.
    pairs: list[tuple[str, object]] = [
        (name, value)
        for name, value in (line.strip().split(" = ", 1) for line in pkt.text().splitlines()[1:])
    ]
    pairs[2] = ("User-Name", "bob")
    pairs[6] = ("NAS-Port", 7)
    assert radius.build("Accounting-Request", SECRET, pairs).raw[20:] == attrs

    # Signed: verifies; one octet changed inside the broken fragment: does not.
    signed = radius.build("Accounting-Request", SECRET, pairs)
    radius.Packet.decode(bytes(signed)).verify_request(SECRET)
    raw = bytearray(bytes(signed))
    raw[20 + 3 + 4] ^= 0x01
    with pytest.raises(nacwire.VerifyError):
        radius.Packet.decode(bytes(raw)).verify_request(SECRET)

    # The top-level walk stays strict.
    bad = bytes([4, 9, 0, 25]) + bytes(16) + bytes([245, 9, 4, 0x80, 1])
    with pytest.raises(nacwire.PacketError) as info:
        radius.Packet.decode(bad)
    assert info.value.offset == 20


def test_repr_redacts_hidden_values() -> None:
    pkt = radius.build("Access-Request", SECRET, {"User-Name": "bob", "User-Password": "hunter2"})
    shown = radius.Packet.decode(bytes(pkt), secret=SECRET)
    assert "hunter2" not in repr(shown)
    assert "hunter2" not in shown.text()
    assert "hunter2" in shown.text(reveal=True)
    assert "User-Name=bob" in repr(shown)
    assert shown.text().startswith(f"Access-Request Id {pkt.identifier} Length {len(bytes(pkt))}")


def test_dictionary_api(tmp_path) -> None:  # type: ignore[no-untyped-def]
    d = radius.Dictionary.builtin()
    assert "User-Name" in d and len(d) > 400
    a = d.attribute("Tunnel-Password")
    assert a is not None
    assert (a.vendor, a.path, a.data_type, a.tagged, a.encrypt) == (
        0,
        [69],
        "string",
        True,
        "salted",
    )
    assert d.vendors()["Cisco"] == 9
    assert ("Framed-User", 2) in d.attribute("Service-Type").values
    site = radius.Dictionary.parse(
        "VENDOR Example 65000\nBEGIN-VENDOR Example\nATTRIBUTE Example-Role 1 string\n"
        "END-VENDOR Example\n",
        on_builtin=True,
    )
    pkt = radius.build(
        "CoA-Request", SECRET, {"Example-Role": "guest", "User-Name": "x"}, dictionary=site
    )
    assert radius.Packet.decode(bytes(pkt), dictionary=site)["Example-Role"] == "guest"
    # unknown to the builtin dictionary: named by number, value kept as octets
    assert radius.Packet.decode(bytes(pkt))["Attr-26.65000.1"] == b"guest"


def test_dictionary_errors_carry_position(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "dictionary").write_text("ATTRIBUTE Good 1 string\nATTRIBUTE Bad x integer\n")
    with pytest.raises(nacwire.DictionaryError) as info:
        radius.Dictionary.load(tmp_path / "dictionary")
    assert (info.value.line, info.value.file.endswith("dictionary")) == (2, True)
    assert info.value.token == "x"
    (tmp_path / "dictionary").write_text(
        "ATTRIBUTE Good 1 string\nVALUE No-Such-Attribute Foo 1\nATTRIBUTE Also 2 integer\n"
    )
    with pytest.raises(nacwire.DictionaryError, match="unknown attribute"):
        radius.Dictionary.load(tmp_path / "dictionary")
    lenient = radius.Dictionary.load(tmp_path / "dictionary", strict=False)
    assert "Good" in lenient and "Also" in lenient
    assert len(lenient.warnings) == 1 and ":2:" in lenient.warnings[0]
    with pytest.raises(nacwire.DictionaryError):
        radius.Dictionary.load(tmp_path / "missing")


def test_freeradius_tree_loads() -> None:
    import os

    root = "/usr/share/freeradius/dictionary"
    if not os.path.exists(root):
        if os.environ.get("CI") == "true":
            pytest.fail("FreeRADIUS dictionaries are not installed")
        pytest.skip("FreeRADIUS dictionaries are not installed")
    d = radius.Dictionary.load(root)
    assert len(d) > 5000
    assert d.attribute("WiMAX-Capability") is not None


def test_sans_io_client_retransmits_and_verifies() -> None:
    client = radius.Client(timeout=1.0, retries=2, max_timeout=4.0, max_duration=0.0, seed=7)
    client.add_destination("nas", SECRET, require_message_authenticator=True)
    t0 = 1000.0
    sent = client.send("nas", "CoA-Request", {"User-Name": "bob"}, now=t0)
    assert client.in_flight("nas") == 1
    deadline = client.poll_timeout()
    assert deadline is not None and 1000.8 < deadline < 1001.2
    assert client.handle_timeout(now=t0 + 0.5) == []
    events = client.handle_timeout(now=t0 + 1.2)
    assert [e.kind for e in events] == ["retransmit"]
    assert events[0].data == bytes(sent) and events[0].attempt == 1
    # a forged reply is rejected and the request stays pending
    server_view = radius.Packet.decode(bytes(sent))
    forged = radius.reply(server_view, "CoA-ACK", b"wrong")
    with pytest.raises(nacwire.VerifyError):
        client.receive("nas", bytes(forged), now=t0 + 1.3)
    assert client.in_flight("nas") == 1
    ack = radius.reply(server_view, "CoA-ACK", SECRET)
    event = client.receive("nas", bytes(ack), now=t0 + 1.4)
    assert event.kind == "reply" and event.reply == ack and event.request == sent
    assert event.signature == "not-required"
    assert event.rtt is not None and event.rtt == pytest.approx(0.2, abs=0.01)
    assert client.in_flight("nas") == 0
    # the same reply again matches nothing
    assert client.receive("nas", bytes(ack), now=t0 + 1.5).kind == "unmatched"
    # and a request that nobody answers times out after the retries
    client.send("nas", "Disconnect-Request", {"User-Name": "bob"}, now=t0 + 2)
    kinds: list[str] = []
    now = t0 + 2
    while client.poll_timeout() is not None and now < t0 + 100:
        now = client.poll_timeout() or now
        kinds += [e.kind for e in client.handle_timeout(now=now)]
    assert kinds == ["retransmit", "retransmit", "timeout"]
    with pytest.raises(nacwire.ExchangeError):
        client.send("elsewhere", "CoA-Request", {"User-Name": "x"})


def test_duplicate_cache_replays_the_reply() -> None:
    cache = radius.DuplicateCache(lifetime=30.0, max_entries=100)
    req = radius.Packet.decode(bench_packet("B"))
    nas = ("192.0.2.1", 5000)
    assert cache.check(nas, req, local_port=3799, now=10.0) is None
    assert cache.check(nas, req, local_port=3799, now=10.1) is True
    ack = radius.reply(req, "CoA-ACK", SECRET)
    cache.store_reply(nas, req, bytes(ack), local_port=3799)
    assert cache.check(nas, req, local_port=3799, now=11.0) == bytes(ack)
    # another source, another local port: new requests (RFC 5080 2.2.2 key)
    assert cache.check(("192.0.2.9", 5000), req, local_port=3799, now=11.0) is None
    assert cache.check(nas, req, local_port=1700, now=11.0) is None
    assert len(cache) == 3
    # after the lifetime the entry is gone
    assert cache.check(nas, req, local_port=3799, now=100.0) is None


def test_duplicate_cache_flood_from_one_host_keeps_the_others() -> None:
    cache = radius.DuplicateCache(lifetime=30.0, max_entries=1000, per_source=100)
    victim = radius.Packet.decode(bench_packet("B"))
    assert cache.check(("192.0.2.1", 1), victim, now=1.0) is None
    cache.store_reply(("192.0.2.1", 1), victim, b"reply")
    for i in range(2000):
        flood = radius.build("CoA-Request", SECRET, {"User-Name": f"x{i}"}, identifier=i % 256)
        cache.check(("198.51.100.7", 1000 + i), flood, now=1.0)
    assert cache.check(("192.0.2.1", 1), victim, now=2.0) == b"reply"


def test_classes_are_shareable_across_threads() -> None:
    d = radius.Dictionary.builtin()
    pkt = radius.Packet.decode(bench_packet("C"), dictionary=d)
    expected = pkt.items()
    results: list[bool] = []

    def work() -> None:
        for _ in range(200):
            results.append(pkt.items() == expected)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 800 and all(results)


def test_auto_policy_learns_per_server_and_the_state_persists() -> None:
    def exchange(client: radius.Client, signed: bool) -> radius.ClientEvent:
        sent = client.send("old-server", "Access-Request", {"User-Name": "bob"}, now=1.0)
        server_view = radius.Packet.decode(bytes(sent))
        accept = radius.reply(server_view, "Access-Accept", SECRET, message_authenticator=signed)
        return client.receive("old-server", bytes(accept), now=1.1)

    client = radius.Client(seed=1)
    client.add_destination("old-server", SECRET, require_message_authenticator="auto")
    first = exchange(client, signed=False)
    assert first.kind == "reply" and first.signature == "accepted-unsigned"
    state = client.reply_state("old-server")
    assert isinstance(state, bytes) and len(state) == 2
    # a fresh client restores what was learned (a restart does not start over)
    restored = radius.Client(seed=2)
    restored.add_destination("old-server", SECRET, require_message_authenticator="auto")
    restored.set_reply_state("old-server", state)
    assert restored.reply_state("old-server") == state
    assert exchange(restored, signed=False).signature == "accepted-unsigned"
    assert exchange(restored, signed=True).signature == "signed"
    with pytest.raises(ValueError):
        restored.set_reply_state("old-server", b"\xff\xff")
    # the recommended policy refuses the unsigned reply outright
    strict = radius.Client(seed=3)
    strict.add_destination("old-server", SECRET)
    with pytest.raises(nacwire.VerifyError, match="Message-Authenticator"):
        exchange(strict, signed=False)
    assert exchange(strict, signed=True).signature == "signed"


# --- s12-msgs: "did you mean" from radius-dict -----------------------------------


def test_misspelt_names_are_suggested() -> None:
    """Trial: ``User-Nmae`` said only "unknown attribute". The dictionary suggests the
    closest names (radius-dict's edit distance, as the command line does), and a
    BuildError for an unknown name or VALUE name says them."""
    d = radius.Dictionary.builtin()
    assert d.suggest("User-Nmae") == ["User-Name"]
    assert d.suggest("User-Name") == []
    assert d.suggest("Frobnicate-Thing") == []
    with pytest.raises(nacwire.BuildError, match=r"did you mean 'User-Name'\?") as e:
        radius.build("Accounting-Request", b"s", {"User-Nmae": "bob"})
    assert e.value.attribute == "User-Nmae"
    with pytest.raises(nacwire.BuildError, match=r"did you mean 'Ethernet'\?"):
        radius.build("Accounting-Request", b"s", {"NAS-Port-Type": "Ethrnet"})
