"""Type stubs for the native module (import from ``nacwire`` and ``nacwire.radius``)."""

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final, Literal, final

from typing_extensions import disjoint_base

from nacwire.ecp import (
    Approval as Approval,
    ControllerRedirect as ControllerRedirect,
    Keyring as Keyring,
    SignatureInfo as SignatureInfo,
    Signer as Signer,
    Verifier as Verifier,
    parse_amz_date as parse_amz_date,
    parse_unsigned as parse_unsigned,
)
from nacwire.nac import (
    ActiveSession as ActiveSession,
    AuthenticatedUser as AuthenticatedUser,
    ClearPass as ClearPass,
    CosCore as CosCore,
    Device as Device,
    Endpoint as Endpoint,
    EndpointState as EndpointState,
    ErrorCause as ErrorCause,
    HttpRequest as HttpRequest,
    Intent as Intent,
    MacAddress as MacAddress,
    Outcome as Outcome,
    PacketPlan as PacketPlan,
    PlannedIntent as PlannedIntent,
    Profile as Profile,
    Session as Session,
    UserauthResponse as UserauthResponse,
    plan_endpoint_change as plan_endpoint_change,
    rfc5176_violations as rfc5176_violations,
)

__version__: Final[str]
__all__ = [
    "ActiveSession",
    "Approval",
    "AttributeDef",
    "AuthenticatedUser",
    "BuildError",
    "ClearPass",
    "Client",
    "ClientEvent",
    "ControllerRedirect",
    "CosCore",
    "Device",
    "Dictionary",
    "DictionaryError",
    "DuplicateCache",
    "Endpoint",
    "EndpointState",
    "Error",
    "ErrorCause",
    "ExchangeError",
    "HttpRequest",
    "Intent",
    "Keyring",
    "MacAddress",
    "ModelError",
    "Outcome",
    "Packet",
    "PacketError",
    "PacketPlan",
    "PlannedIntent",
    "Profile",
    "PyradAcctInit",
    "PyradAuthInit",
    "PyradCoAInit",
    "PyradPacketMethods",
    "RadSecClient",
    "RadSecServer",
    "Secret",
    "Session",
    "SignatureError",
    "SignatureInfo",
    "Signer",
    "TransportError",
    "UserauthResponse",
    "Verifier",
    "VerifyError",
    "__version__",
    "build",
    "parse_amz_date",
    "parse_unsigned",
    "plan_endpoint_change",
    "pyrad_attribute_flags",
    "pyrad_datatypes",
    "pyrad_decode",
    "pyrad_dict_lines",
    "pyrad_encode",
    "pyrad_fill",
    "pyrad_keys",
    "pyrad_ncontains",
    "pyrad_ncopy_proxy_state",
    "pyrad_nencode",
    "pyrad_nkeys",
    "pyrad_nraw",
    "pyrad_nread",
    "pyrad_nset_ma",
    "pyrad_nsign",
    "pyrad_nwrite",
    "pyrad_pw",
    "pyrad_read",
    "pyrad_read_dictionary",
    "pyrad_set_hooks",
    "pyrad_sign",
    "pyrad_unsupported_datatypes",
    "pyrad_write",
    "reply",
    "rfc5176_violations",
]

class Error(Exception):
    """Base of every nacwire exception."""

class PacketError(Error):
    """Malformed RADIUS input."""

    offset: int | None
    attribute: int | str | None

class VerifyError(Error):
    """A packet parsed but failed verification."""

class BuildError(Error):
    """A packet could not be built."""

    attribute: int | str | None

class DictionaryError(Error):
    """A dictionary file failed to load."""

    file: str
    line: int
    column: int
    token: str

class ExchangeError(Error):
    """The client exchange refused a request."""

class SignatureError(Error):
    """An ECP URL that does not parse or verify, or an unsignable approval; see nacwire.ecp."""

    kind: str
    parameter: str | None
    value: str | None
    expected: str | None
    reason: str | None
    length: int | None
    maximum: int | None
    seconds: int | None
    identity: str | None

class TransportError(Error, OSError):
    """A connection could not be made or used (sockets, TLS, a peer that closed). The
    native clients raise it for every socket error (an unknown host name included),
    naming the destination, with the ``OSError`` as ``__cause__``. It is an ``OSError``
    too (as ``Timeout`` is a ``TimeoutError``): ``except OSError`` still catches it."""

