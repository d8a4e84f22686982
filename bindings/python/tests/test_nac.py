"""nacwire.nac on the nac-model crate's own vectors (crates/nac-model/tests/)."""

from __future__ import annotations

import ipaddress
import json
import pickle
import threading
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

import nacwire
from nacwire import nac, radius

SECRET = b"testing123"
NOW = 1_700_000_000
ID = 7


def session(**changes: Any) -> nac.Session:
    """The session of crates/nac-model/tests/profiles.rs."""
    s = nac.Session(
        nas_ip="192.0.2.10",
        user_name="alice",
        acct_session_id="0A1B2C3D-00000042",
        calling_station="b0:ee:7b:97:7f:33",
        called_station="00-11-22-33-44-55:corp",
        nas_port=50101,
        nas_port_id="1/1/3",
        framed_ip="10.20.30.40",
        cisco_audit_session_id="0A0B0C0D0000001A2B3C4D5E",
        kind="dot1x",
        state=b"st-1",
    )
    return s.replace(**changes) if changes else s


def planned(profile: str, intent: nac.Intent, s: nac.Session | None = None) -> radius.Packet:
    plan = nac.Profile.get(profile).plan(s or session(), intent, now=NOW)
    return plan.packet(ID, SECRET)


def by_names(code: str, attrs: list[tuple[str, str]]) -> bytes:
    """The expected request, built independently by name (as profiles.rs does)."""
    pairs: list[tuple[object, object]] = [(n, v) for n, v in attrs]
    pairs.append(("Event-Timestamp", NOW))
    return radius.build(
        code, SECRET, pairs, identifier=ID, message_authenticator=True, salt=0x8000
    ).raw


# ---------------------------------------------------------------------------------
# MacAddress

SPELLINGS = [
    "b0:ee:7b:97:7f:33",
    "B0-EE-7B-97-7F-33",
    "b0ee.7b97.7f33",
    "b0ee7b977f33",
    "B0EE7B-977F33",
    "b0ee7b:977f33",
    "b0 ee 7b 97 7f 33",
    "B0:ee:7B:97:7f:33",
]


@pytest.mark.parametrize("text", SPELLINGS)
def test_mac_parses_every_spelling(text: str) -> None:
    mac = nac.MacAddress(text)
    assert bytes(mac) == bytes.fromhex("b0ee7b977f33")
    assert mac == nac.MacAddress(bytes.fromhex("b0ee7b977f33"))
    assert hash(mac) == hash(nac.MacAddress("b0:ee:7b:97:7f:33"))
    assert str(mac) == "b0:ee:7b:97:7f:33"
    assert repr(mac) == "MacAddress('b0:ee:7b:97:7f:33')"


def test_mac_parses_one_digit_groups_as_macos_arp_prints_them() -> None:
    assert str(nac.MacAddress("0:1b:63:84:45:e6")) == "00:1b:63:84:45:e6"
    assert bytes(nac.MacAddress("0-1-2-3-4-5")) == bytes(range(6))
    with pytest.raises(nacwire.ModelError) as err:
        nac.MacAddress("0:1b:63:84:45")
    assert err.value.kind == "bad_grouping"


def test_mac_formats_every_style() -> None:
    m = nac.MacAddress("00:11:22:33:ca:fe")
    table: dict[Any, str] = {
        "rfc3580": "00-11-22-33-CA-FE",
        "hyphen_lower": "00-11-22-33-ca-fe",
        "colon_lower": "00:11:22:33:ca:fe",
        "colon_upper": "00:11:22:33:CA:FE",
        "bare_lower": "00112233cafe",
        "bare_upper": "00112233CAFE",
        "cisco": "0011.2233.cafe",
        "cisco_upper": "0011.2233.CAFE",
        "oui_nic_lower": "001122-33cafe",
        "oui_nic_upper": "001122-33CAFE",
        "space_lower": "00 11 22 33 ca fe",
        "space_upper": "00 11 22 33 CA FE",
    }
    assert sorted(nac.MacAddress.styles) == sorted(table)
    for style, text in table.items():
        assert m.format(style) == text
        assert nac.MacAddress(text) == m
    assert m.format() == "00:11:22:33:ca:fe"
    assert m.oui == b"\x00\x11\x22"
    assert not m.is_locally_administered and not m.is_multicast
    assert nac.MacAddress("da:a1:19:00:00:01").is_locally_administered
    assert nac.MacAddress.BROADCAST.is_multicast
    assert nac.MacAddress.BROADCAST == nac.MacAddress("ff-ff-ff-ff-ff-ff")
    with pytest.raises(nacwire.ModelError) as e:
        m.format("nope")  # type: ignore[arg-type]
    assert e.value.kind == "unknown_style"


def test_mac_ordering_pickle_and_sets() -> None:
    a, b = nac.MacAddress("00:00:00:00:00:01"), nac.MacAddress("00:00:00:00:00:02")
    assert a < b and b > a and a <= a and a != b
    assert sorted([b, a]) == [a, b]
    assert {a, b, nac.MacAddress("000000000001")} == {a, b}
    assert pickle.loads(pickle.dumps(a)) == a
    assert a != "00:00:00:00:00:01"


@pytest.mark.parametrize(
    ("text", "kind", "fields"),
    [
        ("", "empty", {}),
        ("b0:ee:7b:97:7f:33:00", "too_long", {"length": 20}),
        ("b0:ee:7b:97:7f", "bad_grouping", {}),
        ("b0:ee-7b:97:7f:33", "bad_grouping", {}),
        ("b0:ee:7b:97:7f:3g", "invalid_character", {"position": 16, "character": "g"}),
        ("b0:ee:7b:97:7f:é", "invalid_character", {"position": 15, "character": "é"}),
        ("b0ee7b977f33 ", "bad_grouping", {}),
    ],
)
def test_mac_errors_are_typed(text: str, kind: str, fields: dict[str, object]) -> None:
    with pytest.raises(nacwire.ModelError) as e:
        nac.MacAddress(text)
    assert isinstance(e.value, nacwire.Error)
    assert e.value.kind == kind
    for k, v in fields.items():
        assert getattr(e.value, k) == v
    assert e.value.profile is None


def test_mac_wrong_types() -> None:
    with pytest.raises(TypeError):
        nac.MacAddress(12)  # type: ignore[arg-type]
    with pytest.raises(nacwire.ModelError):
        nac.MacAddress(b"\x00" * 5)


@settings(max_examples=500)
@given(st.text(max_size=24))
def test_mac_fuzz_text(text: str) -> None:
    try:
        mac = nac.MacAddress(text)
    except nacwire.ModelError as e:
        assert isinstance(e.kind, str)
        return
    for style in nac.MacAddress.styles:
        assert nac.MacAddress(mac.format(style)) == mac


@given(st.from_regex(r"[0-9a-fA-F:.\- ]{0,18}", fullmatch=True))
def test_mac_fuzz_near_misses(text: str) -> None:
    try:
        nac.MacAddress(text)
    except nacwire.ModelError:
        pass


@given(st.binary(min_size=6, max_size=6))
def test_mac_octets_round_trip(octets: bytes) -> None:
    mac = nac.MacAddress(octets)
    assert mac.octets == octets
    for style in nac.MacAddress.styles:
        assert nac.MacAddress(mac.format(style)) == mac


# ---------------------------------------------------------------------------------
# Session


