"""FreeRADIUS-format dictionaries in pyrad's shape, as ``pyrad.dictionary``.

``Dictionary(path)`` reads a dictionary file and its ``$INCLUDE``s: ``ATTRIBUTE``,
``VALUE``, ``VENDOR``, ``BEGIN-VENDOR``/``END-VENDOR``. What pyrad's packet model
cannot carry (RFC 6929 extended attributes, ``array``, vendors whose format is not
``1,1``, TLVs inside TLVs, ``combo-ip`` and friends) is skipped and listed in
``skipped_attributes``, so the FreeRADIUS tree loads as shipped. The result keeps
pyrad's view: ``attributes`` (name -> :class:`Attribute`), ``attrindex`` (name <->
code, ``(vendor, code)``, ``(tlv, code)`` or ``(vendor, tlv, code)``) and ``vendors``.
"""

from __future__ import annotations

import builtins
import logging
import struct
from typing import IO, Any

from nacwire.pyrad import bidict, dictfile, tools

logger = logging.getLogger("pyrad")

DATATYPES = frozenset(
    [
        "string",
        "ipaddr",
        "integer",
        "date",
        "octets",
        "abinary",
        "ipv6addr",
        "ipv6prefix",
        "short",
        "byte",
        "signed",
        "ifid",
        "ether",
        "tlv",
        "integer64",
    ]
)
UNSUPPORTED_DATATYPES = frozenset(
    [
        "vsa",
        "extended",
        "long-extended",
        "evs",
        "ipv4prefix",
        "combo-ip",
        "bool",
        "uint16",
        "uint32",
    ]
)
ATTRIBUTE_FLAGS = frozenset(["has_tag", "encrypt", "secret", "array", "virtual", "concat"])
_NUMERIC = frozenset(["integer", "signed", "short", "byte", "integer64", "date"])


class ParseError(Exception):
    """A dictionary file could not be read; ``file`` and ``line`` say where."""

    def __init__(self, msg: str | None = None, **data: Any) -> None:
        self.msg = msg
        self.file = data.get("file", "")
        self.line = data.get("line", -1)

    def __str__(self) -> str:
        where = (self.file or "") + (f"({self.line})" if self.line > -1 else "")
        text = (where + ": " if where else "") + "Parse error"
        return text + (f": {self.msg}" if self.msg else "")


class Attribute:
    """One attribute definition (``ValueError`` for an unknown data type)."""

    def __init__(
        self,
        name: str,
        code: int,
        datatype: str,
        is_sub_attribute: bool = False,
        vendor: str = "",
        values: dict[str, bytes] | None = None,
        encrypt: int = 0,
        has_tag: bool = False,
    ) -> None:
        if datatype not in DATATYPES:
            raise ValueError("Invalid data type")
        self.name = name
        self.code = code
        self.type = datatype
        self.vendor = vendor
        self.encrypt = encrypt
        self.has_tag = has_tag
        self.values = bidict.BiDict()
        self.sub_attributes: dict[int, str] = {}
        self.parent: Attribute | None = None
        self.is_sub_attribute = is_sub_attribute
        for key, value in (values or {}).items():
            self.values.Add(key, value)


def _code(text: str) -> int:
    if text.startswith("0x"):
        return int(text, 16)
    if text.startswith("0o"):
        return int(text, 8)
    return int(text, 10)


def _option(text: str) -> tuple[str, str | None]:
    parts = text.split("=")
    return parts[0], (parts[1] if len(parts) == 2 else None)


class _State:
    __slots__ = ("file", "format", "line", "skipped", "vendor")

    def __init__(self) -> None:
        self.file = ""
        self.line = -1
        self.vendor = ""
        self.format: str | None = None
        self.skipped: list[str] = []

    def error(self, msg: str) -> ParseError:
        return ParseError(msg, file=self.file, line=self.line)