class ModelError(Error):
    """Input the NAC model rejects (MAC strings, JSON shapes, plans); see nacwire.nac."""

    kind: str
    position: int | None
    character: str | None
    length: int | None
    attribute: str | None
    profile: str | None
    intent: str | None
    field: str | None
    violations: list[str] | None
    line: int | None
    column: int | None
    seconds: int | None
    group: str | None

_Key = str | int | tuple[int, ...]
# Mapping is invariant in its key: a `dict[str, str]` is not a `Mapping[_Key, Any]`,
# so each key type has its own member (a dict mixing them is a `Mapping[_Key, Any]`).
_Attributes = (
    Iterable[tuple[_Key, Any]]
    | Mapping[str, Any]
    | Mapping[int, Any]
    | Mapping[tuple[int, ...], Any]
    | Mapping[_Key, Any]
    | None
)

@final
class Secret:
    """A shared secret, prepared once; its repr never shows it. An empty secret is a
    ``ValueError`` here and wherever a secret is taken (RFC 2865 §3)."""

    def __new__(cls, secret: bytes | str | Secret) -> Secret: ...

_Secret = Secret | bytes | str
_Requirement = bool | Literal["auto", "yes", "no"] | None

@final
class Dictionary:
    """A RADIUS dictionary."""

    @staticmethod
    def builtin() -> Dictionary: ...
    @staticmethod
    def load(
        path: str | os.PathLike[str],
        *,
        strict: bool = True,
        on_builtin: bool = False,
        on: Dictionary | None = None,
    ) -> Dictionary:
        """Loads a FreeRADIUS dictionary file and its ``$INCLUDE``s (a directory: its
        ``dictionary`` file). ``on=`` loads it on top of a loaded dictionary (a site
        dictionary over the FreeRADIUS tree), ``on_builtin=True`` on top of the
        built-in one: an ``ATTRIBUTE`` of that base is replaced by the new definition
        of its name, a ``VENDOR`` of it under another number raises
        ``DictionaryError``. ``strict=False`` skips recoverable problems (VALUE for an unknown
        attribute, unknown flag, duplicate) into ``warnings``; a line that does not
        parse raises ``DictionaryError``, as does a vendor, attribute or VALUE name
        holding a NUL character (in either mode); a ``path`` holding one is a
        ``ValueError``."""

    @staticmethod
    def parse(
        text: str, *, strict: bool = True, on_builtin: bool = False, on: Dictionary | None = None
    ) -> Dictionary:
        """``load`` from text (no ``$INCLUDE``)."""

    @property
    def warnings(self) -> list[str]: ...
    def __len__(self) -> int: ...
    def __contains__(self, name: str, /) -> bool:
        """Whether the name is defined (``ValueError`` for a name with a NUL)."""

    def attribute(self, name: str) -> AttributeDef | None:
        """The definition of an attribute by name, or ``None`` (``ValueError`` for a
        name with a NUL character)."""

    def attribute_names(self) -> list[str]: ...
    def suggest(self, name: str) -> list[str]:
        """The attribute names closest to a misspelt ``name`` (``"User-Nmae"`` gives
        ``["User-Name"]``), at most three; empty when none is close or ``name`` is
        defined (``ValueError`` for a name with a NUL character)."""

    def vendors(self) -> dict[str, int]: ...