def access_request() -> radius.Packet:
    """A MAC-auth Access-Request from a Cisco switch (outcomes.rs session_from_requests)."""
    return radius.build(
        "Access-Request",
        SECRET,
        [
            ("User-Name", "b0ee7b977f33"),
            ("User-Password", "b0ee7b977f33"),
            ("Service-Type", "Call-Check"),
            ("NAS-IP-Address", "192.0.2.10"),
            ("NAS-Port", 50101),
            ("NAS-Port-Id", "GigabitEthernet1/0/3"),
            ("Calling-Station-Id", "B0-EE-7B-97-7F-33"),
            ("Called-Station-Id", "00-11-22-33-44-55"),
            ("Cisco-AVPair", "audit-session-id=0A0B0C0D0000001A2B3C4D5E"),
            ("Cisco-AVPair", "service-type=Call Check"),
            ("Acct-Session-Id", "0000002A"),
            ("State", b"st"),
            ("Class", b"c1"),
        ],
        identifier=1,
    )


def test_session_from_packet() -> None:
    p = access_request()
    s = nac.Session.from_packet(p)
    assert s.kind == "mac_auth"
    assert s.nas_ip == ipaddress.IPv4Address("192.0.2.10")
    assert s.nas_port == 50101
    assert s.nas_port_id == "GigabitEthernet1/0/3"
    assert s.calling_station == nac.MacAddress("b0:ee:7b:97:7f:33")
    assert s.called_station == "00-11-22-33-44-55"
    assert s.called_station_mac == nac.MacAddress("00:11:22:33:44:55")
    assert s.ssid is None
    assert s.cisco_audit_session_id == "0A0B0C0D0000001A2B3C4D5E"
    assert s.vendor_attributes == [(9, 1, b"service-type=Call Check")]
    assert s.acct_session_id == "0000002A"
    assert s.state == b"st" and s.classes == [b"c1"]
    # The same from the bytes.
    assert nac.Session.from_packet(p.raw) == s
    # The session drives a plan straight away: 4 identification, 2 commands, timestamp.
    plan = nac.Profile.get("cisco-ios").plan(s, nac.Intent.reauthenticate("last"), now=0)
    assert len(plan.attributes) == 7


def test_session_from_accounting_ppp() -> None:
    p = radius.build(
        "Accounting-Request",
        SECRET,
        [
            ("User-Name", "bob"),
            ("Framed-Protocol", "PPP"),
            ("Framed-IP-Address", "10.0.0.9"),
            ("Acct-Session-Id", "abc"),
            ("Acct-Status-Type", "Start"),
        ],
    )
    s = nac.Session.from_packet(p)
    assert s.kind == "ppp"
    assert s.framed_ip == ipaddress.IPv4Address("10.0.0.9")


def test_session_from_wrong_packets() -> None:
    reply = radius.build("CoA-ACK", SECRET, identifier=1)
    with pytest.raises(nacwire.ModelError) as e:
        nac.Session.from_packet(reply)
    assert e.value.kind == "wrong_code"
    bad_text = radius.build("Access-Request", SECRET, [("User-Name", b"\xff\xfe")])
    with pytest.raises(nacwire.ModelError) as e:
        nac.Session.from_packet(bad_text)
    assert e.value.kind == "not_text" and e.value.attribute == 1
    with pytest.raises(nacwire.PacketError):
        nac.Session.from_packet(b"\x01\x00\x00\x05junk")
    with pytest.raises(TypeError):
        nac.Session.from_packet("not a packet")  # type: ignore[arg-type]


def test_session_fields_and_replace() -> None:
    s = session()
    assert s.user_name == "alice"
    assert s.called_station_mac == nac.MacAddress("00:11:22:33:44:55")
    assert s.ssid == "corp"
    t = s.replace(user_name=None, kind="mac_auth", framed_ipv6_prefix="2001:db8::/64")
    assert t.user_name is None and s.user_name == "alice"
    assert t.kind == "mac_auth"
    assert t.framed_ipv6_prefix == ipaddress.IPv6Network("2001:db8::/64")
    assert t != s and s == session()
    assert hash(s) == hash(session())
    other = nac.Session(calling_station="10.0.0.1")
    assert other.calling_station == "10.0.0.1"
    with pytest.raises(TypeError):
        nac.Session(no_such_field=1)  # type: ignore[call-arg]
    with pytest.raises(nacwire.ModelError):
        nac.Session(nas_ip="300.1.1.1")
    with pytest.raises(nacwire.ModelError):
        nac.Session(kind="carrier-pigeon")  # type: ignore[arg-type]


def test_session_repr_redacts_state() -> None:
    r = repr(session())
    assert "user_name='alice'" in r and "nas_ip=192.0.2.10" in r
    assert "st-1" not in r and "state=<4 bytes>" in r


# ---------------------------------------------------------------------------------
# Profiles: golden requests (crates/nac-model/tests/profiles.rs)

GENERIC_ID = [
    ("NAS-IP-Address", "192.0.2.10"),
    ("User-Name", "alice"),
    ("Acct-Session-Id", "0A1B2C3D-00000042"),
    ("Calling-Station-Id", "B0-EE-7B-97-7F-33"),
    ("Framed-IP-Address", "10.20.30.40"),
]
CISCO_ID = [
    ("NAS-IP-Address", "192.0.2.10"),
    ("Calling-Station-Id", "B0-EE-7B-97-7F-33"),
    ("Acct-Session-Id", "0A1B2C3D-00000042"),
    ("Cisco-AVPair", "audit-session-id=0A0B0C0D0000001A2B3C4D5E"),
]
ISG_ID = [("User-Name", "alice"), ("Acct-Session-Id", "0A1B2C3D-00000042")]
CX_ID = [
    ("Calling-Station-Id", "B0-EE-7B-97-7F-33"),
    ("NAS-Port", "50101"),
    ("NAS-IP-Address", "192.0.2.10"),
    ("User-Name", "alice"),
]
HP_ID = [
    ("User-Name", "alice"),
    ("Calling-Station-Id", "b0-ee-7b-97-7f-33"),
    ("NAS-IP-Address", "192.0.2.10"),
    ("NAS-Port-Id", "1/1/3"),
]
FS_ID = [
    ("Calling-Station-Id", "b0-ee-7b-97-7f-33"),
    ("NAS-IP-Address", "192.0.2.10"),
    ("Acct-Session-Id", "0A1B2C3D-00000042"),
    ("User-Name", "alice"),
]
REAUTH = ("Cisco-AVPair", "subscriber:command=reauthenticate")