class Dictionary:
    """Vendors, attributes and named values read from dictionary files.

    ``Dictionary(path, *more)`` reads each file in turn (later definitions win);
    ``d['User-Name']`` is the :class:`Attribute`, ``'User-Name' in d`` checks it.
    """

    def __init__(self, dict: str | IO[str] | None = None, *dicts: str | IO[str]) -> None:
        self.vendors = bidict.BiDict()
        self.vendors.Add("", 0)
        self.attrindex = bidict.BiDict()
        self.attributes: builtins.dict[str, Attribute] = {}
        self.defer_parse: list[tuple[Any, list[str]]] = []
        self.skipped_attributes: set[str] = set()
        self._bad_vendors: set[str] = set()  # vendor format other than 1,1
        self._tlvs: builtins.dict[tuple[int, int], Attribute] = {}  # (vendor id, code) -> TLV
        self._skipped_codes: set[tuple[int, int]] = set()
        # name -> how packets read and write a plain attribute (see packet._read_plan)
        self._plans: builtins.dict[str, Any] = {}
        self._tlv_cache: tuple[int, frozenset[Any]] = (-1, frozenset())
        if dict:
            self.ReadDictionary(dict)
        for extra in dicts:
            self.ReadDictionary(extra)

    def __len__(self) -> int:
        return len(self.attributes)

    def __getitem__(self, key: str) -> Attribute:
        return self.attributes[key]

    def __contains__(self, key: object) -> bool:
        return key in self.attributes

    has_key = __contains__

    def _tlv_keys(self) -> frozenset[Any]:
        """The wire keys of the TLV attributes (cached while the dictionary is unchanged)."""
        stamp = len(self.attributes) << 32 | len(self.attrindex)
        cached = self._tlv_cache
        if cached[0] != stamp:
            fwd = self.attrindex.forward
            keys = frozenset(
                fwd[n] for n, a in self.attributes.items() if a.type == "tlv" and n in fwd
            )
            cached = self._tlv_cache = (stamp, keys)
        return cached[1]

    def _skip(self, st: _State, name: str, reason: str) -> None:
        self.skipped_attributes.add(name)
        st.skipped.append(reason)
        logger.debug("%s(%d): skipping attribute %s: %s", st.file, st.line, name, reason)

    def _attribute(self, st: _State, tokens: list[str]) -> None:
        if len(tokens) not in (4, 5):
            raise st.error("Incorrect number of tokens for attribute definition")
        vendor = st.vendor
        has_tag, encrypt, array = False, 0, False
        if len(tokens) == 5:
            opts = [_option(kv) for kv in tokens[4].split(",")]
            is_flags = any(k in ATTRIBUTE_FLAGS for k, _ in opts)
            if self.vendors.HasForward(tokens[4]) and not any(
                k in ("has_tag", "encrypt") for k, _ in opts
            ):
                vendor = tokens[4]
            elif not is_flags:
                raise st.error("Unknown vendor " + tokens[4])
            for k, v in opts if is_flags else ():
                if k == "has_tag":
                    has_tag = True
                elif k == "encrypt":
                    if v not in ("1", "2", "3"):
                        raise st.error(f"Illegal attribute encryption: {v}")
                    encrypt = int(v)
                elif k == "array":
                    array = True
        name, code_text, datatype = tokens[1:4]
        try:
            codes = [_code(c) for c in code_text.split(".")]
        except ValueError:
            raise st.error("Illegal attribute code: " + code_text) from None
        datatype = datatype.split("[")[0]
        if datatype not in DATATYPES and datatype not in UNSUPPORTED_DATATYPES:
            # FreeRADIUS itself reads type names case-insensitively (juniper's `String`).
            if datatype.lower() in DATATYPES:
                datatype = datatype.lower()
            else:
                raise st.error("Illegal type: " + datatype)
        vid = self.vendors.GetForward(vendor)
        if len(codes) > 1 and (vid, codes[0]) in self._skipped_codes:
            return self._skip(st, name, "sub-attribute of unsupported attribute")
        if st.format:
            return self._skip(st, name, "extended vendor-specific attribute")
        if vendor in self._bad_vendors:
            return self._skip(st, name, "vendor format")
        if datatype in UNSUPPORTED_DATATYPES:
            if len(codes) == 1:
                self._skipped_codes.add((vid, codes[0]))
                self._tlvs.pop((vid, codes[0]), None)
            return self._skip(st, name, "data type " + datatype)
        if array:
            return self._skip(st, name, "array flag")
        if len(codes) > 2 or (len(codes) == 2 and datatype == "tlv"):
            return self._skip(st, name, "nested TLV")
        sub = len(codes) == 2
        parent = None
        if sub:
            parent = self._tlvs.get((vid, codes[0]))
            if parent is None:
                raise st.error(f"Sub-attribute {name} of unknown TLV {codes[0]}")
            key: Any = (vid, codes[0], codes[1]) if vendor else (codes[0], codes[1])
        else:
            key = (vid, codes[0]) if vendor else codes[0]
        code = codes[-1]
        self.attrindex.Add(name, key)
        attr = Attribute(name, code, datatype, sub, vendor, encrypt=encrypt, has_tag=has_tag)
        self.attributes[name] = attr
        if parent is not None:
            parent.sub_attributes[code] = name
            attr.parent = parent
        else:
            self._skipped_codes.discard((vid, code))
            if datatype == "tlv":
                self._tlvs[(vid, code)] = attr
            else:
                self._tlvs.pop((vid, code), None)

    def _value(self, st: _State, tokens: list[str], defer: bool) -> None:
        if len(tokens) != 4:
            raise st.error("Incorrect number of tokens for value definition")
        attr_name, key, text = tokens[1:]
        if attr_name in self.skipped_attributes and attr_name not in self.attributes:
            return
        attr = self.attributes.get(attr_name)
        if attr is None:
            if defer:
                saved = _State()
                saved.file, saved.line = st.file, st.line
                self.defer_parse.append((saved, list(tokens)))
            else:
                logger.warning(
                    "%s(%d): ignoring value defined for unknown attribute %s",
                    st.file,
                    st.line,
                    attr_name,
                )
            return
        try:
            value: Any = int(text, 0) if attr.type in _NUMERIC else text
            encoded = tools.EncodeAttr(attr.type, value)
        except (ValueError, TypeError, struct.error) as e:
            raise st.error(f"Illegal value {text} for attribute {attr_name}: {e}") from None
        attr.values.Add(key, encoded)

    def _vendor(self, st: _State, tokens: list[str]) -> None:
        if len(tokens) not in (3, 4):
            raise st.error("Incorrect number of tokens for vendor definition")
        name, ident = tokens[1:3]
        if len(tokens) == 4:
            option = tokens[3].split("=")
            if option[0] != "format":
                raise st.error(f"Unknown option '{option[0]}' for vendor definition")
            try:
                parts = option[1].split(",")
                continuation = len(parts) == 3 and parts[2] == "c"
                t, length = (int(p) for p in (parts[:2] if continuation else parts))
            except (ValueError, IndexError):
                raise st.error("Syntax error in vendor specification") from None
            if t not in (1, 2, 4) or length not in (0, 1, 2):
                raise st.error(f"Unknown vendor format specification {option[1]}")
            if (t, length, continuation) == (1, 1, False):
                self._bad_vendors.discard(name)
            else:
                self._bad_vendors.add(name)
        try:
            vid = int(ident, 0)
        except ValueError:
            raise st.error("Illegal vendor code: " + ident) from None
        self.vendors.Add(name, vid)

    def _begin_vendor(self, st: _State, tokens: list[str]) -> None:
        if len(tokens) not in (2, 3):
            raise st.error("Incorrect number of tokens for begin-vendor statement")
        fmt = None
        if len(tokens) == 3:
            if not tokens[2].startswith("format="):
                raise st.error(f"Unknown option '{tokens[2]}' for begin-vendor statement")
            fmt = tokens[2][len("format=") :]
        if not self.vendors.HasForward(tokens[1]):
            raise st.error(f"Unknown vendor {tokens[1]} in begin-vendor statement")
        st.vendor, st.format = tokens[1], fmt

    def _end_vendor(self, st: _State, tokens: list[str]) -> None:
        if len(tokens) != 2:
            raise st.error("Incorrect number of tokens for end-vendor statement")
        if st.vendor != tokens[1]:
            raise st.error("Ending non-open vendor " + tokens[1])
        st.vendor, st.format = "", None

    def ReadDictionary(self, file: str | IO[str]) -> None:
        """Merge the definitions of a dictionary file (and its includes)."""
        lines = dictfile.DictFile(file)
        st = _State()
        self.defer_parse = []
        handlers = {
            "ATTRIBUTE": self._attribute,
            "VENDOR": self._vendor,
            "BEGIN-VENDOR": self._begin_vendor,
            "END-VENDOR": self._end_vendor,
        }
        for line in lines:
            tokens = line.split("#", 1)[0].split()
            if not tokens:
                continue
            st.file, st.line = lines.File(), lines.Line()
            kw = tokens[0].upper()
            if kw == "VALUE":
                self._value(st, tokens, True)
            else:
                handler = handlers.get(kw)
                if handler is not None:
                    handler(st, tokens)
        self._plans.clear()
        for saved, tokens in self.defer_parse:
            self._value(saved, tokens, False)
        self.defer_parse = []
        if st.skipped:
            logger.warning(
                "Skipped %d unsupported dictionary attributes (%s)",
                len(st.skipped),
                ", ".join(sorted(set(st.skipped))),
            )