@final
class AttributeDef:
    """What a dictionary says about one attribute."""

    @property
    def name(self) -> str: ...
    @property
    def vendor(self) -> int: ...
    @property
    def path(self) -> list[int]: ...
    @property
    def data_type(self) -> str: ...
    @property
    def tagged(self) -> bool: ...
    @property
    def encrypt(self) -> str | None: ...
    @property
    def values(self) -> list[tuple[str, int]]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Packet:
    """A validated RADIUS packet, read like a mapping with repeated keys: ``p[name]``
    (first value), ``get``, ``get_all``, ``keys()``/iteration (names in wire order, once
    per attribute), ``items()``. Values: ``str`` (``bytes`` when not UTF-8), ``bytes``,
    ``int``/``EnumValue``, ``ipaddress`` objects, ``datetime``, ``(tag, value)``."""

    @staticmethod
    def decode(
        data: bytes | bytearray | memoryview,
        *,
        dictionary: Dictionary | None = None,
        secret: _Secret | None = None,
        request: Packet | None = None,
    ) -> Packet: ...
    @property
    def code(self) -> int: ...
    @property
    def code_name(self) -> str: ...
    @property
    def identifier(self) -> int: ...
    @property
    def authenticator(self) -> bytes: ...
    @property
    def raw(self) -> bytes: ...
    def __bytes__(self) -> bytes: ...
    def __len__(self) -> int: ...
    def keys(self) -> list[str]: ...
    def __iter__(self) -> Iterator[str]: ...
    def items(self) -> list[tuple[str, Any]]: ...
    def attributes(self) -> list[tuple[str, tuple[int, ...], int | None, Any]]: ...
    def to_dict(self) -> dict[str, list[Any]]: ...
    def get(self, key: _Key, default: Any = None) -> Any: ...
    def get_all(self, key: _Key) -> list[Any]: ...
    def __getitem__(self, key: _Key, /) -> Any: ...
    def __contains__(self, key: _Key, /) -> bool: ...
    def verify_request(
        self,
        secret: _Secret,
        *,
        require_message_authenticator: _Requirement = None,
        limit_proxy_state: _Requirement = None,
    ) -> bool:
        """Verifies a request; returns whether it carried a valid Message-Authenticator,
        raises ``VerifyError`` when anything fails. An Access-Request without
        Message-Authenticator has nothing to check (its authenticator is random):
        ``False`` whatever the secret. Each call stands alone, so ``"auto"`` (default)
        accepts unsigned requests; pass ``require_message_authenticator=True`` and
        ``limit_proxy_state=True`` to refuse them (BlastRADIUS)."""

    def verify_reply(
        self,
        request: Packet,
        secret: _Secret,
        *,
        require_message_authenticator: _Requirement = None,
    ) -> bool: ...
    def text(self, *, reveal: bool = False) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

def build(
    code: int | str,
    secret: _Secret,
    attributes: _Attributes = None,
    *,
    identifier: int = 0,
    authenticator: bytes | None = None,
    dictionary: Dictionary | None = None,
    message_authenticator: bool | None = None,
    salt: int | None = None,
) -> Packet:
    """Builds a packet of any code by attribute names and typed values.

    ``attributes``: ``(key, value)`` pairs or a mapping (a list value adds the
    attribute once per item). A key is a name (``"Tunnel-Type:1"`` for tag 1), a type
    number or a ``(vendor, type, ...)`` tuple. An attribute the dictionary does not
    define is sent raw by FreeRADIUS's name for it (``"Attr-26.9999.1"``, as
    ``Packet.text()`` prints it) or by its number or tuple, its value ``bytes`` or
    ``"0x..."`` hex. Values: ``str`` (as given for string and
    octets, else the FreeRADIUS text form, VALUE names included), ``bytes``, ``int``,
    ``ipaddress`` objects, an aware ``datetime`` (a naive one is a ``ValueError``),
    ``(tag, value)``. CHAP-Password as ``str`` is
    the cleartext password. Message-Authenticator goes first in Access-* and
    Status-Server packets (``message_authenticator`` forces it on or off). Raises
    ``BuildError`` for names and values, ``TypeError``/``ValueError`` for arguments
    (an ``identifier`` outside 0..=255 included; an attribute name, or a value given as
    text for a non-text type, holding a NUL character)."""

def reply(
    request: Packet,
    code: int | str,
    secret: _Secret,
    attributes: _Attributes = None,
    *,
    dictionary: Dictionary | None = None,
    message_authenticator: bool | None = None,
    salt: int | None = None,
) -> Packet:
    """Builds a reply to ``request``: same Identifier, Proxy-State copied, the Response
    Authenticator computed, Message-Authenticator first for Access-* replies or when
    the request had one. ``attributes`` and errors as for ``build``.

    ``code`` must answer the request's code, else ``ValueError`` naming both:
    Access-Accept/Reject/Challenge answer Access-Request, Accounting-Response answers
    Accounting-Request, Access-Accept, Access-Reject or Accounting-Response answer
    Status-Server, Disconnect-ACK/NAK answer Disconnect-Request, CoA-ACK/NAK answer
    CoA-Request, and Protocol-Error answers any request (RFC 2865, 2866, 5176, 5997,
    7930; Access-Reject to Status-Server as FreeRADIUS sends it). A mismatched reply,
    to test a client, is ``build(code, secret, identifier=request.identifier,
    authenticator=request.authenticator)``."""

def pyrad_read(pkt: dict[Any, Any], key: Any, slow: Any) -> Any:
    """nacwire.pyrad: ``pkt[key]`` for wire keys and plain attributes, else ``slow``."""