GOLDEN = [
    ("generic", nac.Intent.disconnect(), 3799, "Disconnect-Request", GENERIC_ID),
    (
        "generic",
        nac.Intent.disconnect(6),
        3799,
        "Disconnect-Request",
        [*GENERIC_ID, ("Acct-Terminate-Cause", "Admin-Reset")],
    ),
    (
        "generic",
        nac.Intent.change_role("staff"),
        3799,
        "CoA-Request",
        [*GENERIC_ID, ("Filter-Id", "staff")],
    ),
    (
        "generic",
        nac.Intent.apply_filter("guest-acl"),
        3799,
        "CoA-Request",
        [*GENERIC_ID, ("Filter-Id", "guest-acl")],
    ),
    (
        "generic",
        nac.Intent.session_timeout(3600),
        3799,
        "CoA-Request",
        [*GENERIC_ID, ("Session-Timeout", "3600")],
    ),
    (
        "generic",
        nac.Intent.idle_timeout(600),
        3799,
        "CoA-Request",
        [*GENERIC_ID, ("Idle-Timeout", "600")],
    ),
    (
        "generic",
        nac.Intent.authorize_only(),
        3799,
        "CoA-Request",
        [*GENERIC_ID, ("Service-Type", "Authorize-Only"), ("State", b"st-1")],
    ),
    ("cisco-ios", nac.Intent.disconnect(), 1700, "Disconnect-Request", CISCO_ID),
    (
        "cisco-ios",
        nac.Intent.reauthenticate("last"),
        1700,
        "CoA-Request",
        [*CISCO_ID, REAUTH, ("Cisco-AVPair", "subscriber:reauthenticate-type=last")],
    ),
    (
        "cisco-ios",
        nac.Intent.reauthenticate("rerun"),
        1700,
        "CoA-Request",
        [*CISCO_ID, REAUTH, ("Cisco-AVPair", "subscriber:reauthenticate-type=rerun")],
    ),
    (
        "cisco-ios",
        nac.Intent.bounce_port(),
        1700,
        "CoA-Request",
        [*CISCO_ID, ("Cisco-AVPair", "subscriber:command=bounce-host-port")],
    ),
    (
        "cisco-ios",
        nac.Intent.disable_port(),
        1700,
        "CoA-Request",
        [*CISCO_ID, ("Cisco-AVPair", "subscriber:command=disable-host-port")],
    ),
    (
        "cisco-ios",
        nac.Intent.activate_service("GUEST-SVC"),
        1700,
        "CoA-Request",
        [
            *CISCO_ID,
            ("Cisco-AVPair", "subscriber:command=activate-service"),
            ("Cisco-AVPair", "subscriber:service-name=GUEST-SVC"),
        ],
    ),
    (
        "cisco-isg",
        nac.Intent.account_logon(),
        1700,
        "CoA-Request",
        [*ISG_ID, ("Cisco-AVPair", "subscriber:command=account-logon")],
    ),
    (
        "cisco-isg",
        nac.Intent.account_logoff(),
        1700,
        "CoA-Request",
        [*ISG_ID, ("Cisco-AVPair", "subscriber:command=account-logoff")],
    ),
    (
        "cisco-isg",
        nac.Intent.activate_service("BOOST", ["20M", "5M"]),
        1700,
        "CoA-Request",
        [*ISG_ID, ("Cisco-AVPair", "subscriber:sa=BOOST(20M,5M)")],
    ),
    (
        "cisco-isg",
        nac.Intent.policy("q_in", "q_out_uncapped"),
        1700,
        "CoA-Request",
        [
            *ISG_ID,
            ("Cisco-AVPair", "subscriber:sub-qos-policy-in=q_in"),
            ("Cisco-AVPair", "subscriber:sub-qos-policy-out=q_out_uncapped"),
        ],
    ),
    (
        "juniper-mx",
        nac.Intent.activate_service("tiered", ["1280000", "5120000"], tag=3),
        3799,
        "CoA-Request",
        [
            ("Acct-Session-Id", "0A1B2C3D-00000042"),
            ("ERX-Service-Activate:3", "tiered(1280000,5120000)"),
        ],
    ),
    (
        "juniper-mx",
        nac.Intent.policy(ingress="in-10M", egress="out-50M"),
        3799,
        "CoA-Request",
        [
            ("Acct-Session-Id", "0A1B2C3D-00000042"),
            ("ERX-Ingress-Policy-Name", "in-10M"),
            ("ERX-Egress-Policy-Name", "out-50M"),
        ],
    ),
    (
        "aruba-cx",
        nac.Intent.change_role("employee"),
        3799,
        "CoA-Request",
        [*CX_ID, ("Aruba-User-Role", "employee")],
    ),
    (
        "aruba-cx",
        nac.Intent.bounce_port(),
        3799,
        "CoA-Request",
        [*CX_ID, ("Aruba-Port-Bounce-Host", "12")],
    ),
    (
        "hp-aos-switch",
        nac.Intent.bounce_port(20),
        3799,
        "CoA-Request",
        [*HP_ID, ("HP-Port-Bounce-Host", "20")],
    ),
    (
        "hp-aos-switch",
        nac.Intent.change_role("employee"),
        3799,
        "CoA-Request",
        [*HP_ID, ("HP-User-Role", "employee")],
    ),
    (
        "fortiswitch",
        nac.Intent.reauthenticate(),
        3799,
        "CoA-Request",
        [*FS_ID, ("Fortinet-Host-Port-AVPair", "action=reauth-port")],
    ),
]


@pytest.mark.parametrize(("profile", "intent", "port", "code", "want"), GOLDEN)
def test_golden_requests(
    profile: str, intent: nac.Intent, port: int, code: str, want: list[tuple[str, str]]
) -> None:
    plan = nac.Profile.get(profile).plan(session(), intent, now=NOW)
    assert plan.port == port
    assert plan.code_name == code
    got = plan.encode(ID, SECRET)
    assert got == by_names(code, want), repr(radius.Packet.decode(got))
    # Decoded back by name: identification first, Event-Timestamp last, verifiable.
    p = radius.Packet.decode(got)
    names = [n for n, _ in p.items()]
    assert names[0] == "Message-Authenticator"
    assert names[1:-1] == [n.split(":")[0] for n, _ in want]
    assert names[-1] == "Event-Timestamp"
    assert p["Event-Timestamp"].timestamp() == NOW
    assert p.verify_request(SECRET)
    assert plan.packet(ID, SECRET) == p


def test_planned_packet_by_name() -> None:
    p = planned("mikrotik", nac.Intent.rate_limit(2_000_000, 10_000_000), session(kind="hotspot"))
    assert p.code_name == "CoA-Request"
    assert p["User-Name"] == "alice"
    assert p["Framed-IP-Address"] == ipaddress.IPv4Address("10.20.30.40")
    assert p["Mikrotik-Rate-Limit"] == "2M/10M"
    # A MAC-authenticated wireless client: User-Name is the MAC, colon upper case.
    p = planned("mikrotik", nac.Intent.disconnect(), session(kind="mac_auth"))
    assert p.get_all("User-Name") == ["B0:EE:7B:97:7F:33"]
    assert "Acct-Session-Id" not in p


