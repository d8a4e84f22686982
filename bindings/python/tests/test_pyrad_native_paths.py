"""nacwire.pyrad's one-call native paths (construction, DecodePacket, keys(), the
User-Password helpers, Message-Authenticator signing) against what the Python code
they replace computed: pure-Python references written out here from the RFCs."""

from __future__ import annotations

import hashlib
import hmac
import io
import struct

import pytest
from hypothesis import given, settings, strategies as st

from nacwire.pyrad import dictionary, packet

DICT = dictionary.Dictionary(
    io.StringIO(
        "ATTRIBUTE User-Name 1 string\n"
        "ATTRIBUTE User-Password 2 string encrypt=1\n"
        "ATTRIBUTE NAS-IP-Address 4 ipaddr\n"
        "ATTRIBUTE NAS-Port 5 integer\n"
        "ATTRIBUTE Reply-Message 18 string\n"
        "ATTRIBUTE Proxy-State 33 octets\n"
        "ATTRIBUTE Acct-Status-Type 40 integer\n"
        "ATTRIBUTE Message-Authenticator 80 octets\n"
        "ATTRIBUTE Test-Tlv 241 tlv\n"
        "ATTRIBUTE Test-Tlv-Sub 241.1 string\n"
        "VALUE Acct-Status-Type Start 1\n"
        "VENDOR Acme 4242\n"
        "BEGIN-VENDOR Acme\n"
        "ATTRIBUTE Acme-String 2 string\n"
        "END-VENDOR Acme\n"
    )
)
SECRET = b"s3cret"
AUTH = bytes(range(16))


def _pw_reference(secret: bytes, auth: bytes, data: bytes, hide: bool) -> bytes:
    """RFC 2865 5.2, as the Python fallback of PwCrypt/PwDecrypt computes it."""
    if hide:
        data = data + bytes(-len(data) % 16 if data else 16)
    out, last = [], auth
    for i in range(0, len(data), 16):
        key = hashlib.md5(secret + last).digest()
        block = bytes(a ^ b for a, b in zip(data[i : i + 16], key, strict=True))
        out.append(block)
        last = block if hide else data[i : i + 16]
    return b"".join(out)


@settings(max_examples=200, deadline=None)
@given(
    password=st.binary(max_size=128),
    secret=st.binary(min_size=1, max_size=40),
    auth=st.binary(min_size=16, max_size=16),
)
def test_user_password_matches_the_rfc_reference(
    password: bytes, secret: bytes, auth: bytes
) -> None:
    pkt = packet.AuthPacket(secret=secret, authenticator=auth, dict=DICT)
    hidden = pkt.PwCrypt(password)
    assert hidden == _pw_reference(secret, auth, password, True)
    revealed = _pw_reference(secret, auth, hidden, False).rstrip(b"\x00")
    assert pkt.PwDecrypt(hidden) == revealed.decode("utf-8", errors="ignore")


def test_user_password_lengths_outside_the_rfc_take_the_python_path() -> None:
    pkt = packet.AuthPacket(secret=SECRET, authenticator=AUTH, dict=DICT)
    with pytest.raises(ValueError, match="longer than 128"):
        pkt.PwCrypt(b"x" * 129)
    with pytest.raises(packet.PacketError, match="Invalid length"):
        pkt.PwDecrypt(b"x" * 17)
    # 144 octets: longer than RFC 2865 allows, still revealed as pyrad does
    long = _pw_reference(SECRET, AUTH, b"y" * 144, True)
    assert pkt.PwDecrypt(long) == "y" * 144


def _raw(code: int, ident: int, auth: bytes, attrs: bytes) -> bytes:
    return struct.pack("!BBH", code, ident, 20 + len(attrs)) + auth + attrs


def test_decode_sets_the_fields_and_the_ordered_raw_view() -> None:
    vsa = struct.pack("!BBL", 26, 6 + 2 + 3, 4242) + b"\x02\x05abc"
    tlv = b"\xf1\x07" + b"\x01\x05xyz"
    attrs = b"\x01\x07alice" + vsa + b"\x05\x06\x00\x00\x00\x07" + tlv + b"\x01\x05bob"
    data = _raw(2, 9, AUTH, attrs) + b"trailing"
    pkt = packet.Packet(packet=data, dict=DICT, secret=SECRET)
    assert (pkt.code, pkt.id, pkt.authenticator) == (2, 9, AUTH)
    assert pkt.raw_packet == data[: 20 + len(attrs)]
    assert pkt.message_authenticator is None
    assert list(pkt.items()) == [
        (1, [b"alice", b"bob"]),
        ((4242, 2), [b"abc"]),
        (5, [b"\x00\x00\x00\x07"]),
        (241, {1: [b"xyz"]}),
    ]
    assert pkt.keys() == ["User-Name", "Acme-String", "NAS-Port", "Test-Tlv"]
    assert pkt["User-Name"] == ["alice", "bob"]
    assert pkt["Test-Tlv"] == {"Test-Tlv-Sub": ["xyz"]}