def pyrad_write(pkt: dict[Any, Any], key: Any, item: Any, slow: Any, hooks: tuple[Any, ...]) -> Any:
    """nacwire.pyrad: ``pkt[key] = item`` for plain attributes (None), else ``slow``."""

def pyrad_pw(secret: bytes, authenticator: bytes, data: bytes, hide: bool) -> bytes | None:
    """nacwire.pyrad: RFC 2865 5.2 User-Password hiding and revealing."""

pyrad_datatypes: Final[tuple[str, ...]]
"""nacwire.pyrad: the data types pyrad's dictionary reader takes."""
pyrad_unsupported_datatypes: Final[tuple[str, ...]]
"""nacwire.pyrad: the data types it skips (with a warning)."""
pyrad_attribute_flags: Final[tuple[str, ...]]
"""nacwire.pyrad: the ATTRIBUTE flags it knows."""

def pyrad_dict_lines(
    path: str | None, text: str | None, parse_error: Any
) -> tuple[list[tuple[str, int, str]], BaseException | None, tuple[str, int] | None]:
    """nacwire.pyrad: a dictionary's lines, includes resolved, the error ending them and
    where the include that failed is."""

def pyrad_read_dictionary(
    d: Any, path: str | None, text: str | None, helpers: tuple[Any, ...], debug: bool
) -> tuple[int, list[str], list[tuple[str, int, str, str]] | None, list[tuple[str, int, str]]]:
    """nacwire.pyrad: pyrad's ReadDictionary into d."""

@disjoint_base
class _PyradAttribute:
    """nacwire.pyrad.dictionary.Attribute (the fields live in the object)."""

    name: Any
    code: Any
    type: Any
    vendor: Any
    encrypt: Any
    has_tag: Any
    parent: Any
    is_sub_attribute: Any
    values: Any
    sub_attributes: Any
    def __new__(
        cls,
        name: Any,
        code: Any,
        datatype: Any,
        is_sub_attribute: Any = None,
        vendor: Any = None,
        values: Any = None,
        encrypt: Any = None,
        has_tag: Any = None,
    ) -> _PyradAttribute: ...
    def __init__(
        self,
        name: Any,
        code: Any,
        datatype: Any,
        is_sub_attribute: Any = None,
        vendor: Any = None,
        values: Any = None,
        encrypt: Any = None,
        has_tag: Any = None,
    ) -> None: ...
    def __reduce__(self) -> tuple[Any, ...]: ...
    def __setstate__(self, state: tuple[Any, ...], /) -> None: ...

def pyrad_encode(items: Iterable[tuple[Any, Any]], encode_tlv: Any) -> bytes:
    """nacwire.pyrad: attribute octets of pyrad's raw view."""

def pyrad_set_hooks(hooks: tuple[Any, ...]) -> None:
    """nacwire.pyrad: registers ``nacwire.pyrad.packet._HOOKS`` for PyradPacketMethods."""

class PyradAuthInit:
    """nacwire.pyrad: ``AuthPacket.__init__`` (a base with no storage)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...

class PyradAcctInit:
    """nacwire.pyrad: ``AcctPacket.__init__`` (a base with no storage)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...

class PyradCoAInit:
    """nacwire.pyrad: ``CoAPacket.__init__`` (a base with no storage)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None: ...

class PyradPacketMethods:
    """nacwire.pyrad: the packet classes' native methods (a base with no storage)."""

    dict: Any
    def __getitem__(self, key: Any, /) -> Any: ...
    def __setitem__(self, key: Any, value: Any, /) -> None: ...
    def __delitem__(self, key: Any, /) -> None: ...
    def __contains__(self, key: Any, /) -> bool: ...
    def keys(self) -> list[Any]: ...
    def __init__(self, *args: Any, **kwargs: Any) -> None: ...
    def _add_message_authenticator(self) -> None: ...
    def _pw_crypt(self, password: Any) -> Any: ...
    def _pw_decrypt(self, password: Any) -> Any: ...
    def _auth_request_packet(self) -> Any: ...

def pyrad_decode(pkt: dict[Any, Any], packet: Any, hooks: tuple[Any, ...]) -> None:
    """nacwire.pyrad: ``Packet.DecodePacket``."""

def pyrad_keys(pkt: dict[Any, Any], d: Any) -> list[Any]:
    """nacwire.pyrad: ``Packet.keys()``, names for known wire keys."""