def test_profiles() -> None:
    names = nac.Profile.names()
    assert len(names) == 14 and "cisco-ios" in names
    assert [p.name for p in nac.Profile.all()] == names
    ios = nac.Profile.get("Cisco-IOS")
    assert ios.name == "cisco-ios" and ios.vendor == "cisco_ios"
    assert (ios.coa_port, ios.disconnect_port) == (1700, 1700)
    assert ios.identity == [
        "NAS-IP-Address",
        "Calling-Station-Id",
        "Acct-Session-Id",
        "Cisco audit-session-id",
    ]
    assert ios.role_change == "reauthenticate"
    assert ios.supports(nac.Intent.bounce_port()) and ios.supports("disable_port")
    assert not nac.Profile.get("ruckus").supports("change_role")
    assert set(nac.Profile.get("generic").supported()) == {
        "disconnect",
        "change_role",
        "apply_filter",
        "session_timeout",
        "idle_timeout",
        "authorize_only",
        "raw",
    }
    assert nac.Profile.get("hp-aos-switch").calling_station_mac == "hyphen_lower"
    assert nac.Profile.get("mikrotik").mac_auth_identity == ["User-Name (client MAC)"]
    assert nac.Profile.get("fortigate").required == ["Framed-IP-Address"]
    assert "PacketFence" in nac.Profile.get("ruckus").source
    with pytest.raises(nacwire.ModelError) as e:
        nac.Profile.get("nope")
    assert e.value.kind == "unknown_profile"
    site = ios.replace(coa_port=3799, calling_station_mac="bare_lower")
    assert site.coa_port == 3799 and ios.coa_port == 1700
    p = site.plan(session(), nac.Intent.reauthenticate(), now=NOW).packet(1, SECRET)
    assert p["Calling-Station-Id"] == "b0ee7b977f33"
    assert site != ios and ios == nac.Profile.get("cisco-ios")
    # A firmware that wants NAS-Port-Id instead of NAS-Port, and requires it.
    cx = nac.Profile.get("aruba-cx").replace(
        identity=["Calling-Station-Id", "NAS-Port-Id", "NAS-IP-Address"], required=["nas-port-id"]
    )
    assert cx.required == ["NAS-Port-Id"]
    p = cx.plan(session(), nac.Intent.disconnect(), now=NOW).packet(1, SECRET)
    assert [n for n, _ in p.items()][1:-1] == [
        "Calling-Station-Id",
        "NAS-Port-Id",
        "NAS-IP-Address",
    ]
    with pytest.raises(nacwire.ModelError) as e:
        cx.plan(session(nas_port_id=None), nac.Intent.disconnect())
    assert e.value.field == "NAS-Port-Id"
    assert nac.Profile.get("mikrotik").replace(mac_auth_identity=[]).mac_auth_identity is None
    with pytest.raises(nacwire.ModelError):
        ios.replace(identity=["Favourite-Colour"])
    assert "cisco-ios" in repr(ios)


def test_capability_matrix() -> None:
    """Every (profile, intent) pair plans or says it is unsupported, as `supports` says."""
    intents = [
        nac.Intent.disconnect(),
        nac.Intent.reauthenticate("last"),
        nac.Intent.change_role("r"),
        nac.Intent.apply_filter("f"),
        nac.Intent.session_timeout(60),
        nac.Intent.idle_timeout(60),
        nac.Intent.bounce_port(),
        nac.Intent.disable_port(),
        nac.Intent.rate_limit(1000, 1000),
        nac.Intent.policy("i"),
        nac.Intent.activate_service("s"),
        nac.Intent.deactivate_service("s"),
        nac.Intent.account_logon(),
        nac.Intent.account_logoff(),
        nac.Intent.authorize_only(),
    ]
    supported = 0
    for p in nac.Profile.all():
        for i in intents:
            try:
                plan = p.plan(session(), i, now=0)
            except nacwire.ModelError as e:
                assert e.kind == "unsupported", (p.name, i)
                assert e.profile == p.name and e.intent == i.kind
                assert not p.supports(i)
            else:
                assert p.supports(i)
                assert plan.deviations == []
                supported += 1
    assert supported == 46


def test_plan_errors() -> None:
    g = nac.Profile.get("generic")
    with pytest.raises(nacwire.ModelError) as e:
        g.plan(session(state=None), nac.Intent.authorize_only())
    assert e.value.kind == "missing_state"
    with pytest.raises(nacwire.ModelError) as e:
        nac.Profile.get("juniper-mx").plan(session(acct_session_id=None), nac.Intent.disconnect())
    assert e.value.kind == "missing_identity" and e.value.field == "Acct-Session-Id"
    assert e.value.profile == "juniper-mx"
    with pytest.raises(nacwire.ModelError) as e:
        g.plan(nac.Session(), nac.Intent.disconnect())
    assert e.value.kind == "no_session_identification"
    raw = nac.Intent.raw("disconnect", [(6, 1)])
    with pytest.raises(nacwire.ModelError) as e:
        g.plan(session(), raw)
    assert e.value.kind == "not_allowed"
    assert e.value.violations == [
        "Service-Type is not allowed in Disconnect-Request (RFC 5176 §3.6)"
    ]
    # A VSA in a raw CoA lands after the identification attributes.
    plan = nac.Profile.get("ruckus").plan(session(), nac.Intent.raw("coa", [((25053, 1), "staff")]))
    assert plan.attributes[2] == ((25053, 1), None, "staff")
    # Too long for one attribute: the codec's typed error when encoding.
    plan = g.plan(session(user_name="x" * 300), nac.Intent.disconnect())
    with pytest.raises(nacwire.BuildError):
        plan.encode(1, SECRET)
    with pytest.raises(ValueError):
        g.plan(session(), nac.Intent.disconnect(), now=-1)


def test_intents() -> None:
    assert nac.Intent.disconnect() == nac.Intent.disconnect()
    assert nac.Intent.disconnect() != nac.Intent.disconnect(6)
    assert len({nac.Intent.disable_port(), nac.Intent.disable_port()}) == 1
    assert nac.Intent.change_role("staff").kind == "change_role"
    assert nac.Intent.raw("coa", []).kind == "raw"
    assert repr(nac.Intent.change_role("staff")) == "Intent.change_role('staff')"
    assert repr(nac.Intent.reauthenticate("last")) == "Intent.reauthenticate('last')"
    assert repr(nac.Intent.activate_service("s", ["1"], tag=2)) == (
        "Intent.activate_service('s', ['1'], tag=2)"
    )
    with pytest.raises(nacwire.ModelError):
        nac.Intent.reauthenticate("sometimes")  # type: ignore[arg-type]
    with pytest.raises(nacwire.ModelError):
        nac.Intent.activate_service("s", tag=40)
    with pytest.raises(nacwire.ModelError):
        nac.Intent.raw("accept", [])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        nac.Intent.raw("coa", [(1.5, "x")])  # type: ignore[list-item]
    # vendor id 0 is no vendor: (0, 1) would be User-Name in disguise
    with pytest.raises(nacwire.ModelError, match="vendor id 0"):
        nac.Intent.raw("coa", [((0, 1), "eve")])
    # a string is FreeRADIUS numbering of an extended attribute, nothing else
    assert nac.Intent.raw("coa", [("241.8", b"x")]).kind == "raw"
    for bad in ("26.9.1", "8.1", "241", "241.x"):
        with pytest.raises(nacwire.ModelError, match="extended attribute"):
            nac.Intent.raw("coa", [(bad, b"x")])
    plan = nac.Profile.get("generic").plan(
        session(framed_ip=None),
        nac.Intent.raw(
            "coa",
            [
                (11, "acl"),
                ((9, 1), "x=y"),
                (8, ipaddress.IPv4Address("10.0.0.1")),
            ],
        ),
        now=NOW,
    )
    p = plan.packet(1, SECRET)
    assert p["Filter-Id"] == "acl"
    assert p["Framed-IP-Address"] == ipaddress.IPv4Address("10.0.0.1")
    assert p["Cisco-AVPair"] == "x=y"


# ---------------------------------------------------------------------------------
# Outcomes (crates/nac-model/tests/outcomes.rs)


def reply_to(
    request: radius.Packet, code: str, causes: list[int], echo: bool = False
) -> radius.Packet:
    attrs: list[tuple[str, object]] = [("Error-Cause", c) for c in causes]
    if echo:
        attrs += [("Service-Type", 17), ("State", b"st")]
    attrs.append(("Reply-Message", "done"))
    return radius.reply(request, code, SECRET, attrs, message_authenticator=True)


