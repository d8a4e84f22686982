"""Malformed input to nacwire.pyrad: a PacketError (or a value error from reading a
value pyrad could not decode either), never a crash or a hang."""

from __future__ import annotations

import io
import struct

import pytest
from hypothesis import given, settings, strategies as st

from nacwire.pyrad import dictionary, packet

DICT = dictionary.Dictionary(
    io.StringIO(
        "ATTRIBUTE User-Name 1 string\n"
        "ATTRIBUTE NAS-IP-Address 4 ipaddr\n"
        "ATTRIBUTE Tunnel-Password 69 string has_tag,encrypt=2\n"
        "ATTRIBUTE Test-Tlv 1 tlv\n"  # redefines 1: a TLV at the top level
        "ATTRIBUTE Test-Tlv-Sub 1.1 string\n"
        "VENDOR Acme 4242\n"
        "BEGIN-VENDOR Acme\n"
        "ATTRIBUTE Acme-Tlv 9 tlv\n"
        "ATTRIBUTE Acme-Tlv-Sub 9.1 integer\n"
        "ATTRIBUTE Acme-String 2 string\n"
        "END-VENDOR Acme\n"
    )
)


def header(code: int, length: int) -> bytes:
    return struct.pack("!BBH", code, 1, length) + bytes(16)


def attrs_packet(attrs: bytes) -> bytes:
    return header(1, 20 + len(attrs)) + attrs


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Packet header is corrupt"),
        (bytes(19), "Packet header is corrupt"),
        (header(1, 19), "Packet has invalid length"),
        (header(1, 30), "Packet has invalid length"),
        (header(1, 9000) + bytes(9000), "Packet length is too long (9000)"),
        (attrs_packet(b"\x01"), "Attribute header is corrupt"),
        (attrs_packet(b"\x01\x00"), "Attribute length is too small (0)"),
        (attrs_packet(b"\x01\x01"), "Attribute length is too small (1)"),
        (attrs_packet(b"\x01\x05\x01\x00\x00"), "TLV sub-attribute length is invalid"),
        # a vendor TLV whose sub-attribute has length 0 (pyrad #234 looped forever here)
        (attrs_packet(b"\x1a\x0b\x00\x00\x10\x92\x09\x05\x01\x00\x00"), "TLV sub-attribute"),
    ],
)
def test_malformed_packets_raise_packet_error(data: bytes, message: str) -> None:
    with pytest.raises(packet.PacketError, match=message.replace("(", r"\(").replace(")", r"\)")):
        packet.Packet(packet=data, dict=DICT)


def test_vsa_with_zero_length_sub_attribute_stays_whole() -> None:
    # Not a well-formed vendor attribute list: kept under 26, as pyrad does.
    pkt = packet.Packet(packet=attrs_packet(b"\x1a\x0a\x00\x00\x10\x92\x02\x00\x00\x00"), dict=DICT)
    assert pkt[26] == [b"\x00\x00\x10\x92\x02\x00\x00\x00"]


@settings(max_examples=2000, deadline=None)
@given(st.binary(max_size=400))
def test_random_attributes_never_crash(attrs: bytes) -> None:
    try:
        pkt = packet.AuthPacket(packet=attrs_packet(attrs), dict=DICT, secret=b"s")
    except packet.PacketError:
        return
    for key in pkt.keys():
        try:
            pkt[key]
        except (ValueError, packet.PacketError):
            pass  # a value of the wrong size for its type: pyrad raises the same
    pkt.verify_message_authenticator() if pkt.message_authenticator else None
    pkt.CreateReply().ReplyPacket()


@settings(max_examples=2000, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_crash(data: bytes) -> None:
    try:
        packet.Packet(packet=data, dict=DICT)
    except packet.PacketError:
        pass