def pyrad_sign(pkt: dict[Any, Any], encode_tlv: Any, hooks: tuple[Any, ...], whole: bool) -> bytes:
    """nacwire.pyrad: Message-Authenticator refreshed; the attributes (or the packet)."""

# Native mode (see nacwire.pyrad.packet.Packet): `nw` is the packet's native attributes.

def pyrad_nread(pkt: dict[Any, Any], nw: Any, key: Any, d: Any, slow: Any, noplan: Any) -> Any:
    """nacwire.pyrad: ``pkt[name]`` in native mode, else ``noplan`` or ``slow``."""

def pyrad_ncontains(pkt: dict[Any, Any], nw: Any, key: Any, d: Any, slow: Any, noplan: Any) -> Any:
    """nacwire.pyrad: ``name in pkt`` in native mode, else ``noplan`` or ``slow``."""

def pyrad_nwrite(
    pkt: dict[Any, Any],
    nw: Any,
    key: Any,
    item: Any,
    d: Any,
    append: bool,
    slow: Any,
    noplan: Any,
) -> Any:
    """nacwire.pyrad: ``pkt[name] = item`` (or ``AddAttribute``) in native mode."""

def pyrad_nkeys(pkt: dict[Any, Any], nw: Any, d: Any) -> list[Any] | None:
    """nacwire.pyrad: ``keys()`` in native mode, else None."""

def pyrad_nset_ma(pkt: dict[Any, Any], nw: Any, value: bytes) -> bool:
    """nacwire.pyrad: Message-Authenticator's value in native mode (false: not done)."""

def pyrad_nraw(pkt: dict[Any, Any], nw: Any, key: Any, slow: Any) -> Any:
    """nacwire.pyrad: the raw view's value for a wire key in native mode."""

def pyrad_nencode(pkt: dict[Any, Any], nw: Any) -> bytes | None:
    """nacwire.pyrad: the attribute octets in native mode, else None."""

def pyrad_nsign(pkt: dict[Any, Any], nw: Any, whole: bool) -> bytes | None:
    """nacwire.pyrad: ``pyrad_sign`` in native mode, else None."""

def pyrad_ncopy_proxy_state(
    request: dict[Any, Any], request_nw: Any, reply: dict[Any, Any], reply_nw: Any
) -> bool:
    """nacwire.pyrad: Proxy-State copied to a reply in native mode (false: not done)."""

def pyrad_fill(pkt: dict[Any, Any], nw: Any, hooks: tuple[Any, ...]) -> None:
    """nacwire.pyrad: leaves native mode, filling the OrderedDict."""

@final
class ClientEvent:
    """What the client reports."""

    @property
    def kind(self) -> Literal["reply", "retransmit", "timeout", "unmatched"]: ...
    @property
    def destination(self) -> str: ...
    @property
    def request(self) -> Packet | None: ...
    @property
    def reply(self) -> Packet | None: ...
    @property
    def data(self) -> bytes | None: ...
    @property
    def attempt(self) -> int: ...
    @property
    def rtt(self) -> float | None: ...
    @property
    def identifier(self) -> int: ...
    @property
    def signature(self) -> Literal["signed", "not-required", "accepted-unsigned"] | None: ...

@final
class Client:
    """The sans-I/O client exchange. The first retransmission comes after ``timeout``
    seconds, then waits double up to ``max_timeout`` (0: no cap); ``timeout`` above a
    non-zero ``max_timeout`` is a ``ValueError``. At most ``retries`` retransmissions
    (0: no limit, RFC 5080's MRC), for at most ``max_duration`` seconds (0: no limit).
    ``UdpClient`` and ``AsyncClient`` send ``retries + 1`` times, once for 0."""

    def __new__(
        cls,
        *,
        timeout: float = 2.0,
        retries: int = 5,
        max_timeout: float = 16.0,
        max_duration: float = 30.0,
        seed: int | None = None,
    ) -> Client: ...
    def add_destination(
        self,
        destination: str,
        secret: _Secret,
        *,
        dictionary: Dictionary | None = None,
        require_message_authenticator: _Requirement = None,
    ) -> None: ...
    def send(
        self,
        destination: str,
        code: int | str,
        attributes: _Attributes = None,
        *,
        now: float | None = None,
        message_authenticator: bool | None = None,
    ) -> Packet: ...
    def receive(
        self, destination: str, data: bytes, *, now: float | None = None
    ) -> ClientEvent: ...
    def handle_timeout(self, *, now: float | None = None) -> list[ClientEvent]: ...
    def poll_timeout(self) -> float | None: ...
    def reply_state(self, destination: str) -> bytes | None: ...
    def set_reply_state(self, destination: str, state: bytes) -> None: ...
    def in_flight(self, destination: str) -> int: ...
    def cancel(self, destination: str, identifier: int) -> bool: ...

