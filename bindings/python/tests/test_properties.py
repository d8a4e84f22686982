"""Property tests: build -> decode gives back every value of every data type, and no
input of any kind gets anything but a nacwire exception out of the native code."""

from __future__ import annotations

import datetime as dt
import ipaddress

from hypothesis import given, settings, strategies as st

import nacwire
from conftest import SECRET, bench_packet
from nacwire import radius

# One attribute of each data type, in the builtin dictionary.
TEXT = st.text(min_size=1, max_size=60).filter(lambda s: 0 < len(s.encode()) <= 253)
STRATEGIES = {
    "User-Name": TEXT,  # string
    "Class": st.binary(min_size=1, max_size=253),  # octets
    "Framed-IP-Address": st.integers(0, 2**32 - 1).map(ipaddress.IPv4Address),  # ipaddr
    "Login-IPv6-Host": st.integers(0, 2**128 - 1).map(ipaddress.IPv6Address),  # ipv6addr
    "Framed-IPv6-Prefix": st.tuples(st.integers(0, 2**128 - 1), st.integers(0, 128)).map(
        lambda t: ipaddress.IPv6Network(t, strict=False)
    ),  # ipv6prefix
    "Session-Timeout": st.integers(0, 2**32 - 1),  # integer
    "Event-Timestamp": st.integers(0, 2**32 - 1).map(
        lambda s: dt.datetime.fromtimestamp(s, dt.timezone.utc)
    ),  # date
    "Framed-Interface-Id": st.binary(min_size=8, max_size=8),  # ifid
    "Tunnel-Private-Group-Id": st.tuples(st.integers(1, 31), TEXT),  # tagged string
    "Tunnel-Password": st.tuples(st.integers(1, 31), TEXT.filter(lambda s: len(s.encode()) <= 200)),
    # hidden; RFC 2865 5.2 pads with NULs, so a trailing NUL cannot survive
    "User-Password": TEXT.filter(lambda s: len(s.encode()) <= 128 and not s.endswith("\x00")),
}


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(sorted(STRATEGIES)), min_size=1, max_size=6).flatmap(
        lambda names: st.tuples(*(st.tuples(st.just(n), STRATEGIES[n]) for n in names))
    )
)
def test_build_decode_round_trip(attrs: tuple[tuple[str, object], ...]) -> None:
    code = "Access-Request" if any(n == "User-Password" for n, _ in attrs) else "Accounting-Request"
    if code == "Access-Request":
        attrs = tuple((n, v) for n, v in attrs if n != "Tunnel-Password")
    try:
        pkt = radius.build(code, SECRET, list(attrs), identifier=3)
    except nacwire.BuildError as e:
        # only a packet over 4096 octets may be refused
        assert "long" in str(e) or "4096" in str(e), e
        return
    decoded = radius.Packet.decode(bytes(pkt), secret=SECRET)
    decoded.verify_request(SECRET)
    got = [(n, v) for n, v in decoded.items() if n != "Message-Authenticator"]
    assert len(got) == len(attrs)
    for (gn, gv), (wn, wv) in zip(got, attrs, strict=True):
        assert gn == wn
        if wn == "Tunnel-Password":
            assert isinstance(wv, tuple) and gv == wv
        else:
            assert gv == wv, (wn, gv, wv)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_only_raise_packet_error(data: bytes) -> None:
    try:
        pkt = radius.Packet.decode(data, secret=SECRET)
    except nacwire.PacketError:
        return
    pkt.items()
    pkt.text()
    repr(pkt)
    try:
        pkt.verify_request(SECRET)
    except nacwire.Error:
        pass


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(["A", "B", "C"]),
    st.lists(st.tuples(st.integers(0, 400), st.integers(0, 255)), min_size=1, max_size=6),
)
def test_mutated_packets_only_raise_nacwire_errors(name: str, edits: list[tuple[int, int]]) -> None:
    data = bytearray(bench_packet(name))
    for offset, value in edits:
        if offset < len(data):
            data[offset] = value
    try:
        pkt = radius.Packet.decode(bytes(data), secret=SECRET)
        pkt.items()
        pkt.to_dict()
        pkt.verify_request(SECRET, require_message_authenticator=True)
    except nacwire.Error:
        pass


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.one_of(st.text(max_size=40), st.binary(max_size=40), st.integers()))
def test_any_name_and_value_gives_a_packet_or_build_error(name: str, value: object) -> None:
    """A packet or a BuildError; a NUL in the name (or in a value given as text for a
    non-text type) is the one ValueError, naming it escaped."""
    try:
        radius.build("CoA-Request", SECRET, [(name, value)])
    except nacwire.BuildError:
        pass
    except ValueError as e:
        assert "\0" in name or (isinstance(value, str) and "\0" in value), e
        assert str(e).endswith("contains a NUL character")
        assert "\\0" in str(e)