def test_decode_into_a_filled_packet_replaces_it_and_an_error_leaves_it() -> None:
    pkt = packet.Packet(packet=_raw(2, 9, AUTH, b"\x01\x07alice"), dict=DICT, secret=SECRET)
    pkt.DecodePacket(_raw(3, 10, AUTH, b"\x12\x04hi"))
    assert (pkt.code, pkt.id, list(pkt.items())) == (3, 10, [(18, [b"hi"])])
    before = (pkt.code, pkt.id, pkt.raw_packet, list(pkt.items()))
    bad = _raw(2, 11, AUTH, b"\x12\x04hi\xf1\x05\x01\x09z")  # TLV sub-attribute too long
    with pytest.raises(packet.PacketError, match="TLV sub-attribute length is invalid"):
        pkt.DecodePacket(bad)
    with pytest.raises(packet.PacketError, match="Attribute length is too small"):
        pkt.DecodePacket(_raw(2, 11, AUTH, b"\x12\x01"))
    with pytest.raises(packet.PacketError, match="Packet header is corrupt"):
        pkt.DecodePacket("not bytes")  # type: ignore[arg-type]
    assert (pkt.code, pkt.id, pkt.raw_packet, list(pkt.items())) == before
    # bytearray and memoryview are taken as bytes
    pkt.DecodePacket(bytearray(_raw(2, 12, AUTH, b"\x12\x04ok")))
    assert pkt.raw_packet == _raw(2, 12, AUTH, b"\x12\x04ok") and pkt["Reply-Message"] == ["ok"]


def test_init_checks_types_and_takes_names() -> None:
    with pytest.raises(TypeError, match="secret must be a binary string"):
        packet.Packet(secret="text")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="authenticator must be a binary string"):
        packet.Packet(authenticator="text")
    pkt = packet.AuthPacket(
        id=3, secret=SECRET, dict=DICT, User_Name="alice", NAS_Port=7, message_authenticator=True
    )
    assert (pkt.code, pkt.id, pkt.auth_type, pkt.message_authenticator) == (1, 3, "pap", True)
    assert list(pkt.items()) == [(1, [b"alice"]), (5, [b"\x00\x00\x00\x07"])]
    assert (pkt.request_authenticator, pkt._request_code, pkt.raw_packet) == (None, None, None)


def test_ids_come_from_the_module_counter_or_a_replaced_create_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(packet, "CurrentID", 254)
    assert [packet.Packet().id, packet.Packet().id] == [255, 0]
    assert packet.CurrentID == 0
    # with packet= the counter advances too (pyrad sets the id before decoding)
    pkt = packet.Packet(packet=_raw(2, 77, AUTH, b""), dict=DICT)
    assert pkt.id == 77 and packet.CurrentID == 1
    monkeypatch.setattr(packet, "CreateID", lambda: 42)
    assert packet.Packet().id == 42 and packet.CurrentID == 1


def test_an_overridden_decode_packet_is_called() -> None:
    seen = []

    class Mine(packet.Packet):
        def DecodePacket(self, data: bytes) -> None:
            seen.append(data)
            super().DecodePacket(data)

    data = _raw(2, 5, AUTH, b"\x01\x05bob")
    pkt = Mine(packet=data, dict=DICT)
    assert seen == [data] and pkt["User-Name"] == ["bob"]


def _ma_reference(code: int, ident: int, vector: bytes, attrs: bytes) -> bytes:
    """RFC 3579 3.2 over attrs with the Message-Authenticator value zeroed."""
    head = struct.pack("!BBH", code, ident, 20 + len(attrs))
    return hmac.new(SECRET, head + vector + attrs, "md5").digest()