@final
class DuplicateCache:
    """The server's duplicate-request cache."""

    def __new__(
        cls, *, lifetime: float = 5.0, max_entries: int = 65536, per_source: int = 1024
    ) -> DuplicateCache: ...
    def check(
        self,
        source: tuple[str, int] | tuple[str, int, int, int],
        request: Packet,
        *,
        local_port: int = 0,
        now: float | None = None,
    ) -> bytes | Literal[True] | None: ...
    def store_reply(
        self,
        source: tuple[str, int] | tuple[str, int, int, int],
        request: Packet,
        reply: bytes,
        *,
        local_port: int = 0,
    ) -> None: ...
    def __len__(self) -> int: ...

_Path = str | os.PathLike[str]

@final
class RadSecClient:
    """A RadSec (or RADIUS/TCP) client: one reused connection, shared by threads (their
    requests take turns). ``request`` raises ``nacwire.Timeout`` for a lost request and
    ``nacwire.TransportError`` when the connection cannot be made (naming the server,
    the ``OSError`` as ``__cause__``) or TLS fails (a certificate refused by either
    side, also when the refusal ends a request in flight, as under TLS 1.3); a host
    name that does not resolve is a ``TransportError`` here, at construction, its
    ``__cause__`` the ``socket.gaierror`` (as for the UDP clients). A ``ca``, ``cert``
    or ``key`` path holding a NUL character is a ``ValueError``."""

    def __new__(
        cls,
        host: str,
        port: int = 2083,
        *,
        transport: Literal["tls", "tcp"] = "tls",
        secret: _Secret | None = None,
        ca: _Path | None = None,
        cert: _Path | None = None,
        key: _Path | None = None,
        server_name: str | None = None,
        alpn: Literal["off", "forbid", "allow", "require"] = "allow",
        tls_versions: Literal["1.2+", "1.2", "1.3"] = "1.2+",
        dictionary: Dictionary | None = None,
        timeout: float = 5.0,
    ) -> RadSecClient: ...
    def request(self, code: int | str, attributes: _Attributes = None) -> Packet: ...
    @property
    def version(self) -> Literal["1.0", "1.1"] | None: ...
    def connect(self) -> Literal["1.0", "1.1"]: ...
    def close(self) -> None: ...
    def __enter__(self) -> RadSecClient: ...
    def __exit__(self, *_exc: object) -> None: ...

_Handler = Callable[[Packet, dict[str, Any]], tuple[int | str, _Attributes] | int | str | None]

@final
class RadSecServer:
    """A RadSec (or RADIUS/TCP) server answering with a Python handler
    ``handler(request, info) -> (code, attributes) | code | None`` on its connection
    threads. A handler that raises (or returns what cannot be built) is reported
    through ``sys.unraisablehook`` and the request gets no reply. Over TCP,
    ``secrets`` (client IP address -> shared secret) is required (``ValueError``
    without it: no client could be answered); over TLS a client not in it uses
    ``radsec``. A host that does not resolve is a ``TransportError`` (its
    ``__cause__`` the ``socket.gaierror``); a ``cert``, ``key`` or ``ca`` path holding
    a NUL character is a ``ValueError``."""

    def __new__(
        cls,
        address: tuple[str, int],
        handler: _Handler,
        *,
        transport: Literal["tls", "tcp"] = "tls",
        cert: _Path | None = None,
        key: _Path | None = None,
        ca: _Path | None = None,
        alpn: Literal["off", "forbid", "allow", "require"] = "allow",
        tls_versions: Literal["1.2+", "1.2", "1.3"] = "1.2+",
        secrets: Mapping[str, _Secret] | None = None,
        dictionary: Dictionary | None = None,
    ) -> RadSecServer: ...
    @property
    def address(self) -> tuple[str, int]: ...
    def close(self) -> None: ...
    def __enter__(self) -> RadSecServer: ...
    def __exit__(self, *_exc: object) -> None: ...