OUTCOMES = [
    (nac.Intent.session_timeout(60), "CoA-ACK", [], False, "applied"),
    (nac.Intent.disconnect(), "Disconnect-ACK", [], False, "applied"),
    (nac.Intent.disconnect(), "Disconnect-ACK", [201], False, "applied"),
    (nac.Intent.disconnect(), "Disconnect-NAK", [503], False, "session_not_found"),
    (nac.Intent.session_timeout(60), "CoA-NAK", [503], False, "session_not_found"),
    (nac.Intent.session_timeout(60), "CoA-NAK", [401, 407], False, "rejected"),
    (nac.Intent.disconnect(), "Disconnect-NAK", [504], False, "rejected"),
    (nac.Intent.session_timeout(60), "CoA-NAK", [601], False, "rejected"),
    (nac.Intent.session_timeout(60), "CoA-NAK", [], False, "rejected"),
    (nac.Intent.session_timeout(60), "CoA-NAK", [599], False, "rejected"),
    (nac.Intent.disconnect(), "Disconnect-ACK", [503], False, "protocol_violation"),
    (nac.Intent.disconnect(), "Disconnect-NAK", [201], False, "protocol_violation"),
    (nac.Intent.authorize_only(), "CoA-NAK", [507], True, "authorize_only_started"),
    (nac.Intent.authorize_only(), "CoA-ACK", [], False, "protocol_violation"),
    (nac.Intent.authorize_only(), "CoA-NAK", [405], False, "rejected"),
    (nac.Intent.session_timeout(60), "CoA-NAK", [507], False, "rejected"),
]


@pytest.mark.parametrize(("intent", "code", "causes", "echo", "kind"), OUTCOMES)
def test_outcomes(intent: nac.Intent, code: str, causes: list[int], echo: bool, kind: str) -> None:
    s = nac.Session(nas_ip="192.0.2.1", user_name="alice", acct_session_id="42", state=b"st")
    plan = nac.Profile.get("generic").plan(s, intent, now=0)
    request = plan.packet(9, SECRET)
    reply = reply_to(request, code, causes, echo)
    o = nac.Outcome.from_reply(request, reply, SECRET)
    assert o.kind == kind
    assert o.reply_code == code
    assert o.causes == causes
    assert [int(c) for c in o.causes] == causes
    assert o.reply_messages == ["done"]
    assert o.is_success == (kind in ("applied", "authorize_only_started"))
    assert (o.violation is not None) == (kind == "protocol_violation")
    assert o.residual_only == (causes == [201] and kind == "applied")
    # The plan says the same (it knows Authorize-Only), and bytes work too.
    assert plan.outcome(request, reply.raw, SECRET).kind == kind


def test_outcome_verifies_the_reply() -> None:
    s = nac.Session(nas_ip="192.0.2.1", acct_session_id="42")
    request = nac.Profile.get("generic").plan(s, nac.Intent.disconnect()).packet(3, SECRET)
    reply = reply_to(request, "Disconnect-ACK", [])
    with pytest.raises(nacwire.VerifyError):
        nac.Outcome.from_reply(request, reply, b"wrong secret")
    # Already verified (e.g. a Client "reply" event): no secret.
    assert nac.Outcome.from_reply(request, reply, None).kind == "applied"
    # The wrong family is refused by verification; interpreted, it is a violation.
    # (`reply` refuses to build it: a CoA-ACK does not answer a Disconnect-Request.)
    with pytest.raises(ValueError, match="CoA-ACK does not answer Disconnect-Request"):
        reply_to(request, "CoA-ACK", [])
    wrong = radius.build(
        "CoA-ACK",
        SECRET,
        [("Reply-Message", "done")],
        identifier=request.identifier,
        authenticator=request.authenticator,
        message_authenticator=True,
    )
    with pytest.raises(nacwire.VerifyError):
        nac.Outcome.from_reply(request, wrong, SECRET)
    o = nac.Outcome.from_reply(request, wrong, None)
    assert o.kind == "protocol_violation"
    assert str(o) == "protocol violation: CoA-ACK does not answer a Disconnect-Request"


def test_error_cause() -> None:
    c = nac.ErrorCause("session-context-not-found")
    assert c == 503 and c == nac.ErrorCause(503) and hash(c) == hash(503)
    assert c.name == "Session-Context-Not-Found"
    assert c.description == "Session Context Not Found"
    assert c.error_class == "server_error" and not c.is_retryable
    assert nac.ErrorCause(506).is_retryable
    assert nac.ErrorCause(201).error_class == "success"
    assert nac.ErrorCause(401).error_class == "client_error"
    assert nac.ErrorCause(9999).name is None and str(nac.ErrorCause(9999)) == "9999"
    assert repr(c) == "ErrorCause(503, 'Session-Context-Not-Found')"
    with pytest.raises(nacwire.ModelError):
        nac.ErrorCause("no-such-cause")
    every = nac.ErrorCause.all()
    assert [int(c) for c in every] == sorted(int(c) for c in every)
    assert 503 in every and all(c.name for c in every)
    # The names agree with the builtin dictionary's VALUEs.
    values = dict(radius.Dictionary.builtin().attribute("Error-Cause").values)  # type: ignore[union-attr]
    for c in every:
        assert values[c.name] == c.value


def test_rfc5176_violations() -> None:
    """Hand-built requests against the §3.6 table (rfc5176.rs table_rules)."""
    ok = planned("cisco-ios", nac.Intent.reauthenticate("last"))
    assert nac.rfc5176_violations(ok) == []
    bad = radius.build(
        "Disconnect-Request",
        SECRET,
        [("User-Name", "a"), ("User-Name", "b"), ("Service-Type", 1), ("Cisco-AVPair", "x=y")],
    )
    assert nac.rfc5176_violations(bad.raw) == [
        "User-Name appears 2 times in Disconnect-Request; at most once allowed (RFC 5176 §3.6)",
        "Service-Type is not allowed in Disconnect-Request (RFC 5176 §3.6)",
    ]
    coa = radius.build("CoA-Request", SECRET, [("Acct-Terminate-Cause", 6), ("Filter-Id", "f")])
    assert nac.rfc5176_violations(coa) == [
        "Acct-Terminate-Cause is not allowed in CoA-Request (RFC 5176 §3.6)"
    ]
    assert nac.rfc5176_violations(access_request()) == []


def test_vlan_by_raw_attributes() -> None:
    """nac-model has no VLAN intent: RFC 3580 tunnel attributes, tagged, in a raw CoA."""
    intent = nac.Intent.raw("coa", [(64, 13, 1), (65, 6, 1), (81, "100", 1)])
    p = nac.Profile.get("generic").plan(session(), intent, now=NOW).packet(5, SECRET)
    assert p["Tunnel-Type"] == (1, 13) and p["Tunnel-Type"][1].name == "VLAN"
    assert p["Tunnel-Medium-Type"] == (1, 6)
    assert p["Tunnel-Private-Group-Id"] == (1, "100")


def test_plan_repr_shows_content_not_state() -> None:
    plan = nac.Profile.get("generic").plan(session(), nac.Intent.authorize_only(), now=NOW)
    r = repr(plan)
    assert r.startswith("<PacketPlan CoA-Request port=3799 authorize-only [")
    assert 'User-Name="alice"' in r and "Service-Type=17" in r
    assert "st-1" not in r and "State=<4 bytes>" in r
    assert repr(nac.ClearPass.disconnect_session("1234")) == (
        "<HttpRequest POST /api/session/1234/disconnect (39-byte application/json body)>"
    )


