"""Value encoders and decoders per dictionary data type, as ``pyrad.tools``.

Each ``EncodeX`` turns a Python value into attribute octets and each ``DecodeX``
turns octets back; ``EncodeAttr``/``DecodeAttr`` dispatch on the type name.
"""

from __future__ import annotations

import binascii
import ipaddress
import re
import socket
import struct
from typing import Any

_MAX = 253
_inet_pton = socket.inet_pton
_AF_INET = socket.AF_INET
_IFID = re.compile(r"([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,4}):([0-9a-fA-F]{1,4})")
_ETHER = re.compile(
    r"([0-9a-fA-F]{1,2})([:-])([0-9a-fA-F]{1,2})\2([0-9a-fA-F]{1,2})\2"
    r"([0-9a-fA-F]{1,2})\2([0-9a-fA-F]{1,2})\2([0-9a-fA-F]{1,2})"
)


def _fits(octets: bytes) -> bytes:
    if len(octets) > _MAX:
        raise ValueError("Can only encode strings of <= 253 characters")
    return octets


def _exact(value: bytes, n: int, datatype: str) -> None:
    if len(value) != n:
        raise ValueError(f"Invalid {datatype} value: expected {n} bytes, got {len(value)}")


def EncodeString(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, bytes):
        return _fits(value)
    if isinstance(value, str):
        return _fits(value.encode("utf-8"))
    raise TypeError("Can only encode str/bytes as string")


