"""RADIUS packets as pyrad 2.6 models them, as ``pyrad.packet``.

A :class:`Packet` is an ordered dict from wire keys (the attribute code, ``(vendor,
code)`` for a vendor attribute) to lists of encoded values; a TLV's value is a dict
from sub-attribute code to a list. Name keys (``pkt['User-Name']``, ``'Tunnel-Type:1'``)
go through the dictionary. Construction, decoding into that raw view, ``keys()``,
plain reads and writes, encoding with Message-Authenticator and the MD5 work of the
crypt helpers run in Rust (``nacwire._native.pyrad_*``).
"""

from __future__ import annotations

import hashlib
import hmac
import inspect
import secrets
import struct
import types
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from nacwire._native import (
    PyradAcctInit,
    PyradAuthInit,
    PyradCoAInit,
    PyradPacketMethods,
    pyrad_decode,
    pyrad_encode,
    pyrad_fill,
    pyrad_keys,
    pyrad_ncontains,
    pyrad_ncopy_proxy_state,
    pyrad_nencode,
    pyrad_nkeys,
    pyrad_nraw,
    pyrad_nread,
    pyrad_nset_ma,
    pyrad_nsign,
    pyrad_nwrite,
    pyrad_pw,
    pyrad_read,
    pyrad_set_hooks,
    pyrad_sign,
    pyrad_write,
)
from nacwire.pyrad import tools

random_generator = secrets.SystemRandom()

AccessRequest = 1
AccessAccept = 2
AccessReject = 3
AccountingRequest = 4
AccountingResponse = 5
AccessChallenge = 11
StatusServer = 12
StatusClient = 13
DisconnectRequest = 40
DisconnectACK = 41
DisconnectNAK = 42
CoARequest = 43
CoAACK = 44
CoANAK = 45

CurrentID = random_generator.randrange(1, 255)

_ZERO16 = bytes(16)
_MA = 80  # Message-Authenticator
_PROXY_STATE = 33
_SPECIAL = frozenset(["dict", "fd", "packet", "message_authenticator"])


_od_getitem = OrderedDict.__getitem__
_od_len = OrderedDict.__len__
_od_setitem = OrderedDict.__setitem__


class PacketError(Exception):
    """A malformed packet (also raised for packets that fail to decode)."""


def _xor16(a: bytes, b: bytes) -> bytes:
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).to_bytes(16, "big")


def _init_signature(code: int, auth: bool) -> inspect.Signature:
    P = inspect.Parameter
    params = [
        P("code", P.POSITIONAL_OR_KEYWORD, default=code),
        P("id", P.POSITIONAL_OR_KEYWORD, default=None),
        P("secret", P.POSITIONAL_OR_KEYWORD, default=b""),
        P("authenticator", P.POSITIONAL_OR_KEYWORD, default=None),
    ]
    if auth:
        params.append(P("auth_type", P.POSITIONAL_OR_KEYWORD, default="pap"))
    return inspect.Signature([*params, P("attributes", P.VAR_KEYWORD)])


# The classes' __init__ are native slots (see PyradPacketMethods.__init__), whose own
# signature reads (self, /, *args, **kwargs): inspect.signature(cls) gets pyrad's.
_INIT_SIGNATURES = {
    PyradPacketMethods.__init__: _init_signature(0, False),
    PyradAuthInit.__init__: _init_signature(AccessRequest, True),
    PyradAcctInit.__init__: _init_signature(AccountingRequest, False),
    PyradCoAInit.__init__: _init_signature(CoARequest, False),
}


# What inspect takes for code of the interpreter's own (not a Python function).
_NOT_USER_DEFINED: tuple[type, ...] = (
    types.WrapperDescriptorType,
    types.MethodWrapperType,
    types.ClassMethodDescriptorType,
    types.BuiltinFunctionType,
)


def _user_defined(cls: type, name: str) -> bool:
    return not isinstance(getattr(cls, name, None), (*_NOT_USER_DEFINED, type(None)))


class _ClassSignature:
    """``cls.__signature__`` for a packet class: pyrad's ``__init__`` signature where
    ``inspect`` would read it from pyrad's Python ``__init__`` (None otherwise:
    ``inspect`` then reads the subclass's own ``__init__``, ``__new__`` or its
    metaclass's ``__call__``, as for pyrad's classes); instances have none."""

    def __get__(self, obj: object, owner: type | None = None) -> inspect.Signature | None:
        if obj is not None or owner is None:
            raise AttributeError("__signature__")
        # inspect.signature's order for a class: a metaclass __call__, then the first
        # class of the MRO with a Python __new__ or __init__ of its own.
        if _user_defined(type(owner), "__call__"):
            return None
        new = _user_defined(owner, "__new__")
        for base in owner.__mro__:
            if new and "__new__" in base.__dict__:
                return None
            if "__init__" in base.__dict__:
                return _INIT_SIGNATURES.get(base.__dict__["__init__"])
        return None