def test_module_doctest() -> None:
    import doctest

    assert doctest.testmod(nac).failed == 0


# ---------------------------------------------------------------------------------
# Threads and immutability


def test_shared_between_threads() -> None:
    profile = nac.Profile.get("cisco-ios")
    s = session()
    intent = nac.Intent.reauthenticate("last")
    want = profile.plan(s, intent, now=NOW).encode(ID, SECRET)
    results: list[bytes] = []

    def work() -> None:
        for _ in range(50):
            results.append(profile.plan(s, intent, now=NOW).encode(ID, SECRET))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 200 and all(r == want for r in results)


def test_frozen() -> None:
    mac = nac.MacAddress("00:11:22:33:44:55")
    with pytest.raises(AttributeError):
        mac.octets = b"x"  # type: ignore[misc]
    s = session()
    with pytest.raises(AttributeError):
        s.user_name = "mallory"  # type: ignore[misc]


# ---------------------------------------------------------------------------------
# The endpoint-change planner (outcomes.rs planner_transitions)


def st_(status: Any, role: str | None = None, digest: int = 0) -> nac.EndpointState:
    return nac.EndpointState(status, role, digest)


REAUTH_LAST = nac.Intent.reauthenticate("last")
DM = nac.Intent.disconnect()
PLANNER = [
    (
        None,
        st_("Known"),
        [(DM, "became_known"), (REAUTH_LAST, "became_known"), (DM, "became_known")],
    ),
    (
        st_("Unknown"),
        st_("Known"),
        [(DM, "became_known"), (REAUTH_LAST, "became_known"), (DM, "became_known")],
    ),
    (st_("Known", "staff"), st_("Disabled", "staff"), [(DM, "disabled")] * 3),
    (st_("Disabled"), st_("Disabled", None, 1), [None] * 3),
    (
        st_("Known", "guest"),
        st_("Known", "staff"),
        [
            (nac.Intent.change_role("staff"), "role_changed"),
            (REAUTH_LAST, "role_changed"),
            (DM, "role_changed"),
        ],
    ),
    (
        st_("Known"),
        st_("Unknown"),
        [(DM, "became_unknown"), (REAUTH_LAST, "became_unknown"), (DM, "became_unknown")],
    ),
    (
        st_("Known", "staff", 1),
        st_("Known", "staff", 2),
        [
            (DM, "attributes_changed"),
            (REAUTH_LAST, "attributes_changed"),
            (DM, "attributes_changed"),
        ],
    ),
    (st_("Known", "staff", 1), st_("Known", "staff", 1), [None] * 3),
    (st_("Unknown"), st_("Unknown"), [None] * 3),
]


@pytest.mark.parametrize(("previous", "current", "want"), PLANNER)
def test_planner_transitions(
    previous: nac.EndpointState | None,
    current: nac.EndpointState,
    want: list[tuple[nac.Intent, str] | None],
) -> None:
    sessions = [nac.Session(), nac.Session()]
    profiles = ["aruba-cx", "cisco-ios", "ruckus"]
    for name, expected in zip(profiles, want, strict=True):
        got = nac.plan_endpoint_change(previous, current, sessions, nac.Profile.get(name))
        if expected is None:
            assert got == [], name
            continue
        assert [(p.session, p.intent, p.reason) for p in got] == [
            (0, *expected),
            (1, *expected),
        ], name
    assert nac.plan_endpoint_change(previous, current, [], nac.Profile.get("generic")) == []


def test_planner_profile_per_session_and_the_coa() -> None:
    """The IPAM flow: an endpoint becomes Known; each session gets its vendor's CoA."""
    cisco = session()
    aruba = session(nas_ip="192.0.2.20")
    by_nas = {"192.0.2.10": "cisco-ios", "192.0.2.20": "aruba-controller"}

    def profile_of(s: nac.Session) -> nac.Profile:
        return nac.Profile.get(by_nas[str(s.nas_ip)])

    planned = nac.plan_endpoint_change(
        nac.EndpointState("Unknown"), nac.EndpointState("Known"), [cisco, aruba], profile_of
    )
    assert [(p.session, p.intent, p.reason) for p in planned] == [
        (0, REAUTH_LAST, "became_known"),
        (1, DM, "became_known"),
    ]
    assert "session=0" in repr(planned[0])
    sessions = [cisco, aruba]
    packets = [
        profile_of(sessions[p.session])
        .plan(sessions[p.session], p.intent, now=NOW)
        .packet(1, SECRET)
        for p in planned
    ]
    assert packets[0].code_name == "CoA-Request"
    assert packets[0].get_all("Cisco-AVPair")[-1] == "subscriber:reauthenticate-type=last"
    assert packets[1].code_name == "Disconnect-Request"
    assert packets[1]["NAS-IP-Address"] == ipaddress.IPv4Address("192.0.2.20")
    cisco_profile = nac.Profile.get("cisco-ios")
    not_a_profile: Any = {"generic": "generic"}.get
    with pytest.raises(TypeError):
        nac.plan_endpoint_change(None, nac.EndpointState("Known"), [cisco], not_a_profile)
    with pytest.raises(TypeError):
        not_sessions: Any = ["x"]
        nac.plan_endpoint_change(None, nac.EndpointState("Known"), not_sessions, cisco_profile)
    with pytest.raises(nacwire.ModelError):
        nac.EndpointState("known")  # type: ignore[arg-type]


def test_planner_inputs_from_clearpass() -> None:
    before = nac.Endpoint.from_json(
        '{"mac_address":"b0ee7b977f33","status":"Known",'
        '"attributes":{"Role":"guest","IPAM-Subnet":"10.1.0.0/16"}}'
    )
    after = nac.Endpoint.from_json(
        b'{"mac_address":"b0ee7b977f33","status":"Known",'
        b'"attributes":{"Role":"staff","IPAM-Subnet":"10.1.0.0/16"}}'
    )
    b = nac.EndpointState.from_endpoint(before, "Role")
    a = nac.EndpointState.from_endpoint(after, "Role")
    assert a.role == "staff" and a.status == "Known"
    assert a.attributes_digest == b.attributes_digest
    p = nac.plan_endpoint_change(b, a, [nac.Session()], nac.Profile.get("aruba-controller"))
    assert p[0].intent == nac.Intent.change_role("staff")
    moved = nac.Endpoint(
        mac_address=after.mac_address,
        status="Known",
        attributes={"Role": "staff", "IPAM-Subnet": "10.2.0.0/16"},
    )
    assert nac.EndpointState.from_endpoint(moved, "Role").attributes_digest != a.attributes_digest
    dev = nac.Device.from_json('{"mac":"B0-EE-7B-97-7F-33","enabled":false,"role_id":2}')
    d = nac.EndpointState.from_device(dev)
    assert (d.status, d.role) == ("Disabled", "2")
    assert repr(d) == "EndpointState('Disabled', '2', " + str(d.attributes_digest) + ")"


# ---------------------------------------------------------------------------------
# ClearPass (json.rs)

ENDPOINT = (
    '{"id":3001,"mac_address":"005056894ae2","description":"test","status":"Known",'
    '"attributes":{"A":"B","C":"D"},"_links":{"self":{"href":"https://cppm/api/endpoint/3001"}}}'
)


