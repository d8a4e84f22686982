"""FreeRADIUS-format dictionaries in pyrad's shape, as ``pyrad.dictionary``.

``Dictionary(path)`` reads a dictionary file and its ``$INCLUDE``s: ``ATTRIBUTE``,
``VALUE``, ``VENDOR``, ``BEGIN-VENDOR``/``END-VENDOR``. What pyrad's packet model
cannot carry (RFC 6929 extended attributes, ``array``, vendors whose format is not
``1,1``, TLVs inside TLVs, ``combo-ip`` and friends) is skipped and listed in
``skipped_attributes`` (each logged at DEBUG, their count in one WARNING per ``ReadDictionary``,
as pyrad 2.6 logs them), so every file of the FreeRADIUS tree is read as shipped;
those attributes are not in the result (``PMIP6-Home-IPv4-HoA``, an ``ipv4prefix``, is a
``KeyError``, as in pyrad). The result keeps
pyrad's view: ``attributes`` (name -> :class:`Attribute`), ``attrindex`` (name <->
code, ``(vendor, code)``, ``(tlv, code)`` or ``(vendor, tlv, code)``) and ``vendors``.
"""

from __future__ import annotations

import builtins
import gc
import logging
import struct
from typing import IO, Any

from nacwire._native import (
    _PyradAttribute,
    pyrad_attribute_flags,
    pyrad_datatypes,
    pyrad_read_dictionary,
    pyrad_unsupported_datatypes,
)
from nacwire.pyrad import bidict, tools

logger = logging.getLogger("pyrad")

DATATYPES = frozenset(pyrad_datatypes)
UNSUPPORTED_DATATYPES = frozenset(pyrad_unsupported_datatypes)
ATTRIBUTE_FLAGS = frozenset(pyrad_attribute_flags)
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


Attribute = _PyradAttribute
"""One attribute definition (``ValueError`` for an unknown data type): pyrad's
``Attribute(name, code, datatype, is_sub_attribute=False, vendor='', values=None,
encrypt=0, has_tag=False)``, a native class. The reader makes the 5,800 attributes of
the FreeRADIUS tree without a Python call each; ``values`` (a BiDict) and
``sub_attributes`` (a dict) are made on first read, ``values`` from the VALUE
definitions the reader kept packed for the attribute."""


def _code(text: str) -> int:
    if text.startswith("0x"):
        return int(text, 16)
    if text.startswith("0o"):
        return int(text, 8)
    return int(text, 10)


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

    # Copies and pickles carry the definitions, not the caches of the packet code
    # (`_plans` holds closures; `_nwctx` is native): a copy makes its own again.
    def __getstate__(self) -> builtins.dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_nwctx", None)
        state["_plans"] = {}
        return state

    def __setstate__(self, state: builtins.dict[str, Any]) -> None:
        state = builtins.dict(state)
        # a pickle of pyrad 2.6's Dictionary (made before a program switched to
        # nacwire.pyrad): its vendor set has another name, our caches are not in it
        if "_unsupported_vendors" in state and "_bad_vendors" not in state:
            state["_bad_vendors"] = state.pop("_unsupported_vendors")
        self.__dict__.update(state)
        if not _FIELDS <= self.__dict__.keys():
            for name, value in vars(Dictionary()).items():
                self.__dict__.setdefault(name, value)

    def __getitem__(self, key: str) -> Attribute:
        return self.attributes[key]

    def __contains__(self, key: object) -> bool:
        return key in self.attributes

    has_key = __contains__

    def _tlv_keys(self) -> frozenset[Any]:
        """The wire keys of the TLV attributes (cached while the dictionary is unchanged)."""
        stamp = len(self.attributes) << 32 | len(self.attrindex.forward)
        cached = self._tlv_cache
        if cached[0] != stamp:
            fwd = self.attrindex.forward
            keys = frozenset(
                fwd[n] for n, a in self.attributes.items() if a.type == "tlv" and n in fwd
            )
            cached = self._tlv_cache = (stamp, keys)
        return cached[1]

    def ReadDictionary(self, file: str | IO[str]) -> None:
        """Merge the definitions of a dictionary file (and its includes).

        Parsed in Rust (``pyrad_read_dictionary``) with pyrad's rules; the definitions
        land in this object's ``vendors``, ``attributes`` and ``attrindex``. Raises
        ``ParseError`` (with ``file`` and ``line``) or ``OSError``.
        """
        if isinstance(file, str):
            path, text = file, None
        else:
            path, text = None, "".join(file.readlines())
        self.defer_parse = []
        # The tree makes some 20,000 objects and no cycles: no collections meanwhile.
        collecting = gc.isenabled()
        gc.disable()
        try:
            unsupported, reasons, debug, warnings = pyrad_read_dictionary(
                self, path, text, _HELPERS, logger.isEnabledFor(logging.DEBUG)
            )
        finally:
            if collecting:
                gc.enable()
            self._plans.clear()
            ctx = self.__dict__.get("_nwctx")
            if ctx is not None:
                ctx.clear()
        for skipped in debug or ():
            logger.debug("%s(%d): skipping attribute %s: %s", *skipped)
        for unknown in warnings:
            logger.warning("%s(%d): ignoring value defined for unknown attribute %s", *unknown)
        if unsupported:
            logger.warning(
                "Skipped %d unsupported dictionary attributes (%s)",
                unsupported,
                ", ".join(reasons),
            )


def _value_octets(datatype: str, text: str) -> bytes:
    """A VALUE's octets as pyrad computes them (the native reader's slow path)."""
    return tools.EncodeAttr(datatype, int(text, 0) if datatype in _NUMERIC else text)


# the instance fields of a Dictionary (a pickle of pyrad's lacks some of them)
_FIELDS = frozenset(vars(Dictionary()))

_HELPERS: tuple[Any, ...] = (
    ParseError,
    Attribute,
    _value_octets,
    _code,
    struct.error,
    bidict.BiDict,
)