class Packet(OrderedDict, PyradPacketMethods):  # type: ignore[type-arg]
    """A RADIUS packet: a dict of attributes plus code, id, secret and authenticator.

    Native mode: a packet of this module's own classes keeps its attributes in Rust
    (``_nw``) while only reads, writes and ``in`` by plain attribute name, ``keys()``,
    Message-Authenticator, encoding and replies touch them. Any other use of the
    packet as a dict first fills the OrderedDict with pyrad's raw view (``_fill``),
    so what a program sees is the same either way.
    """

    _nw: Any = None  # the native attributes, or None once the OrderedDict holds them
    # Defaults (a new packet sets only what differs).
    request_authenticator: bytes | None = None
    _request_code: int | None = None
    message_authenticator: bool | None = None
    raw_packet: bytes | None = None

    # (code=0, id=None, secret=b"", authenticator=None, **attributes) in Rust:
    # code, id (the module's CreateID() when None), secret, authenticator,
    # request_authenticator, _request_code, message_authenticator, raw_packet and
    # dict, then DecodePacket(packet) when given, then the attributes given by name.
    # (OrderedDict.__init__ without arguments does nothing: not called.)
    __init__ = PyradPacketMethods.__init__
    __signature__ = _ClassSignature()

    if TYPE_CHECKING:
        code: int
        id: Any
        secret: bytes
        authenticator: Any
        dict: Any

    def _fill(self) -> None:
        """Leave native mode: pyrad's raw view goes into the OrderedDict."""
        nw = self._nw
        if nw is not None:
            pyrad_fill(self, nw, _HOOKS)

    def _raw(self, key: Any, default: Any = None) -> Any:
        """The raw view's value for a wire key (a copy in native mode), or default."""
        nw = self._nw
        if nw is not None:
            value = pyrad_nraw(self, nw, key, _SLOW)
            if value is not _SLOW:
                return default if value is None else value
            pyrad_fill(self, nw, _HOOKS)
        return OrderedDict.get(self, key, default)

    def _AddNamed(self, attributes: dict[str, Any]) -> None:
        for key, value in attributes.items():
            if key not in _SPECIAL:
                self.AddAttribute(key.replace("_", "-"), value)

    # -- Message-Authenticator (RFC 3579 3.2) ----------------------------------------

    # Mark the packet to carry Message-Authenticator (added as the first attribute): in
    # Rust when the packet has its id and authenticator, else _add_message_authenticator.
    add_message_authenticator = PyradPacketMethods._add_message_authenticator

    def _add_message_authenticator(self) -> None:
        """Mark the packet to carry Message-Authenticator (added as the first attribute)."""
        self.message_authenticator = True
        nw = self._nw
        if nw is None or not pyrad_nset_ma(self, nw, _ZERO16):
            self._fill()
            if OrderedDict.__contains__(self, _MA):
                _od_setitem(self, _MA, [_ZERO16])
            else:
                _od_setitem(self, _MA, [_ZERO16])
                OrderedDict.move_to_end(self, _MA, last=False)
        if self.id is None:
            self.id = self.CreateID()
        if self.authenticator is None and self.code == AccessRequest:
            self.authenticator = self.CreateAuthenticator()
            self._refresh_message_authenticator()

    def get_message_authenticator(self) -> bool | None:
        self._refresh_message_authenticator()
        return self.message_authenticator

    def _set_message_authenticator(self, value: bytes) -> None:
        nw = self._nw
        if nw is not None and pyrad_nset_ma(self, nw, value):
            return
        self._fill()
        first = not OrderedDict.__contains__(self, _MA)
        OrderedDict.__setitem__(self, _MA, [value])
        if first:
            OrderedDict.move_to_end(self, _MA, last=False)

    def _message_authenticator_vector(
        self, original_authenticator: bytes | None = None, original_code: int | None = None
    ) -> bytes:
        """The 16 octets that stand in the authenticator field while the HMAC is computed."""
        code = self.code
        if code in (AccountingRequest, DisconnectRequest, CoARequest) or (
            code == AccountingResponse and original_code != StatusServer
        ):
            return _ZERO16
        vector = (
            self.authenticator
            if code in (AccessRequest, StatusServer)
            else (original_authenticator or self.authenticator)
        )
        if vector is None:
            raise Exception("No authenticator found")
        return vector

    def _refresh_message_authenticator(self) -> bytes:
        """Message-Authenticator recomputed (zeros while the HMAC runs; first in the
        packet when new): the encoded attributes with it, from one call into Rust."""
        return self._sign(False)

    def _sign(self, whole: bool) -> bytes:
        """Message-Authenticator recomputed; the attribute octets, or the whole packet."""
        nw = self._nw
        if nw is not None:
            out = pyrad_nsign(self, nw, whole)
            if out is not None:
                return out
            pyrad_fill(self, nw, _HOOKS)
        return pyrad_sign(self, self._PktEncodeTlv, _HOOKS, whole)

    @staticmethod
    def _zero_message_authenticator(attr: bytes) -> bytes:
        """The attribute octets with the first Message-Authenticator's value zeroed."""
        pos = 0
        while pos + 2 <= len(attr):
            kind, length = attr[pos], attr[pos + 1]
            if length < 2:
                break
            if kind == _MA:
                return attr[: pos + 2] + _ZERO16 + attr[pos + length :]
            pos += length
        return attr

    def verify_message_authenticator(
        self,
        secret: bytes | None = None,
        original_authenticator: bytes | None = None,
        original_code: int | None = None,
    ) -> bool:
        if self.message_authenticator is None:
            raise Exception("No Message-Authenticator AVP present")
        received = self._raw(_MA)
        if received is None:
            raise KeyError(_MA)
        if secret is None and self.secret is None:
            raise Exception("Missing secret for HMAC/MD5 verification")
        key = secret or self.secret
        if self.raw_packet:
            attrs = self._zero_message_authenticator(self.raw_packet[20:])
        else:
            self._set_message_authenticator(_ZERO16)
            attrs = self._PktEncodeAttributes()
            self._set_message_authenticator(received[0])
        mac = hmac.new(key, digestmod="MD5")
        mac.update(struct.pack("!BBH", self.code, self.id, 20 + len(attrs)))
        mac.update(self._message_authenticator_vector(original_authenticator, original_code))
        mac.update(attrs)
        return hmac.compare_digest(received[0], mac.digest())

    # -- replies ---------------------------------------------------------------------

    def _PrepareReply(self, reply: Packet, attributes: dict[str, Any]) -> Packet:
        """Remember the request's code and copy its Proxy-State (RFC 2865 5.33)."""
        reply._request_code = self.code
        if "packet" in attributes:
            return reply
        nw, reply_nw = self._nw, reply._nw
        if (
            nw is not None
            and reply_nw is not None
            and pyrad_ncopy_proxy_state(self, nw, reply, reply_nw)
        ):
            return reply
        self._fill()
        reply._fill()
        if OrderedDict.__contains__(self, _PROXY_STATE) and not OrderedDict.__contains__(
            reply, _PROXY_STATE
        ):
            OrderedDict.__setitem__(
                reply, _PROXY_STATE, list(OrderedDict.__getitem__(self, _PROXY_STATE))
            )
        return reply

    def CreateReply(self, **attributes: Any) -> Packet:
        return self._PrepareReply(
            Packet(
                id=self.id,
                secret=self.secret,
                authenticator=self.authenticator,
                dict=self.dict,
                **attributes,
            ),
            attributes,
        )

    # -- values and keys -------------------------------------------------------------

    def _DecodeValue(self, attr: Any, value: bytes) -> Any:
        if attr.encrypt == 2:
            value = self.SaltDecrypt(value)
        backward = attr.values.backward
        if value in backward:
            return backward[value]
        return tools.DecodeAttr(attr.type, value)

    def _EncodeValue(self, attr: Any, value: Any) -> bytes:
        try:
            result = attr.values.forward[value]
        except KeyError:  # an unhashable value raises TypeError, as pyrad's HasForward
            result = tools.EncodeAttr(attr.type, value)
        if attr.encrypt == 2:
            result = self.SaltCrypt(result)
        return result

    def _EncodeKeyValues(self, key: Any, values: Any) -> tuple[Any, Any]:
        if not isinstance(key, str):
            return key, values
        if not isinstance(values, (list, tuple)):
            values = [values]
        name, _, tag_text = key.partition(":")
        attr = self.dict.attributes[name]
        wire_key = self._EncodeKey(name)
        tag = b""
        if tag_text:
            n = int(tag_text)
            if not 0 <= n <= 31:
                raise ValueError(f"Invalid tag {n} for attribute {attr.name}")
            tag = bytes((n,))
        elif attr.has_tag and attr.encrypt == 2:
            tag = b"\x00"
        if tag:
            # RFC 2868: a tagged integer's tag replaces its first octet.
            cut = 1 if attr.type == "integer" else 0
            return wire_key, [tag + self._EncodeValue(attr, v)[cut:] for v in values]
        encoded = [self._EncodeValue(attr, v) for v in values]
        if attr.has_tag and attr.type != "integer":
            # An untagged value whose first octet looks like a tag gets tag 0.
            encoded = [b"\x00" + v if v and v[0] <= 0x1F else v for v in encoded]
        return wire_key, encoded

    @staticmethod
    def _SplitTag(attr: Any, value: bytes) -> tuple[int, bytes]:
        if not attr.has_tag or not value:
            return 0, value
        if attr.type == "integer":
            return value[0], b"\x00" + value[1:]
        if attr.encrypt == 2:
            return (0, value) if len(value) % 16 == 2 else (value[0], value[1:])
        if value[0] <= 0x1F:
            return value[0], value[1:]
        return 0, value

    def _EncodeKey(self, key: Any) -> Any:
        if not isinstance(key, str):
            return key
        attr = self.dict.attributes[key]
        if attr.vendor and not attr.is_sub_attribute:
            return (self.dict.vendors.forward[attr.vendor], attr.code)
        return attr.code

    def _DecodeKey(self, key: Any) -> Any:
        """The attribute name of a wire key, or the key itself when it is unknown."""
        return self.dict.attrindex.backward.get(key, key)

    def AddAttribute(self, key: str, value: Any) -> None:
        """Append value(s) to an attribute given by name (``'Name'`` or ``'Name:tag'``)."""
        if not isinstance(key, str):
            raise TypeError(
                f"Attribute key must be an attribute name, not {type(key).__name__}; "
                "use pkt[code] = [value] for raw values"
            )
        if self._native_write(key, value, True):
            return
        attr = self.dict.attributes[key.partition(":")[0]]
        wire_key, encoded = self._EncodeKeyValues(key, value)
        if attr.is_sub_attribute:
            target = self.setdefault(self._EncodeKey(attr.parent.name), {}).setdefault(wire_key, [])
        else:
            target = self.setdefault(wire_key, [])
        target.extend(encoded)

    def get(self, key: Any, failobj: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return failobj

    __getitem__ = PyradPacketMethods.__getitem__

    def _getitem(self, key: Any) -> Any:
        # Wire keys, and plain attributes (no tag, TLV or salt) through the per-name
        # plan cached on the dictionary, are read in Rust; the rest here.
        nw = self._nw
        if nw is not None:
            value = pyrad_nread(self, nw, key, self.dict, _SLOW, _NOPLAN)
            if value is _NOPLAN:
                value = _SLOW
                if _read_plan(self.dict, key) is not None:
                    value = pyrad_nread(self, nw, key, self.dict, _SLOW, _SLOW)
            if value is not _SLOW:
                return value
            self._fill()
        value = pyrad_read(self, key, _SLOW)
        if value is not _SLOW:
            return value
        if _read_plan(self.dict, key) is not None:
            return pyrad_read(self, key, _SLOW)
        return self._GetNamed(key)

    def _GetNamed(self, key: str) -> Any:
        self._fill()
        name, _, tag = key.partition(":")
        attr = self.dict.attributes[name]
        if attr.is_sub_attribute:
            raw = self._GetTlv(attr)[self._EncodeKey(name)]
        else:
            raw = OrderedDict.__getitem__(self, self._EncodeKey(name))
        if attr.type == "tlv":
            out: dict[Any, list[Any]] = {}
            for code, values in raw.items():
                sub_name = attr.sub_attributes.get(code)
                if sub_name is None:
                    out.setdefault(code, []).extend(values)
                else:
                    sub = self.dict.attributes[sub_name]
                    out.setdefault(sub_name, []).extend(self._DecodeValue(sub, v) for v in values)
            return out
        if not attr.has_tag:
            # pyrad: the values of an attribute without tags have tag 0
            if tag and int(tag) != 0:
                raise KeyError(f"{name}:{tag}")
            return [self._DecodeValue(attr, v) for v in raw]
        want = int(tag) if tag else None
        res = []
        for v in raw:
            value_tag, v = self._SplitTag(attr, v)
            if want is None or value_tag == want:
                res.append(self._DecodeValue(attr, v))
        if want is not None and not res:
            raise KeyError(f"{name}:{tag}")
        return res

    def _GetTlv(self, attr: Any) -> dict[Any, Any]:
        self._fill()
        tlv = OrderedDict.__getitem__(self, self._EncodeKey(attr.parent.name))
        if not isinstance(tlv, dict):
            raise KeyError(attr.parent.name)
        return tlv

    __contains__ = PyradPacketMethods.__contains__  # type: ignore[assignment]

    def _contains(self, key: object) -> bool:
        nw = self._nw
        if nw is not None:
            found = pyrad_ncontains(self, nw, key, self.dict, _SLOW, _NOPLAN)
            if found is _NOPLAN:
                found = _SLOW
                if _read_plan(self.dict, key) is not None:  # type: ignore[arg-type]
                    found = pyrad_ncontains(self, nw, key, self.dict, _SLOW, _SLOW)
            if found is not _SLOW:
                return found  # type: ignore[no-any-return]
            self._fill()
        try:
            if isinstance(key, str) and (":" in key or self.dict.attributes[key].is_sub_attribute):
                self[key]
                return True
            return OrderedDict.__contains__(self, self._EncodeKey(key))
        except KeyError:
            return False

    has_key = __contains__

    __delitem__ = PyradPacketMethods.__delitem__

    def _delitem(self, key: Any) -> None:
        self._fill()
        if isinstance(key, str):
            attr = self.dict.attributes[key]
            if attr.is_sub_attribute:
                tlv = self._GetTlv(attr)
                del tlv[self._EncodeKey(key)]
                if not tlv:
                    OrderedDict.__delitem__(self, self._EncodeKey(attr.parent.name))
                return
        OrderedDict.__delitem__(self, self._EncodeKey(key))

    __setitem__ = PyradPacketMethods.__setitem__

    def _native_write(self, key: Any, item: Any, append: bool) -> bool:
        """Write (or with ``append``, add) ``item`` in native mode; False when the packet
        is in dict mode or has just left native mode (the caller writes then)."""
        nw = self._nw
        if nw is None:
            return False
        done = pyrad_nwrite(self, nw, key, item, self.dict, append, _SLOW, _NOPLAN)
        if done is _NOPLAN:
            done = _SLOW
            if _read_plan(self.dict, key) is not None:
                done = pyrad_nwrite(self, nw, key, item, self.dict, append, _SLOW, _SLOW)
        if done is not _SLOW:
            return True
        self._fill()
        return False

    def _setitem(self, key: Any, item: Any) -> None:
        if self._native_write(key, item, False):
            return
        if not isinstance(key, str):
            OrderedDict.__setitem__(self, key, item)
            return
        # A plain attribute through its plan: encoded in Rust, or by the plan's Python
        # encoder for the values the native one leaves.
        if pyrad_write(self, key, item, _SLOW, _HOOKS) is not _SLOW:
            return
        plan = _plans(self.dict).get(key)
        if plan is None or len(plan) == 1:
            plan = _read_plan(self.dict, key)
        if plan is not None and self.dict.attributes.get(key) is plan[0]:
            enc = plan[3]
            many = isinstance(item, (list, tuple))
            _od_setitem(self, plan[1], [enc(v) for v in item] if many else [enc(item)])
            return
        attr = self.dict.attributes[key.partition(":")[0]]
        wire_key, encoded = self._EncodeKeyValues(key, item)
        if attr.is_sub_attribute:
            self.setdefault(self._EncodeKey(attr.parent.name), {})[wire_key] = encoded
        else:
            OrderedDict.__setitem__(self, wire_key, encoded)

    keys = PyradPacketMethods.keys  # type: ignore[assignment]

    def _keys(self) -> list[Any]:
        """Attribute names for known attributes, wire keys for the others."""
        nw = self._nw
        if nw is not None:
            keys = pyrad_nkeys(self, nw, self.dict)
            if keys is not None:
                return keys
            self._fill()
        return pyrad_keys(self, self.dict)

    @staticmethod
    def CreateAuthenticator() -> bytes:
        """16 random octets from ``random_generator`` (the system's CSPRNG)."""
        return random_generator.getrandbits(128).to_bytes(16, "big")

    def CreateID(self) -> int:
        return random_generator.randrange(0, 256)

    # -- encoding --------------------------------------------------------------------

    def ReplyPacket(self) -> bytes:
        """The reply on the wire: Response Authenticator over the request's authenticator."""
        assert self.authenticator
        assert self.secret is not None
        if self.message_authenticator:
            attrs = self._refresh_message_authenticator()
        else:
            attrs = self._PktEncodeAttributes()
        header = struct.pack("!BBH", self.code, self.id, 20 + len(attrs))
        return (
            header + hashlib.md5(header + self.authenticator + attrs + self.secret).digest() + attrs
        )

    def VerifyReply(
        self, reply: Packet, rawreply: bytes | None = None, enforce_ma: bool = False
    ) -> bool:
        """Whether reply answers this request: id, Response Authenticator,
        Message-Authenticator (required for Access/Status replies with ``enforce_ma``)
        and the Proxy-State attributes echoed in order."""
        if reply.id != self.id:
            return False
        if rawreply is None:
            rawreply = reply.raw_packet if reply.raw_packet is not None else reply.ReplyPacket()
        elif len(rawreply) >= 4:
            rawreply = rawreply[: struct.unpack("!H", rawreply[2:4])[0]]
        expected = hashlib.md5(
            rawreply[:4] + self.authenticator + rawreply[20:] + self.secret
        ).digest()
        if not hmac.compare_digest(expected, rawreply[4:20]):
            return False
        signed_kind = self.code in (AccessRequest, StatusServer)
        if reply._raw(_MA) is not None:
            if not reply.verify_message_authenticator(
                secret=self.secret,
                original_authenticator=self.authenticator,
                original_code=self.code,
            ):
                return False
        elif enforce_ma and signed_kind:
            return False
        if signed_kind:
            sent = self._raw(_PROXY_STATE, [])
            got = reply._raw(_PROXY_STATE, [])
            if got != sent[: len(got)]:
                return False
        return True

    @staticmethod
    def _CheckAttributeLength(key: Any, length: int) -> None:
        if length + 2 > 255:
            raise ValueError(
                f"Value of attribute {key!r} is too long ({length} octets, "
                "at most 253 fit into an attribute)"
            )

    def _PktEncodeAttribute(self, key: Any, value: bytes) -> bytes:
        if isinstance(key, tuple):
            inner = self._PktEncodeAttribute(key[1], value)
            self._CheckAttributeLength(key, 4 + len(inner))
            value = struct.pack("!L", key[0]) + inner
            key = 26
        else:
            self._CheckAttributeLength(key, len(value))
        # struct.pack, as pyrad: a code out of range is its struct.error
        return struct.pack("!BB", key, len(value) + 2) + value

    def _PktEncodeTlv(self, tlv_key: Any, tlv_value: dict[Any, list[bytes]]) -> bytes:
        """A TLV: the n-th values of all sub-attributes together, split over as many
        TLV attributes as needed, each inside a Vendor-Specific for a vendor TLV."""
        tlv = self.dict.attributes[self._DecodeKey(tlv_key)]
        chunks: list[bytes] = []
        current = b""
        rounds = max((len(v) for v in tlv_value.values()), default=0)
        for i in range(rounds):
            part = b"".join(
                self._PktEncodeAttribute(code, values[i])
                for code, values in tlv_value.items()
                if i < len(values)
            )
            if len(part) + len(current) < 245:
                current += part
            else:
                if current:
                    chunks.append(current)
                current = part
        chunks.append(current)
        out = []
        for chunk in chunks:
            self._CheckAttributeLength(tlv.name, len(chunk))
            avp = bytes((tlv.code, len(chunk) + 2)) + chunk
            if tlv.vendor:
                self._CheckAttributeLength(tlv.name, 4 + len(avp))
                avp = (
                    struct.pack("!BBL", 26, len(avp) + 6, self.dict.vendors.forward[tlv.vendor])
                    + avp
                )
            out.append(avp)
        return b"".join(out)

    def _PktEncodeAttributes(self) -> bytes:
        """All attributes in order, encoded (in Rust; TLVs through ``_PktEncodeTlv``)."""
        nw = self._nw
        if nw is not None:
            out = pyrad_nencode(self, nw)
            if out is not None:
                return out
            pyrad_fill(self, nw, _HOOKS)
        return pyrad_encode(OrderedDict.items(self), self._PktEncodeTlv)

    # -- decoding --------------------------------------------------------------------

    def _PktDecodeVendorAttribute(self, data: bytes) -> list[tuple[Any, bytes]]:
        """The (key, value) pairs of a Vendor-Specific value; the value itself under 26
        when it is not a well-formed RFC 2865 vendor attribute list."""
        if len(data) < 6:
            return [(26, data)]
        vendor = struct.unpack("!L", data[:4])[0]
        subs = self._PktSplitSubAttributes(data, 4)
        if subs is None or getattr(self, "dict", None) is None:
            return [(26, data)]
        out = []
        for kind, value in subs:
            if self._PktIsTlvAttribute((vendor, kind)):
                self._PktDecodeTlvAttribute((vendor, kind), value)
            else:
                out.append(((vendor, kind), value))
        return out

    @staticmethod
    def _PktSplitSubAttributes(data: bytes, loc: int = 0) -> list[tuple[int, bytes]] | None:
        out = []
        end = len(data)
        while loc < end:
            if end - loc < 2:
                return None
            kind, length = data[loc], data[loc + 1]
            if length < 2 or loc + length > end:
                return None
            out.append((kind, data[loc + 2 : loc + length]))
            loc += length
        return out

    def _PktDecodeTlvAttribute(self, code: Any, data: bytes) -> None:
        subs = self._PktSplitSubAttributes(data)
        if subs is None:
            raise PacketError("TLV sub-attribute length is invalid")
        tlv = self.setdefault(code, {})
        for kind, value in subs:
            tlv.setdefault(kind, []).append(value)

    def _PktIsTlvAttribute(self, code: Any) -> bool:
        d = getattr(self, "dict", None)
        if d is None:
            return False
        attr = d.attributes.get(d.attrindex.backward.get(code, code))
        return attr is not None and attr.type == "tlv"

    def DecodePacket(self, packet: bytes) -> None:
        """Replace header and attributes with those of a received packet (PacketError
        when it is malformed). Octets after the Length field's end are ignored."""
        pyrad_decode(self, packet, _HOOKS)

    # -- salt encryption (RFC 2868 3.5) ----------------------------------------------

    def _salt_vector(self) -> bytes:
        if self.request_authenticator is not None:
            return self.request_authenticator
        if self.code in (AccountingRequest, CoARequest, DisconnectRequest):
            return _ZERO16
        if self.authenticator is None:
            self.authenticator = (
                self.CreateAuthenticator()
                if self.code in (AccessRequest, StatusServer)
                else _ZERO16
            )
        return self.authenticator

    def _salt_en_decrypt(self, data: bytes, salt: bytes, encrypt: bool = True) -> bytes:
        out = []
        last = self._salt_vector() + salt
        for i in range(0, len(data), 16):
            block = data[i : i + 16]
            plain = _xor16(hashlib.md5(self.secret + last).digest(), block)
            out.append(plain)
            last = plain if encrypt else block
        return b"".join(out)

    def SaltCrypt(self, value: str | bytes) -> bytes:
        if isinstance(value, str):
            value = value.encode("utf-8")
        salt = struct.pack("!H", 0x8000 + random_generator.randrange(0, 32767))
        if len(value) > 255:
            raise ValueError(
                f"Value is too long for salt encryption ({len(value)} octets, at most 255)"
            )
        plain = bytes((len(value),)) + value
        plain += bytes(-len(plain) % 16)
        return salt + self._salt_en_decrypt(plain, salt)

    def SaltDecrypt(self, value: bytes) -> bytes:
        if len(value) < 18 or (len(value) - 2) % 16:
            raise PacketError("Invalid length of salt encrypted value")
        plain = self._salt_en_decrypt(value[2:], value[:2], encrypt=False)
        return plain[1 : plain[0] + 1]


_NO_PLANS: dict[str, Any] = {}
_SLOW = object()
_NOPLAN = object()


def _filled(method: Any) -> Any:
    """An OrderedDict method of a packet, after leaving native mode."""

    def call(self: Packet, *args: Any, **kwargs: Any) -> Any:
        nw = self._nw
        if nw is not None:
            pyrad_fill(self, nw, _HOOKS)
        return method(self, *args, **kwargs)

    call.__name__ = call.__qualname__ = method.__name__
    call.__doc__ = method.__doc__
    return call


# Every OrderedDict method that reads or changes its entries sees them filled in.
for _name in (
    "__repr__",
    "__iter__",
    "__len__",
    "__reversed__",
    "__reduce__",
    "__or__",
    "__ror__",
    "__ior__",
    "items",
    "values",
    "pop",
    "popitem",
    "setdefault",
    "update",
    "clear",
    "copy",
    "move_to_end",
):
    setattr(Packet, _name, _filled(getattr(OrderedDict, _name)))


def _packet_eq(self: Packet, other: object) -> bool:
    self._fill()
    if isinstance(other, Packet):
        other._fill()
    return OrderedDict.__eq__(self, other)  # type: ignore[no-any-return]


def _packet_ne(self: Packet, other: object) -> bool:
    self._fill()
    if isinstance(other, Packet):
        other._fill()
    return OrderedDict.__ne__(self, other)  # type: ignore[no-any-return]


def _packet_missing(self: Packet, key: Any) -> Any:
    """``OrderedDict.__getitem__(pkt, key)`` on a packet in native mode fills it first."""
    if self._nw is None:
        raise KeyError(key)
    self._fill()
    return OrderedDict.__getitem__(self, key)


Packet.__eq__ = _packet_eq  # type: ignore[method-assign,assignment]
Packet.__ne__ = _packet_ne  # type: ignore[method-assign,assignment]
Packet.__missing__ = _packet_missing  # type: ignore[attr-defined]
Packet.__hash__ = None  # type: ignore[assignment]


def _plans(d: Any) -> dict[str, Any]:
    return getattr(d, "_plans", _NO_PLANS)


def _read_plan(d: Any, key: str) -> Any:
    """(attribute, wire key, decode, encode, kind, named values, values by name) for a
    plain attribute of a nacwire.pyrad Dictionary (cached there until it reads another
    file), else None (and ``(attribute,)`` cached: not a plain attribute)."""
    plans = getattr(d, "_plans", None)
    if plans is None or ":" in key:
        return None
    attr = d.attributes.get(key)
    if attr is None:
        return None
    if attr.has_tag or attr.encrypt == 2 or attr.is_sub_attribute or attr.type == "tlv":
        plans[key] = (attr,)
        return None
    wire = (d.vendors.forward[attr.vendor], attr.code) if attr.vendor else attr.code
    plan = plans[key] = (attr, wire, *tools._codec(attr.type, attr.values))
    return plan


class _TlvTest:
    """``key in _TlvTest(pkt)``: whether key is a TLV, for dictionaries of other types."""

    __slots__ = ("pkt",)

    def __init__(self, pkt: Packet) -> None:
        self.pkt = pkt

    def __contains__(self, key: object) -> bool:
        return self.pkt._PktIsTlvAttribute(key)


def _verify_request_authenticator(pkt: Packet) -> bool:
    """RFC 2866 3 / RFC 5176 3: the Request Authenticator over a zeroed field."""
    raw = pkt.raw_packet
    assert raw
    expected = hashlib.md5(raw[:4] + _ZERO16 + raw[20:] + pkt.secret).digest()
    return hmac.compare_digest(expected, pkt.authenticator)


def _signed_request(pkt: Packet) -> bytes:
    """Accounting/CoA/Disconnect requests: the authenticator is an MD5 over the packet."""
    if pkt.id is None:
        pkt.id = pkt.CreateID()
    if pkt.message_authenticator:
        attrs = pkt._refresh_message_authenticator()
    else:
        attrs = pkt._PktEncodeAttributes()
    header = struct.pack("!BBH", pkt.code, pkt.id, 20 + len(attrs))
    pkt.authenticator = hashlib.md5(header + _ZERO16 + attrs + pkt.secret).digest()
    return header + pkt.authenticator + attrs


class AuthPacket(Packet, PyradAuthInit):
    """An Access-Request (or a reply to one)."""

    if TYPE_CHECKING:
        auth_type: str

    # (code=AccessRequest, id=None, secret=b"", authenticator=None, auth_type="pap", **attributes)
    __init__ = PyradAuthInit.__init__

    def CreateReply(self, **attributes: Any) -> Packet:
        """An Access-Accept by default; replies to Access-Request and Status-Server carry
        Message-Authenticator unless ``message_authenticator=False`` is given."""
        reply = AuthPacket(
            AccessAccept,
            self.id,
            self.secret,
            self.authenticator,
            dict=self.dict,
            auth_type=self.auth_type,
            **attributes,
        )
        if (
            "packet" not in attributes
            and "message_authenticator" not in attributes
            and self.code in (AccessRequest, StatusServer)
        ):
            reply.message_authenticator = True
        return self._PrepareReply(reply, attributes)

    RequestPacket = PyradPacketMethods._auth_request_packet

    def _RequestPacket(self) -> bytes:
        if self.authenticator is None:
            self.authenticator = self.CreateAuthenticator()
        if self.id is None:
            self.id = self.CreateID()
        if self.message_authenticator:
            # Message-Authenticator, the attributes and the header in one native call.
            return self._sign(True)
        attrs = self._PktEncodeAttributes()
        if self.auth_type == "eap-md5":
            # RFC 3579 3.3: EAP needs Message-Authenticator; appended last here.
            header = struct.pack(
                "!BBH16s", self.code, self.id, 20 + 18 + len(attrs), self.authenticator
            )
            mac = hmac.new(
                self.secret, header + attrs + b"\x50\x12" + _ZERO16, digestmod="MD5"
            ).digest()
            return header + attrs + b"\x50\x12" + mac
        return (
            struct.pack("!BBH16s", self.code, self.id, 20 + len(attrs), self.authenticator) + attrs
        )

    # RFC 2865 5.2 User-Password, decrypted (trailing NULs removed): in Rust when the
    # secret and authenticator are bytes, else _PwDecrypt.
    PwDecrypt = PyradPacketMethods._pw_decrypt

    def _PwDecrypt(self, password: str | bytes | bytearray) -> str:
        """RFC 2865 5.2 User-Password, decrypted (trailing NULs removed)."""
        if isinstance(password, str):
            password = password.encode("utf-8")
        elif isinstance(password, (bytearray, memoryview)):
            password = bytes(password)
        if type(self.authenticator) is bytes and type(self.secret) is bytes:
            revealed = pyrad_pw(self.secret, self.authenticator, password, False)
            if revealed is not None:
                return revealed.decode("utf-8", errors="ignore")
        if len(password) % 16:
            raise PacketError(f"Invalid length of encrypted password ({len(password)})")
        out = []
        last = self.authenticator
        for i in range(0, len(password), 16):
            block = password[i : i + 16]
            out.append(_xor16(hashlib.md5(self.secret + last).digest(), block))
            last = block
        return b"".join(out).rstrip(b"\x00").decode("utf-8", errors="ignore")

    # RFC 2865 5.2 User-Password, encrypted (creates the authenticator if needed): in
    # Rust when the secret and authenticator are bytes, else _PwCrypt.
    PwCrypt = PyradPacketMethods._pw_crypt

    def _PwCrypt(self, password: str | bytes) -> bytes:
        """RFC 2865 5.2 User-Password, encrypted (creates the authenticator if needed)."""
        if self.authenticator is None:
            self.authenticator = self.CreateAuthenticator()
        if isinstance(password, str):
            password = password.encode("utf-8")
        elif isinstance(password, (bytearray, memoryview)):
            password = bytes(password)  # as pyrad's arithmetic takes them
        if len(password) > 128:
            raise ValueError(f"Password is longer than 128 octets ({len(password)})")
        if type(self.authenticator) is bytes and type(self.secret) is bytes:
            hidden = pyrad_pw(self.secret, self.authenticator, password, True)
            if hidden is not None:
                return hidden
        buf = password + bytes(-len(password) % 16 if password else 16)
        out = []
        last = self.authenticator
        for i in range(0, len(buf), 16):
            last = _xor16(hashlib.md5(self.secret + last).digest(), buf[i : i + 16])
            out.append(last)
        return b"".join(out)

    def VerifyChapPasswd(self, userpwd: str | bytes) -> bool:
        """RFC 2865 5.3: CHAP-Password against the cleartext password."""
        if not self.authenticator:
            self.authenticator = self.CreateAuthenticator()
        if isinstance(userpwd, str):
            userpwd = userpwd.strip().encode("utf-8")
        chap = self.get(3)
        if not chap or len(chap[0]) != 17:
            return False
        challenge = self["CHAP-Challenge"][0] if "CHAP-Challenge" in self else self.authenticator
        return hmac.compare_digest(
            chap[0][1:], hashlib.md5(chap[0][:1] + userpwd + challenge).digest()
        )

    def VerifyAuthRequest(self) -> bool:
        """The accounting-style authenticator check (not meaningful for Access-Request)."""
        return _verify_request_authenticator(self)


class AcctPacket(Packet, PyradAcctInit):
    """An Accounting-Request (or Status-Server sent to the accounting port)."""

    # (code=AccountingRequest, id=None, secret=b"", authenticator=None, **attributes)
    __init__ = PyradAcctInit.__init__

    def CreateReply(self, **attributes: Any) -> Packet:
        reply = AcctPacket(
            AccountingResponse,
            self.id,
            self.secret,
            self.authenticator,
            dict=self.dict,
            **attributes,
        )
        if (
            "packet" not in attributes
            and "message_authenticator" not in attributes
            and self.code == StatusServer
        ):
            reply.message_authenticator = True
        return self._PrepareReply(reply, attributes)

    def VerifyAcctRequest(self) -> bool:
        """Status-Server: its Message-Authenticator; otherwise the Request Authenticator."""
        assert self.raw_packet
        if self.code == StatusServer:
            return bool(self.message_authenticator) and self.verify_message_authenticator()
        return _verify_request_authenticator(self)

    def RequestPacket(self) -> bytes:
        if self.id is None:
            self.id = self.CreateID()
        if self.code != StatusServer:
            return _signed_request(self)
        # RFC 5997: a random authenticator and Message-Authenticator.
        if self.authenticator is None:
            self.authenticator = self.CreateAuthenticator()
        if self.message_authenticator is None:
            self.message_authenticator = True
        if self.message_authenticator:
            return self._sign(True)
        attrs = self._PktEncodeAttributes()
        return (
            struct.pack("!BBH16s", self.code, self.id, 20 + len(attrs), self.authenticator) + attrs
        )


class CoAPacket(Packet, PyradCoAInit):
    """A CoA-Request or Disconnect-Request (RFC 5176), or a reply to one."""

    # (code=CoARequest, id=None, secret=b"", authenticator=None, **attributes)
    __init__ = PyradCoAInit.__init__

    def CreateReply(self, **attributes: Any) -> Packet:
        code = DisconnectACK if self.code == DisconnectRequest else CoAACK
        return self._PrepareReply(
            CoAPacket(code, self.id, self.secret, self.authenticator, dict=self.dict, **attributes),
            attributes,
        )

    def VerifyCoARequest(self) -> bool:
        return _verify_request_authenticator(self)

    def RequestPacket(self) -> bytes:
        return _signed_request(self)


def CreateID() -> int:
    """The next identifier of the module-wide counter."""
    global CurrentID
    CurrentID = (CurrentID + 1) % 256
    return CurrentID


# What the native packet functions work with (in this order, see HOOK_* in pyrad.rs):
# the OrderedDict methods that keep its order, the TLV test for other dictionary
# classes, the exception, the module's globals (the CreateID counter), CreateID,
# DecodePacket, the names __init__ takes besides attributes, OrderedDict.keys and the
# classes whose packets may use native mode (this module's own, not subclasses).
_HOOKS = (
    OrderedDict.__setitem__,
    OrderedDict.clear,
    OrderedDict.move_to_end,
    _TlvTest,
    PacketError,
    globals(),
    CreateID,
    Packet.DecodePacket,
    _SPECIAL,
    OrderedDict.keys,
    (Packet, AuthPacket, AcctPacket, CoAPacket),
    _read_plan,
    Packet._getitem,
    Packet._keys,
    Packet._setitem,
    AuthPacket._PwCrypt,
    AuthPacket._PwDecrypt,
    AuthPacket._RequestPacket,
    Packet._delitem,
    Packet._contains,
    Packet._add_message_authenticator,
)
pyrad_set_hooks(_HOOKS)