def _zeroed(attrs: bytes) -> tuple[bytes, bytes]:
    pos = 0
    while attrs[pos] != 80:
        pos += attrs[pos + 1]
    return attrs[: pos + 2] + bytes(16) + attrs[pos + 18 :], attrs[pos + 2 : pos + 18]


def test_request_packet_signs_with_the_request_authenticator() -> None:
    pkt = packet.AuthPacket(id=4, secret=SECRET, authenticator=AUTH, dict=DICT)
    pkt["User-Name"] = "alice"
    pkt[241] = {1: [b"tlv"]}  # a TLV goes through _PktEncodeTlv
    pkt.add_message_authenticator()
    wire = pkt.RequestPacket()
    assert wire[:4] == struct.pack("!BBH", 1, 4, len(wire)) and wire[4:20] == AUTH
    assert wire[20] == 80  # added first
    zeroed, mac = _zeroed(wire[20:])
    assert mac == _ma_reference(1, 4, AUTH, zeroed)
    assert pkt[80] == [mac]  # the packet holds the value it sent
    assert packet.AuthPacket(packet=wire, dict=DICT, secret=SECRET).verify_message_authenticator()
    # encoding again gives the same octets (the stored value is zeroed first)
    assert pkt.RequestPacket() == wire
    # a mutation after signing is covered by the next encoding
    pkt["User-Name"] = "bob"
    again = pkt.RequestPacket()
    zeroed, mac = _zeroed(again[20:])
    assert mac == _ma_reference(1, 4, AUTH, zeroed) and b"bob" in again


def test_accounting_and_reply_vectors() -> None:
    acct = packet.AcctPacket(id=6, secret=SECRET, dict=DICT, message_authenticator=True)
    acct["Acct-Status-Type"] = "Start"
    wire = acct.RequestPacket()
    zeroed, mac = _zeroed(wire[20:])
    assert mac == _ma_reference(4, 6, bytes(16), zeroed)  # zero vector, RFC 3579 3.2
    assert hashlib.md5(wire[:4] + bytes(16) + wire[20:] + SECRET).digest() == wire[4:20]

    req = packet.AuthPacket(id=8, secret=SECRET, authenticator=AUTH, dict=DICT)
    req[33] = [b"state"]
    reply = req.CreateReply()
    reply["Reply-Message"] = "welcome"
    raw = reply.ReplyPacket()
    zeroed, mac = _zeroed(raw[20:])
    assert mac == _ma_reference(2, 8, AUTH, zeroed)  # the request's authenticator
    assert list(reply.keys())[:2] == ["Message-Authenticator", "Proxy-State"]
    got = packet.Packet(packet=raw, dict=DICT, secret=SECRET)
    assert req.VerifyReply(got, raw, enforce_ma=True)

    status = packet.AcctPacket(packet.StatusServer, id=2, secret=SECRET, dict=DICT)
    answer = status.CreateReply()
    answer._request_code = packet.StatusServer
    answer.authenticator = AUTH
    raw = answer.ReplyPacket()
    zeroed, mac = _zeroed(raw[20:])
    assert mac == _ma_reference(5, 2, AUTH, zeroed)  # reply to Status-Server: not zero


def test_signing_errors() -> None:
    pkt = packet.Packet(packet.AccessAccept, id=1, secret=SECRET, dict=DICT)
    with pytest.raises(Exception, match="No authenticator found"):
        pkt._refresh_message_authenticator()
    short = packet.AuthPacket(id=1, secret=SECRET, authenticator=b"short", dict=DICT)
    short.add_message_authenticator()
    wire = short.RequestPacket()  # struct's "16s": padded with zeros
    assert wire[4:20] == b"short" + bytes(11)
    zeroed, mac = _zeroed(wire[20:])
    head = struct.pack("!BBH", 1, 1, len(wire))
    assert mac == hmac.new(SECRET, head + b"short" + zeroed, "md5").digest()


def test_keys_follow_the_ordered_dict_order() -> None:
    pkt = packet.Packet(secret=SECRET, dict=DICT)
    pkt[5] = [b"\x00\x00\x00\x01"]
    pkt[1] = [b"a"]
    pkt[(9, 9)] = [b"unknown"]
    pkt.move_to_end(5)
    assert pkt.keys() == ["User-Name", (9, 9), "NAS-Port"]
    assert packet.Packet(secret=SECRET).keys() == []
    bare = packet.Packet(secret=SECRET, dict=None)
    bare[1] = [b"a"]
    assert bare.keys() == [1]