def test_clearpass_endpoint() -> None:
    e = nac.Endpoint.from_json(ENDPOINT)
    assert e.id == 3001
    assert e.mac_address == nac.MacAddress("00:50:56:89:4a:e2")
    assert e.status == "Known" and e.description == "test"
    assert e.attributes == {"A": "B", "C": "D"}
    assert e.links == {"self": {"href": "https://cppm/api/endpoint/3001"}}
    assert e.to_json() == ENDPOINT
    assert nac.Endpoint.from_json(e.to_json()) == e
    assert "mac_address=00:50:56:89:4a:e2" in repr(e)

    # The IPAM PATCH body: status Known and the IPAM attributes, nothing else.
    attrs = {"IPAM-Subnet": "10.20.0.0/16", "IPAM-Hostname": "printer-3f", "IPAM-Registered": True}
    patch = nac.Endpoint(status="Known", attributes=attrs)
    req = nac.ClearPass.update_endpoint("00-50-56-89-4A-E2", patch)
    assert req.method == "PATCH"
    assert req.path_and_query == "/api/endpoint/mac-address/005056894ae2"
    assert req.content_type == "application/json"
    assert req.body is not None and json.loads(req.body) == {"status": "Known", "attributes": attrs}
    assert patch.to_dict() == {"status": "Known", "attributes": attrs}
    assert nac.ClearPass.get_endpoint(nac.MacAddress("005056894ae2")).path == (
        "/api/endpoint/mac-address/005056894ae2"
    )
    assert nac.ClearPass.create_endpoint(e).method == "POST"

    # Status is case-sensitive; MACs must be MACs; unknown fields are refused.
    with pytest.raises(nacwire.ModelError) as err:
        nac.Endpoint.from_json('{"status":"known"}')
    assert err.value.kind == "json" and err.value.line == 1
    with pytest.raises(nacwire.ModelError):
        nac.Endpoint.from_json('{"mac_address":"00505689"}')
    with pytest.raises(nacwire.ModelError):
        nac.Endpoint(mac_address="nope")
    with pytest.raises(TypeError):
        nac.Endpoint(colour="blue")  # type: ignore[call-arg]

    page = (
        '{"_embedded":{"items":[{"id":1,"mac_address":"0000e349473f","status":"Unknown"}]},'
        '"_links":{"self":{"href":"https://cppm/api/endpoint"}},"count":1}'
    )
    items, count = nac.Endpoint.list_from_json(page)
    assert count == 1 and items[0].status == "Unknown"


def test_clearpass_device() -> None:
    body = {
        "mac": "B0-EE-7B-97-7F-33",
        "enabled": True,
        "role_id": 2,
        "expire_time": 1_767_225_600,
        "sponsor_name": "reception",
        "sponsor_profile": "1",
        "visitor_name": "Apple TV, meeting room 2",
        "notes": "registered by IPAM",
        "airgroup_enable": "1",
        "airgroup_shared_user": "alice,bob",
        "custom_field": "kept",
    }
    d = nac.Device.from_json(json.dumps(body))
    assert d.expire_time == 1_767_225_600
    assert d.custom == {"custom_field": "kept"}
    assert d.mac_address == nac.MacAddress("b0:ee:7b:97:7f:33")
    assert nac.Device(**body) == d
    req = nac.ClearPass.create_device(d, coa=True)
    assert req.path_and_query == "/api/device?change_of_authorization=true"
    assert req.body_text is not None and json.loads(req.body_text) == body
    # The password never shows in repr().
    with_pw = nac.Device(**body, password="s3cret")
    assert with_pw.password == "s3cret"
    assert "s3cret" not in repr(with_pw) and "password=<redacted>" in repr(with_pw)
    logged = repr(nac.ClearPass.create_device(with_pw))
    assert "s3cret" not in logged and logged.startswith("<HttpRequest POST /api/device (")
    # Required fields.
    with pytest.raises(nacwire.ModelError) as e:
        nac.ClearPass.create_device(nac.Device())
    assert e.value.kind == "missing_field" and e.value.field == "mac"
    upd = nac.ClearPass.update_device("b0:ee:7b:97:7f:33", nac.Device(enabled=False), coa=False)
    assert upd.path_and_query == "/api/device/mac/B0-EE-7B-97-7F-33?change_of_authorization=false"
    assert upd.body_text == '{"enabled":false}'
    bad = nac.Device(mac="not a mac")
    with pytest.raises(nacwire.ModelError):
        _ = bad.mac_address


def test_clearpass_sessions_and_actions() -> None:
    page = (
        '{"_embedded":{"items":[{"id":"1234","mac_address":"b0ee7b977f33",'
        '"framedipaddress":"10.20.30.40","state":"active","acctsessionid":"0A1B2C3D-00000042",'
        '"nasipaddress":"192.0.2.10"}]}}'
    )
    items, count = nac.ActiveSession.list_from_json(page)
    assert count is None
    s = items[0]
    assert (s.id, s.state, s.framedipaddress) == ("1234", "active", "10.20.30.40")
    assert s.other == {"acctsessionid": "0A1B2C3D-00000042", "nasipaddress": "192.0.2.10"}

    mac = nac.MacAddress("b0:ee:7b:97:7f:33")
    q = nac.ClearPass.active_sessions(mac)
    assert q.path_and_query == (
        "/api/session?filter=%7B%22mac_address%22%3A%22b0ee7b977f33%22,%22state%22%3A%22active%22%7D"
    )
    assert q.query == [("filter", '{"mac_address":"b0ee7b977f33","state":"active"}')]
    assert q.body is None and q.content_type is None
    d = nac.ClearPass.disconnect_session("1234")
    assert (d.path_and_query, d.body_text) == (
        "/api/session/1234/disconnect",
        '{"id":"1234","confirm_disconnect":true}',
    )
    r = nac.ClearPass.reauthorize_session("1234", "Aruba Terminate Session")
    assert r.body_text == (
        '{"confirm_reauthorize":true,"reauthorize_profile":"Aruba Terminate Session"}'
    )
    coa = nac.ClearPass.session_action(
        "coa", mac=mac, enforcement_profiles=["[Aruba Terminate Session]"]
    )
    assert coa.path_and_query == "/api/session-action/coa/mac/b0ee7b977f33?async=false"
    assert coa.body_text == '{"enforcement_profile":["[Aruba Terminate Session]"]}'
    with pytest.raises(nacwire.ModelError) as e:
        nac.ClearPass.session_action("coa", username="alice", asynchronous=True)
    assert e.value.kind == "no_enforcement_profile"
    dis = nac.ClearPass.session_action(
        "disconnect", filter={"username": "alice"}, asynchronous=True
    )
    assert dis.path_and_query == "/api/session-action/disconnect?async=true"
    assert dis.body_text == '{"filter":{"username":"alice"}}'
    by_ip = nac.ClearPass.session_action("disconnect", ip=ipaddress.IPv4Address("10.0.0.1"))
    assert by_ip.path == "/api/session-action/disconnect/ip/10.0.0.1"
    with pytest.raises(TypeError):
        nac.ClearPass.session_action("disconnect", mac=mac, username="alice")
    with pytest.raises(nacwire.ModelError):
        nac.ClearPass.session_action("reboot", mac=mac)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------
# cOS Core (json.rs)