def EncodeOctets(value: Any) -> bytes:
    if value is None:
        return b""
    if isinstance(value, (bytes, bytearray)):
        raw = bytes(value)
        if raw.startswith(b"0x"):
            try:
                raw = binascii.unhexlify(raw[2:])
            except binascii.Error:
                pass  # not hex after all: the octets themselves
        return _fits(raw)
    if isinstance(value, str):
        if value.startswith("0x"):
            out = binascii.unhexlify(value[2:])
        elif value.isdecimal():
            n = int(value)
            out = n.to_bytes(max(1, (n.bit_length() + 7) // 8), "big")
        else:
            out = value.encode("utf-8")
        return _fits(out)
    raise TypeError("Can only encode str/bytes as octets")


def EncodeAddress(addr: Any) -> bytes:
    if not isinstance(addr, str):
        raise TypeError("Address has to be a string")
    return ipaddress.IPv4Address(addr).packed


def EncodeIPv6Address(addr: Any) -> bytes:
    if isinstance(addr, ipaddress.IPv6Address):
        return addr.packed
    if not isinstance(addr, str):
        raise TypeError("IPv6 Address has to be a string")
    return ipaddress.IPv6Address(addr).packed


def EncodeIPv6Prefix(value: Any, default_prefixlen: int = 128) -> bytes:
    net: Any
    if isinstance(value, str):
        if "/" in value:
            net = ipaddress.ip_network(value, strict=False)
        else:
            net = ipaddress.IPv6Network(
                (ipaddress.IPv6Address(value), default_prefixlen), strict=False
            )
    elif isinstance(value, ipaddress.IPv6Network):
        net = value
    elif isinstance(value, ipaddress.IPv6Address):
        net = ipaddress.IPv6Network((value, default_prefixlen), strict=False)
    elif hasattr(value, "ip") and hasattr(value, "prefixlen"):  # netaddr.IPNetwork
        net = ipaddress.ip_network(f"{value.ip}/{int(value.prefixlen)}", strict=False)
    else:
        raise TypeError(
            "IPv6 Prefix has to be a string, IPv6Network, IPv6Address, or netaddr IPNetwork"
        )
    if getattr(net, "version", None) != 6:
        raise ValueError("not an IPv6 prefix")
    return bytes((0, net.prefixlen)) + net.network_address.packed


def EncodeAscendBinary(orig_str: str) -> bytes:
    """An Ascend filter such as ``'family=ipv4 action=accept direction=in dst=10.0.0.0/8'``."""
    if orig_str.strip() == "delete":
        return bytes(8)
    family, action, direction = 1, 0, 1
    addrs: dict[str, bytes | None] = {"src": None, "dst": None}
    lens = {"src": 0, "dst": 0}
    proto = sportq = dportq = 0
    ports = {"sport": 0, "dport": 0}
    for term in orig_str.split():
        key, value = term.split("=")
        if key == "family" and value == "ipv6":
            family = 3
        elif key == "action" and value == "accept":
            action = 1
        elif key == "action" and value == "redirect":
            action = 0x20
        elif key == "direction" and value == "out":
            direction = 0
        elif key in addrs:
            net = ipaddress.ip_network(value, strict=False)
            addrs[key] = net.network_address.packed
            lens[key] = net.prefixlen
        elif key in ports:
            ports[key] = int(value)
        elif key == "proto":
            proto = int(value)
        elif key == "sportq":
            sportq = int(value)
        elif key == "dportq":
            dportq = int(value)
    size = 16 if family == 3 else 4
    for key, packed in addrs.items():
        if packed is None:
            addrs[key] = bytes(size)
        elif len(packed) != size:
            raise ValueError(
                f"{key} address does not match the filter family {'ipv6' if size == 16 else 'ipv4'}"
            )
    return (
        bytes((family, action, direction, 0))
        + (addrs["src"] or b"")
        + (addrs["dst"] or b"")
        + struct.pack(
            "!BBBBHHBB",
            lens["src"],
            lens["dst"],
            proto,
            0,
            ports["sport"],
            ports["dport"],
            sportq,
            dportq,
        )
        + bytes(10)
    )


def _pack(num: int, fmt: str, datatype: str) -> bytes:
    bits = 8 * struct.calcsize(fmt)
    lo, hi = (
        (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if fmt[-1].islower() else (0, (1 << bits) - 1)
    )
    if not lo <= num <= hi:
        raise ValueError(f"{datatype} value {num} out of range ({lo}..{hi})")
    return struct.pack(fmt, num)


def EncodeIfId(value: Any) -> bytes:
    if isinstance(value, (bytes, bytearray)):
        _exact(bytes(value), 8, "ifid")
        return bytes(value)
    if not isinstance(value, str):
        raise TypeError("Interface id has to be a string or bytes")
    m = _IFID.fullmatch(value)
    if m is None:
        raise ValueError(f"Invalid ifid value: {value!r}")
    return struct.pack("!4H", *(int(g, 16) for g in m.groups()))


def EncodeEther(value: Any) -> bytes:
    if isinstance(value, (bytes, bytearray)):
        _exact(bytes(value), 6, "ether")
        return bytes(value)
    if not isinstance(value, str):
        raise TypeError("Ethernet address has to be a string or bytes")
    m = _ETHER.fullmatch(value)
    if m is None:
        raise ValueError(f"Invalid ether value: {value!r}")
    g = m.groups()
    return bytes(int(x, 16) for x in (g[0], *g[2:]))


def EncodeInteger(num: Any, format: str = "!I") -> bytes:
    try:
        num = int(num)
    except Exception:
        raise TypeError("Can not encode non-integer as integer") from None
    return _pack(num, format, "integer")


def EncodeInteger64(num: Any, format: str = "!Q") -> bytes:
    try:
        num = int(num)
    except Exception:
        raise TypeError("Can not encode non-integer as integer64") from None
    return _pack(num, format, "integer64")


def EncodeDate(num: Any) -> bytes:
    if not isinstance(num, int):
        raise TypeError("Can not encode non-integer as date")
    return _pack(num, "!I", "date")


def DecodeString(value: Any) -> Any:
    """UTF-8 text, or the bytes themselves when they are not valid UTF-8."""
    if isinstance(value, bytes):
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value
    return value


def DecodeOctets(value: bytes) -> bytes:
    return value


def DecodeAddress(addr: bytes) -> str:
    _exact(addr, 4, "ipaddr")
    return str(ipaddress.IPv4Address(addr))


def DecodeIPv6Prefix(addr: bytes) -> str:
    if not 2 <= len(addr) <= 18:
        raise ValueError(f"Invalid ipv6prefix value: expected 2 to 18 bytes, got {len(addr)}")
    prefix = ipaddress.IPv6Address(addr[2:].ljust(16, b"\0"))
    return str(ipaddress.IPv6Network((prefix, addr[1]), strict=False))


def DecodeIPv6Address(addr: bytes) -> str:
    if len(addr) > 16:
        raise ValueError(f"Invalid ipv6addr value: expected at most 16 bytes, got {len(addr)}")
    return str(ipaddress.IPv6Address(addr.ljust(16, b"\0")))


def DecodeIfId(value: bytes) -> str:
    _exact(value, 8, "ifid")
    return ":".join(f"{g:x}" for g in struct.unpack("!4H", value))


def DecodeEther(value: bytes) -> str:
    _exact(value, 6, "ether")
    return ":".join(f"{b:02x}" for b in value)


def DecodeAscendBinary(value: bytes) -> bytes:
    return value


def DecodeInteger(num: bytes, format: str = "!I") -> int:
    _exact(num, struct.calcsize(format), "integer")
    return int(struct.unpack(format, num)[0])


def DecodeInteger64(num: bytes, format: str = "!Q") -> int:
    _exact(num, struct.calcsize(format), "integer64")
    return int(struct.unpack(format, num)[0])


def DecodeDate(num: bytes) -> int:
    _exact(num, 4, "date")
    return int(struct.unpack("!I", num)[0])


_ENCODERS: dict[str, Any] = {
    "string": EncodeString,
    "octets": EncodeOctets,
    "integer": EncodeInteger,
    "ipaddr": EncodeAddress,
    "ipv6prefix": EncodeIPv6Prefix,
    "ipv6addr": EncodeIPv6Address,
    "abinary": EncodeAscendBinary,
    "signed": lambda v: EncodeInteger(v, "!i"),
    "short": lambda v: EncodeInteger(v, "!H"),
    "byte": lambda v: EncodeInteger(v, "!B"),
    "date": EncodeDate,
    "integer64": EncodeInteger64,
    "ifid": EncodeIfId,
    "ether": EncodeEther,
}

_DECODERS: dict[str, Any] = {
    "string": DecodeString,
    "octets": DecodeOctets,
    "integer": DecodeInteger,
    "ipaddr": DecodeAddress,
    "ipv6prefix": DecodeIPv6Prefix,
    "ipv6addr": DecodeIPv6Address,
    "abinary": DecodeAscendBinary,
    "signed": lambda v: DecodeInteger(v, "!i"),
    "short": lambda v: DecodeInteger(v, "!H"),
    "byte": lambda v: DecodeInteger(v, "!B"),
    "date": DecodeDate,
    "integer64": DecodeInteger64,
    "ifid": DecodeIfId,
    "ether": DecodeEther,
}


def EncodeAttr(datatype: str, value: Any) -> bytes:
    enc = _ENCODERS.get(datatype)
    if enc is None:
        raise ValueError(f"Unknown attribute type {datatype}")
    return bytes(enc(value))


def DecodeAttr(datatype: str, value: bytes) -> Any:
    dec = _DECODERS.get(datatype)
    if dec is None:
        raise ValueError(f"Unknown attribute type {datatype}")
    return dec(value)


_KINDS = {"string": 1, "integer": 2, "ipaddr": 3, "octets": 4, "date": 5}


def _codec(datatype: str, values: Any) -> tuple[Any, Any, int, dict[Any, Any], dict[Any, Any]]:
    """Decode and encode functions for one attribute: named values first (as
    ``pyrad.packet`` looks them up), then the type's codec, with fast paths for the
    common types that give the same results and errors as the functions above."""
    back, fwd = values.backward, values.forward
    dec = _DECODERS.get(datatype)
    enc = _ENCODERS.get(datatype)
    if dec is None or enc is None:
        raise ValueError(f"Unknown attribute type {datatype}")

    if datatype == "integer":

        def plain_dec(v: bytes) -> Any:
            if len(v) == 4:
                return int.from_bytes(v, "big")
            return DecodeInteger(v)

    elif datatype == "string":

        def plain_dec(v: bytes) -> Any:
            try:
                return v.decode("utf-8")
            except UnicodeDecodeError:
                return v

    elif datatype == "ipaddr":

        def plain_dec(v: bytes) -> Any:
            if len(v) == 4:
                return "%d.%d.%d.%d" % (v[0], v[1], v[2], v[3])  # noqa: UP031 (fastest)
            return DecodeAddress(v)

    else:
        plain_dec = dec

    def decode(v: bytes) -> Any:
        if back:
            name = back.get(v)
            if name is not None:
                return name
        return plain_dec(v)

    if datatype == "ipaddr":

        def plain_enc(v: Any) -> bytes:
            if type(v) is str:
                try:
                    return _inet_pton(_AF_INET, v)
                except OSError:
                    pass  # the slow path raises pyrad's error
            return EncodeAddress(v)

    elif datatype == "string":

        def plain_enc(v: Any) -> bytes:
            if type(v) is str:
                b = v.encode("utf-8")
                if len(b) <= _MAX:
                    return b
            return EncodeString(v)

    elif datatype == "integer":

        def plain_enc(v: Any) -> bytes:
            if type(v) is int and 0 <= v <= 0xFFFFFFFF:
                return v.to_bytes(4, "big")
            return EncodeInteger(v)

    else:
        plain_enc = enc

    def encode(v: Any) -> bytes:
        # pyrad looks every value up in the named values first (``HasForward``), even
        # when there are none: an unhashable value (a bytearray, a dict) raises
        # ``TypeError: unhashable type`` there, for every attribute type.
        try:
            return fwd[v]
        except KeyError:
            return bytes(plain_enc(v))

    # the native reader (pyrad_read) decodes these kinds itself, named values first
    return decode, encode, _KINDS.get(datatype, 0), back, fwd