COS_LIST = (
    '{"error":false,"active_users_count":2,"active_users":[{"username":"user1",'
    '"ip":"203.0.113.5","groups":"group1,group2","interface":"wan",'
    '"agent_type":"Identity Awareness","session_timeout":60,"idle_timeout":60},'
    '{"username":"user2","ip":"203.0.113.6","groups":"","interface":"lan",'
    '"agent_type":"Identity Awareness","session_timeout":3600,"idle_timeout":300}]}'
)


def test_cos_core_replies() -> None:
    r = nac.UserauthResponse.from_json(COS_LIST)
    assert r.kind == "users" and r.total == 2
    assert [u.username for u in r.users] == ["user1", "user2"]
    assert r.users[0].groups == ["group1", "group2"]
    assert r.users[0].ip == ipaddress.IPv4Address("203.0.113.5")
    assert r.users[0].agent_type == "Identity Awareness"
    assert r.users[1].groups == []
    assert r.to_json() == COS_LIST
    added = nac.UserauthResponse.from_json(
        b'{"error":false,"user":{"username":"user1","ip":"192.168.1.10",'
        b'"groups":"group1, group2","interface":"wan","agent_type":"Identity Awareness",'
        b'"session_timeout":60,"idle_timeout":60}}'
    )
    assert added.kind == "added" and added.user is not None
    assert added.user.groups == ["group1", "group2"]
    assert nac.UserauthResponse.from_json('{"error":false}').kind == "ok"
    nf = nac.UserauthResponse.from_json(
        '{"error":true,"error_code":404,"error_message":"User does not exist"}'
    )
    assert (nf.kind, nf.error_code, nf.error_message) == ("error", 404, "User does not exist")
    assert nf.users == [] and nf.user is None and nf.total is None
    for junk in [
        "",
        "{}",
        '{"error":"no"}',
        '{"error":false,"active_users":[{"username":"u","ip":"::1","groups":"",'
        '"session_timeout":1}]}',
        '{"error":false,"active_users":[{"username":"u","ip":"1.2.3.4","groups":"",'
        '"session_timeout":-1}]}',
    ]:
        with pytest.raises(nacwire.ModelError) as e:
            nac.UserauthResponse.from_json(junk)
        assert e.value.kind == "json"


def test_cos_core_requests() -> None:
    u = nac.AuthenticatedUser(
        "user3", "192.168.1.10", ["group1", "group2"], 60, interface="wan", idle_timeout=30
    )
    r = nac.CosCore.add(u)
    assert r.method == "POST" and r.content_type == "application/x-www-form-urlencoded"
    assert r.body_text == (
        "ip=192.168.1.10&interface=wan&session_timeout=60&idle_timeout=30"
        "&username=user3&groups=group1,group2"
    )
    solo = nac.AuthenticatedUser("dhcp client", ipaddress.IPv4Address("192.0.2.7"), [], 600)
    assert nac.CosCore.add(solo).body_text == (
        "ip=192.0.2.7&session_timeout=600&username=dhcp%20client&groups="
    )
    d = nac.CosCore.remove("192.168.1.201")
    assert (d.method, d.path_and_query) == ("DELETE", "/api/oper/userauth?ip=192.168.1.201")
    g = nac.CosCore.get("192.168.1.201", "wan")
    assert g.path_and_query == "/api/oper/userauth?ip=192.168.1.201&interface=wan"
    assert nac.CosCore.list(500).path_and_query == "/api/oper/userauth?num=500"
    assert nac.CosCore.list().path_and_query == "/api/oper/userauth"
    # What the firewall would refuse is refused here.
    with pytest.raises(nacwire.ModelError) as e:
        nac.AuthenticatedUser("u", "192.0.2.1", ["a"], 32 * 24 * 3600)
    assert (e.value.kind, e.value.field, e.value.seconds) == (
        "timeout",
        "session_timeout",
        32 * 24 * 3600,
    )
    with pytest.raises(nacwire.ModelError) as e:
        nac.AuthenticatedUser("", "192.0.2.1", ["a"], 60)
    assert e.value.kind == "empty_username"
    with pytest.raises(nacwire.ModelError) as e:
        nac.AuthenticatedUser("u", "192.0.2.1", ["a,b"], 60)
    assert (e.value.kind, e.value.group) == ("bad_group", "a,b")
    with pytest.raises(nacwire.ModelError) as e:
        nac.AuthenticatedUser("u", "::1", ["a"], 60)
    # From a RADIUS session (accounting to firewall SSO).
    with pytest.raises(nacwire.ModelError) as e:
        nac.AuthenticatedUser.from_session(nac.Session(), [], 60)
    assert (e.value.kind, e.value.field) == ("missing_from_session", "User-Name")
    s = nac.Session(user_name="bob", framed_ip="10.0.0.9")
    u = nac.AuthenticatedUser.from_session(s, ["staff"], 3600)
    assert (u.username, str(u.ip), u.groups) == ("bob", "10.0.0.9", ["staff"])
    assert nac.AuthenticatedUser.from_json(u.to_json()) == u


# ---------------------------------------------------------------------------------
# Nothing but ModelError (or TypeError for wrong Python types) escapes the parsers.

JSON_PARSERS = [
    nac.Endpoint.from_json,
    nac.Endpoint.list_from_json,
    nac.Device.from_json,
    nac.Device.list_from_json,
    nac.ActiveSession.from_json,
    nac.ActiveSession.list_from_json,
    nac.AuthenticatedUser.from_json,
    nac.UserauthResponse.from_json,
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
FIELD_NAMES = [
    "id",
    "mac_address",
    "mac",
    "status",
    "attributes",
    "enabled",
    "role_id",
    "expire_time",
    "error",
    "error_code",
    "error_message",
    "active_users",
    "active_users_count",
    "user",
    "username",
    "ip",
    "groups",
    "session_timeout",
    "idle_timeout",
    "_embedded",
    "items",
    "state",
    "count",
]
shaped = st.dictionaries(st.sampled_from(FIELD_NAMES), json_values, max_size=6)


@settings(max_examples=300)
@given(
    st.one_of(
        st.text(max_size=64),
        st.binary(max_size=64),
        shaped.map(json.dumps),
        json_values.map(json.dumps),
    )
)
def test_json_fuzz(text: str | bytes) -> None:
    for parse in JSON_PARSERS:
        try:
            parse(text)  # type: ignore[operator]
        except nacwire.ModelError as e:
            assert isinstance(e.kind, str)


@settings(max_examples=200)
@given(st.binary(max_size=120))
def test_packet_fuzz(data: bytes) -> None:
    try:
        nac.Session.from_packet(data)
    except (nacwire.ModelError, nacwire.PacketError):
        pass
    try:
        assert isinstance(nac.rfc5176_violations(data), list)
    except nacwire.PacketError:
        pass
    request = radius.build("Disconnect-Request", SECRET, [("User-Name", "a")], identifier=1)
    try:
        nac.Outcome.from_reply(request, data, SECRET)
    except (nacwire.ModelError, nacwire.PacketError, nacwire.VerifyError):
        pass


@settings(max_examples=200)
@given(shaped)
def test_endpoint_and_device_kwargs_fuzz(fields: dict[str, Any]) -> None:
    for cls in (nac.Device,):
        try:
            cls(**fields)
        except nacwire.ModelError:
            pass
    endpoint_fields = {
        k: v for k, v in fields.items() if k in ("id", "mac_address", "status", "attributes")
    }
    try:
        nac.Endpoint(**endpoint_fields)
    except nacwire.ModelError:
        pass
