"""The NAC model: MAC addresses, sessions, intents, vendor profiles and outcomes.

Every class is immutable and safe to share between threads. Malformed input raises
:class:`nacwire.ModelError` (``kind`` and structured fields); wrong Python types raise
``TypeError``.

JSON numbers (ClearPass and cOS Core shapes: ``from_json``, ``list_from_json``, the
keyword constructors, ``ClearPass`` filters): an integer outside -2**63..2**64-1 is
refused with ``ModelError`` (``kind="json"``, ``line``, ``column``) wherever it is.
The typed fields (``id``, ``role_id``, ``count``, ``session_timeout``,
``idle_timeout``) hold 32 or 64 bits, and the free-form ones (``attributes``,
``custom``, ``profile``, ``links``, ``device_insight_tags``, a session's other
fields) keep JSON numbers as 64-bit integers or floats: ``10**30`` would come back as
``1e+30``, another number. Send such a value as a string. Numbers written with a
fraction or an exponent are floats and stay floats.
"""

import datetime
import ipaddress
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar, Literal, final

from typing_extensions import Self

from nacwire.radius import Dictionary, Packet, Secret

__all__ = [
    "ActiveSession",
    "AuthenticatedUser",
    "ClearPass",
    "CosCore",
    "Device",
    "Endpoint",
    "EndpointState",
    "ErrorCause",
    "HttpRequest",
    "Intent",
    "MacAddress",
    "Outcome",
    "PacketPlan",
    "PlannedIntent",
    "Profile",
    "Session",
    "UserauthResponse",
    "plan_endpoint_change",
    "rfc5176_violations",
]

_MacStyle = Literal[
    "rfc3580",
    "hyphen_lower",
    "colon_lower",
    "colon_upper",
    "bare_lower",
    "bare_upper",
    "cisco",
    "cisco_upper",
    "oui_nic_lower",
    "oui_nic_upper",
    "space_lower",
    "space_upper",
]
_SessionKind = Literal["dot1x", "mac_auth", "web_auth", "ppp", "ipoe", "hotspot", "vpn", "unknown"]
_IntentKind = Literal[
    "disconnect",
    "reauthenticate",
    "change_role",
    "apply_filter",
    "session_timeout",
    "idle_timeout",
    "bounce_port",
    "disable_port",
    "rate_limit",
    "policy",
    "activate_service",
    "deactivate_service",
    "account_logon",
    "account_logoff",
    "authorize_only",
    "raw",
]
_EndpointStatus = Literal["Known", "Unknown", "Disabled"]
#: A standard attribute number, a ``(vendor, vendor_type)`` pair or ``"241.N"``.
_AttrId = int | tuple[int, int] | str
_AttrValue = (
    str | bytes | int | ipaddress.IPv4Address | ipaddress.IPv6Address | ipaddress.IPv6Network
)
_Secret = Secret | bytes | str
_PacketLike = Packet | bytes
_Json = str | bytes

@final
class MacAddress:
    """A 48-bit IEEE MAC address (EUI-48): any common spelling in, every style out."""

    BROADCAST: ClassVar[MacAddress]
    """``ff:ff:ff:ff:ff:ff``."""
    styles: ClassVar[list[_MacStyle]]
    """The style names ``format`` takes."""

    def __new__(cls, value: str | bytes | MacAddress) -> Self:
        """Parses ``aa:bb:cc:dd:ee:ff``, ``AA-BB-CC-DD-EE-FF``, ``aabb.ccdd.eeff``,
        ``aabbcc-ddeeff``, ``aabbccddeeff``, ``aa bb cc dd ee ff`` (any case), and
        ``0:1b:63:84:45:e6`` (one-digit groups, as macOS ``arp`` prints it), or takes
        6 octets. Raises ``ModelError`` (``kind``: ``empty``, ``too_long``,
        ``invalid_character``, ``bad_grouping``; ``invalid_value`` for bytes that are not
        6 octets). No surrounding whitespace: strip input first."""

    def format(self, style: _MacStyle = "colon_lower") -> str:
        """The address in a named style (``rfc3580``: ``AA-BB-CC-DD-EE-FF``, ``cisco``:
        ``aabb.ccdd.eeff``, ``bare_lower``: ``aabbccddeeff``, ...)."""

    @property
    def octets(self) -> bytes:
        """The six octets."""

    @property
    def oui(self) -> bytes:
        """The Organizationally Unique Identifier (first three octets)."""

    @property
    def is_locally_administered(self) -> bool:
        """The U/L bit: locally administered (often a randomized client MAC)."""

    @property
    def is_multicast(self) -> bool:
        """The I/G bit: a group (multicast or broadcast) address."""

    def __bytes__(self) -> bytes:
        """The six octets."""

    def __hash__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __lt__(self, other: MacAddress, /) -> bool: ...
    def __le__(self, other: MacAddress, /) -> bool: ...
    def __gt__(self, other: MacAddress, /) -> bool: ...
    def __ge__(self, other: MacAddress, /) -> bool: ...
    def __reduce__(self) -> tuple[type[MacAddress], tuple[str]]: ...

@final
class Session:
    """A live session: the NAS' identification and the attributes that identify the
    session there (RFC 5176 §3). ``repr()`` shows State, Class and CUI by length only."""

    def __new__(
        cls,
        *,
        nas_ip: str | ipaddress.IPv4Address | None = ...,
        nas_ipv6: str | ipaddress.IPv6Address | None = ...,
        nas_identifier: str | None = ...,
        user_name: str | None = ...,
        cui: bytes | None = ...,
        acct_session_id: str | None = ...,
        acct_multi_session_id: str | None = ...,
        calling_station: str | MacAddress | None = ...,
        called_station: str | None = ...,
        nas_port: int | None = ...,
        nas_port_id: str | None = ...,
        framed_ip: str | ipaddress.IPv4Address | None = ...,
        framed_ipv6_prefix: str | ipaddress.IPv6Network | None = ...,
        framed_interface_id: bytes | None = ...,
        framed_ipv6_address: str | ipaddress.IPv6Address | None = ...,
        cisco_audit_session_id: str | None = ...,
        operator_name: str | None = ...,
        operator_nas_id: bytes | None = ...,
        kind: _SessionKind | None = ...,
        state: bytes | None = ...,
        classes: Iterable[bytes] | None = ...,
    ) -> Self:
        """A session from its fields (all optional)."""

    @staticmethod
    def from_packet(packet: _PacketLike) -> Session:
        """Reads the identification from an Access-Request or Accounting-Request. The
        kind is inferred (EAP: ``dot1x``; Call-Check or a MAC User-Name: ``mac_auth``;
        PPP: ``ppp``). Raises ``ModelError`` (``wrong_code``, ``not_text``,
        ``bad_value``) or, for bytes that are not a packet, ``PacketError``."""

    def replace(
        self,
        *,
        nas_ip: str | ipaddress.IPv4Address | None = ...,
        nas_ipv6: str | ipaddress.IPv6Address | None = ...,
        nas_identifier: str | None = ...,
        user_name: str | None = ...,
        cui: bytes | None = ...,
        acct_session_id: str | None = ...,
        acct_multi_session_id: str | None = ...,
        calling_station: str | MacAddress | None = ...,
        called_station: str | None = ...,
        nas_port: int | None = ...,
        nas_port_id: str | None = ...,
        framed_ip: str | ipaddress.IPv4Address | None = ...,
        framed_ipv6_prefix: str | ipaddress.IPv6Network | None = ...,
        framed_interface_id: bytes | None = ...,
        framed_ipv6_address: str | ipaddress.IPv6Address | None = ...,
        cisco_audit_session_id: str | None = ...,
        operator_name: str | None = ...,
        operator_nas_id: bytes | None = ...,
        kind: _SessionKind | None = ...,
        state: bytes | None = ...,
        classes: Iterable[bytes] | None = ...,
    ) -> Session:
        """A copy with the given fields changed (``None`` clears one)."""

    @property
    def nas_ip(self) -> ipaddress.IPv4Address | None:
        """NAS-IP-Address."""

    @property
    def nas_ipv6(self) -> ipaddress.IPv6Address | None:
        """NAS-IPv6-Address."""

    @property
    def nas_identifier(self) -> str | None:
        """NAS-Identifier."""

    @property
    def user_name(self) -> str | None:
        """User-Name."""

    @property
    def cui(self) -> bytes | None:
        """Chargeable-User-Identity."""

    @property
    def acct_session_id(self) -> str | None:
        """Acct-Session-Id."""

    @property
    def acct_multi_session_id(self) -> str | None:
        """Acct-Multi-Session-Id."""

    @property
    def calling_station(self) -> MacAddress | str | None:
        """Calling-Station-Id: a ``MacAddress`` when it is one, the text otherwise."""

    @property
    def called_station(self) -> str | None:
        """Called-Station-Id as received."""

    @property
    def called_station_mac(self) -> MacAddress | None:
        """The access point or switch MAC at the start of Called-Station-Id."""

    @property
    def ssid(self) -> str | None:
        """The SSID after the MAC in Called-Station-Id (RFC 3580 §3.20)."""

    @property
    def nas_port(self) -> int | None:
        """NAS-Port."""

    @property
    def nas_port_id(self) -> str | None:
        """NAS-Port-Id."""

    @property
    def framed_ip(self) -> ipaddress.IPv4Address | None:
        """Framed-IP-Address."""

    @property
    def framed_ipv6_prefix(self) -> ipaddress.IPv6Network | None:
        """Framed-IPv6-Prefix."""

    @property
    def framed_interface_id(self) -> bytes | None:
        """Framed-Interface-Id (8 octets)."""

    @property
    def framed_ipv6_address(self) -> ipaddress.IPv6Address | None:
        """Framed-IPv6-Address."""

    @property
    def cisco_audit_session_id(self) -> str | None:
        """Cisco ``audit-session-id`` (from Cisco-AVPair)."""

    @property
    def vendor_attributes(self) -> list[tuple[int, int, bytes]]:
        """Other vendor attributes seen, as ``(vendor, vendor_type, value)``."""

    @property
    def operator_name(self) -> str | None:
        """Operator-Name (RFC 5580)."""

    @property
    def operator_nas_id(self) -> bytes | None:
        """Operator-NAS-Identifier (RFC 8559)."""

    @property
    def kind(self) -> _SessionKind:
        """How the session was authenticated."""

    @property
    def state(self) -> bytes | None:
        """The State to send with Authorize-Only."""

    @property
    def classes(self) -> list[bytes]:
        """Class attributes received for the session."""

    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Intent:
    """What to do to a live session, whatever the vendor. Build one with the static
    methods; ``repr()`` is the call that builds it."""

    @staticmethod
    def disconnect(terminate_cause: int | None = None) -> Intent:
        """End the session (Disconnect-Request), optionally with an
        Acct-Terminate-Cause (e.g. 6, Admin-Reset)."""

    @staticmethod
    def reauthenticate(kind: Literal["default", "last", "rerun"] = "default") -> Intent:
        """Run authentication again: the NAS' default, the method that succeeded
        last, or all methods."""

    @staticmethod
    def change_role(role: str) -> Intent:
        """Put the session in another role (user group)."""

    @staticmethod
    def apply_filter(name: str) -> Intent:
        """Apply a named filter (Filter-Id)."""

    @staticmethod
    def session_timeout(seconds: int) -> Intent:
        """Replace Session-Timeout."""

    @staticmethod
    def idle_timeout(seconds: int) -> Intent:
        """Replace Idle-Timeout."""

    @staticmethod
    def bounce_port(seconds: int | None = None) -> Intent:
        """Take the port down and up (for ``seconds`` where the vendor takes a time)."""

    @staticmethod
    def disable_port() -> Intent:
        """Shut the port."""

    @staticmethod
    def rate_limit(upload_bps: int, download_bps: int) -> Intent:
        """Change the bandwidth (bits per second, from the subscriber's side)."""

    @staticmethod
    def policy(ingress: str | None = None, egress: str | None = None) -> Intent:
        """Change QoS policies by name."""

    @staticmethod
    def activate_service(
        name: str, params: Sequence[str] = ..., *, tag: int | None = None
    ) -> Intent:
        """Activate a subscriber service (``name(p1,p2)``); ``tag`` (1-31) groups
        Juniper's service attributes."""

    @staticmethod
    def deactivate_service(
        name: str, params: Sequence[str] = ..., *, tag: int | None = None
    ) -> Intent:
        """Deactivate a subscriber service."""

    @staticmethod
    def account_logon() -> Intent:
        """Log the subscriber on (Cisco ISG account-logon)."""

    @staticmethod
    def account_logoff() -> Intent:
        """Log the subscriber off (Cisco ISG account-logoff)."""

    @staticmethod
    def authorize_only() -> Intent:
        """Ask the NAS to send an Access-Request for the session (RFC 5176 §3.2); the
        session needs its State."""

    @staticmethod
    def raw(
        kind: Literal["disconnect", "coa"],
        attributes: Iterable[tuple[_AttrId, _AttrValue] | tuple[_AttrId, _AttrValue, int]],
    ) -> Intent:
        """Exactly these attributes after the profile's identification, still checked
        against RFC 5176 §3.6: ``(attribute, value)`` or ``(attribute, value, tag)``."""

    @property
    def kind(self) -> _IntentKind:
        """The intent's kind."""

    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Profile:
    """A vendor profile: ports, identification attributes and MAC spellings, and the
    recipe per intent. ``Profile.get("cisco-ios")``; adjust a copy with ``replace``."""

    @staticmethod
    def get(name: str) -> Profile:
        """The builtin profile with this name (case-insensitive); ``ModelError``
        (``unknown_profile``) when there is none."""

    @staticmethod
    def names() -> list[str]:
        """The builtin profiles' names."""

    @staticmethod
    def all() -> list[Profile]:
        """Every builtin profile."""

    def replace(
        self,
        *,
        coa_port: int | None = None,
        disconnect_port: int | None = None,
        message_authenticator: bool | None = None,
        event_timestamp: bool | None = None,
        calling_station_mac: _MacStyle | None = None,
        user_name_mac: _MacStyle | None = None,
        identity: Sequence[str] | None = None,
        mac_auth_identity: Sequence[str] | None = None,
        required: Sequence[str] | None = None,
    ) -> Profile:
        """A copy adjusted for a site. ``identity``, ``mac_auth_identity`` and
        ``required`` list identification attribute names as ``identity`` shows them
        (``"NAS-Port"``, ``"User-Name (client MAC)"``, ...); an empty
        ``mac_auth_identity`` removes the MAC-authentication override."""

    @property
    def name(self) -> str:
        """The short name (``"cisco-ios"``)."""

    @property
    def vendor(self) -> str:
        """The vendor recipe (``"cisco_ios"``, ``"juniper_mx"``, ...)."""

    @property
    def source(self) -> str:
        """Where the recipe comes from."""

    @property
    def coa_port(self) -> int:
        """CoA-Request destination port."""

    @property
    def disconnect_port(self) -> int:
        """Disconnect-Request destination port."""

    @property
    def identity(self) -> list[str]:
        """Identification attributes sent first, in order, when the session has them."""

    @property
    def mac_auth_identity(self) -> list[str] | None:
        """Identification used instead for MAC-authenticated sessions, when set."""

    @property
    def required(self) -> list[str]:
        """Identification attributes that must be present."""

    @property
    def calling_station_mac(self) -> _MacStyle | Literal["custom"]:
        """Calling-Station-Id spelling."""

    @property
    def user_name_mac(self) -> _MacStyle | Literal["custom"]:
        """User-Name spelling when the profile sends the client MAC as User-Name."""

    @property
    def message_authenticator(self) -> bool:
        """Message-Authenticator in every request."""

    @property
    def event_timestamp(self) -> bool:
        """Event-Timestamp in every request."""

    @property
    def role_change(self) -> Literal["attribute", "reauthenticate", "disconnect"]:
        """How roles change."""

    def supported(self) -> list[_IntentKind]:
        """The intent kinds the recipe covers."""

    def supports(self, intent: Intent | _IntentKind) -> bool:
        """Whether the recipe covers an intent (or an intent kind)."""

    def plan(
        self,
        session: Session,
        intent: Intent,
        *,
        now: float | datetime.datetime | None = None,
    ) -> PacketPlan:
        """Plans the request that carries out ``intent`` on ``session``; ``now``
        (default: the current time; seconds since 1970 or an aware ``datetime``, a
        naive one being a ``ValueError``) becomes the Event-Timestamp. Raises ``ModelError``
        (``unsupported``, ``missing_identity``, ``no_session_identification``,
        ``missing_state``, ``not_allowed``)."""

    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class PacketPlan:
    """A planned Disconnect-Request or CoA-Request, attributes in wire order."""

    @property
    def kind(self) -> Literal["disconnect", "coa"]:
        """Disconnect or CoA."""

    @property
    def code(self) -> int:
        """The packet code (40 or 43)."""

    @property
    def code_name(self) -> str:
        """``"Disconnect-Request"`` or ``"CoA-Request"``."""

    @property
    def port(self) -> int:
        """The UDP destination port at the NAS."""

    @property
    def message_authenticator(self) -> bool:
        """Whether Message-Authenticator goes first."""

    @property
    def authorize_only(self) -> bool:
        """An Authorize-Only CoA: success is a CoA-NAK with Error-Cause 507."""

    @property
    def attributes(self) -> list[tuple[_AttrId, int | None, _AttrValue]]:
        """The attributes in order, as ``(attribute, tag, value)``."""

    @property
    def deviations(self) -> list[tuple[str, str]]:
        """RFC 5176 §3.6 departures the profile makes on purpose: ``(what, why)``."""

    def encode(self, identifier: int, secret: _Secret) -> bytes:
        """The request's bytes (authenticators computed with ``secret``); keep them for
        retransmission. Raises ``BuildError`` when a value does not fit."""

    def packet(
        self, identifier: int, secret: _Secret, *, dictionary: Dictionary | None = None
    ) -> Packet:
        """The request as a ``nacwire.radius.Packet`` (attributes readable by name)."""

    def outcome(self, request: _PacketLike, reply: _PacketLike, secret: _Secret | None) -> Outcome:
        """The outcome of ``reply`` to this plan's request (see ``Outcome.from_reply``)."""

@final
class ErrorCause:
    """An Error-Cause value (RFC 5176 §3.5); compares and hashes as its number."""

    def __new__(cls, value: int | str) -> Self:
        """From the number (``ValueError`` outside 0..=2**32-1) or FreeRADIUS' name
        (``"Session-Context-Not-Found"``; ``ModelError`` for an unknown one)."""

    @staticmethod
    def all() -> list[ErrorCause]:
        """Every value the crate names (FreeRADIUS' dictionary), in numeric order."""

    @property
    def value(self) -> int:
        """The number."""

    @property
    def name(self) -> str | None:
        """FreeRADIUS' name, if known."""

    @property
    def description(self) -> str | None:
        """The RFC's description, if known."""

    @property
    def error_class(self) -> Literal["success", "client_error", "server_error", "reserved"]:
        """The class from the value's range."""

    @property
    def is_retryable(self) -> bool:
        """Whether the same request may succeed later (505, 506)."""

    def __int__(self) -> int: ...
    def __index__(self) -> int: ...
    def __hash__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...

@final
class Outcome:
    """What a Disconnect or CoA reply means."""

    @staticmethod
    def from_reply(
        request: _PacketLike,
        reply: _PacketLike,
        secret: _Secret | None,
        *,
        authorize_only: bool | None = None,
    ) -> Outcome:
        """Interprets ``reply`` to ``request`` after verifying it with ``secret``
        (``VerifyError`` if forged). ``secret=None`` skips verification: only for a
        reply verified already (a ``Client`` "reply" event). ``authorize_only``
        defaults to whether the request carries Service-Type Authorize-Only."""

    @property
    def kind(
        self,
    ) -> Literal[
        "applied",
        "authorize_only_started",
        "session_not_found",
        "rejected",
        "protocol_violation",
    ]:
        """The outcome's kind."""

    @property
    def is_success(self) -> bool:
        """Applied, or Authorize-Only started."""

    @property
    def residual_only(self) -> bool:
        """Applied, but the session was already gone (Error-Cause 201)."""

    @property
    def causes(self) -> list[ErrorCause]:
        """The reply's Error-Cause values, in order."""

    @property
    def violation(self) -> str | None:
        """What the reply got wrong (``protocol_violation`` only)."""

    @property
    def reply_code(self) -> str:
        """The reply's code name."""

    @property
    def reply_messages(self) -> list[str]:
        """Reply-Message texts."""

    @property
    def acct_terminate_cause(self) -> int | None:
        """Acct-Terminate-Cause of the reply."""

    @property
    def text(self) -> str:
        """The text form (``"rejected: Unsupported-Attribute"``), as ``str()``."""

@final
class HttpRequest:
    """An HTTP request described as data, for any HTTP client to perform. ``repr()``
    leaves the body out: it can hold credentials."""

    @property
    def method(self) -> Literal["GET", "POST", "PUT", "PATCH", "DELETE"]:
        """The method."""

    @property
    def path(self) -> str:
        """The path, percent-encoded."""

    @property
    def query(self) -> list[tuple[str, str]]:
        """Query parameters in order, not encoded."""

    @property
    def path_and_query(self) -> str:
        """The path with the encoded query string."""

    @property
    def content_type(self) -> str | None:
        """The body's Content-Type, if there is a body."""

    @property
    def body(self) -> bytes | None:
        """The body, if any."""

    @property
    def body_text(self) -> str | None:
        """The body as text."""

    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Endpoint:
    """A ClearPass endpoint (``/api/endpoint``); every field optional, so the same class
    is a full object, a create body and a PATCH body."""

    def __new__(
        cls,
        *,
        id: int | None = ...,
        mac_address: str | MacAddress | None = ...,
        description: str | None = ...,
        status: _EndpointStatus | None = ...,
        randomized_mac: bool | None = ...,
        device_insight_tags: Any = ...,
        attributes: dict[str, Any] | None = ...,
        profile: Any = ...,
        links: Any = ...,
    ) -> Self:
        """An endpoint from its fields (``ModelError`` when one does not fit)."""

    @staticmethod
    def from_json(text: _Json) -> Endpoint:
        """Parses ClearPass' JSON."""

    @staticmethod
    def list_from_json(text: _Json) -> tuple[list[Endpoint], int | None]:
        """Parses a list reply: the items, and the count when asked for."""

    def to_json(self) -> str:
        """The JSON ClearPass takes (absent fields left out; the MAC bare lower case)."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON as Python objects."""

    @property
    def id(self) -> int | None:
        """Read-only id."""

    @property
    def mac_address(self) -> MacAddress | None:
        """The MAC address."""

    @property
    def description(self) -> str | None:
        """Description."""

    @property
    def status(self) -> _EndpointStatus | None:
        """Status."""

    @property
    def randomized_mac(self) -> bool | None:
        """Whether the MAC is randomized."""

    @property
    def device_insight_tags(self) -> Any:
        """Device Insight tags, as ClearPass sends them."""

    @property
    def attributes(self) -> dict[str, Any] | None:
        """Custom attributes."""

    @property
    def profile(self) -> Any:
        """Profiling information."""

    @property
    def links(self) -> Any:
        """HAL links of a returned object."""

    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class Device:
    """A ClearPass guest device account (``/api/device``). ``repr()`` never shows the
    password."""

    def __new__(cls, **fields: Any) -> Self:
        """A device from its JSON field names (``mac``, ``enabled``, ``role_id``,
        ``expire_time``, ``username``, ``password``, ...); other names are custom
        fields."""

    @staticmethod
    def from_json(text: _Json) -> Device:
        """Parses ClearPass' JSON."""

    @staticmethod
    def list_from_json(text: _Json) -> tuple[list[Device], int | None]:
        """Parses a list reply: the items, and the count when asked for."""

    def to_json(self) -> str:
        """The JSON ClearPass takes."""

    def to_dict(self) -> dict[str, Any]:
        """The JSON as Python objects."""

    @property
    def id(self) -> int | None:
        """Read-only id."""

    @property
    def mac(self) -> str | None:
        """The MAC address as ClearPass Guest writes it."""

    @property
    def mac_address(self) -> MacAddress | None:
        """The MAC address, parsed (``ModelError`` when it is not one)."""

    @property
    def enabled(self) -> bool | None:
        """Account enabled."""

    @property
    def role_id(self) -> int | None:
        """Role id."""

    @property
    def role_name(self) -> str | None:
        """Role name."""

    @property
    def start_time(self) -> int | str | None:
        """Activation time (epoch seconds or text, as received)."""

    @property
    def expire_time(self) -> int | str | None:
        """Expiry time (epoch seconds or text, as received)."""

    @property
    def create_time(self) -> int | str | None:
        """Creation time (epoch seconds or text, as received)."""

    @property
    def current_state(self) -> str | None:
        """Read-only state."""

    @property
    def notes(self) -> str | None:
        """Notes."""

    @property
    def visitor_name(self) -> str | None:
        """Visitor name."""

    @property
    def sponsor_name(self) -> str | None:
        """Sponsor name."""

    @property
    def username(self) -> str | None:
        """Account user name."""

    @property
    def password(self) -> str | None:
        """Account password."""

    @property
    def custom(self) -> dict[str, Any]:
        """Other fields, as received."""

    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class ActiveSession:
    """An entry of ClearPass' ``/api/session``."""

    @staticmethod
    def from_json(text: _Json) -> ActiveSession:
        """Parses one session object."""

    @staticmethod
    def list_from_json(text: _Json) -> tuple[list[ActiveSession], int | None]:
        """Parses a list reply: the items, and the count when asked for."""

    def to_json(self) -> str:
        """The JSON."""

    @property
    def id(self) -> str:
        """Session id."""

    @property
    def mac_address(self) -> str | None:
        """Client MAC, as ClearPass writes it."""

    @property
    def framedipaddress(self) -> str | None:
        """Client IP, as ClearPass writes it."""

    @property
    def state(self) -> Literal["active", "stale", "closed"] | None:
        """Session state."""

    @property
    def other(self) -> dict[str, Any]:
        """Every other field."""

@final
class ClearPass:
    """The ClearPass operations an integration performs, as ``HttpRequest``s (paths
    relative to ``https://<cppm>``; add the OAuth bearer token)."""

    @staticmethod
    def update_endpoint(mac: str | bytes | MacAddress, patch: Endpoint) -> HttpRequest:
        """``PATCH /api/endpoint/mac-address/{mac}`` with the fields set in ``patch``."""

    @staticmethod
    def create_endpoint(endpoint: Endpoint) -> HttpRequest:
        """``POST /api/endpoint``."""

    @staticmethod
    def get_endpoint(mac: str | bytes | MacAddress) -> HttpRequest:
        """``GET /api/endpoint/mac-address/{mac}``."""

    @staticmethod
    def create_device(device: Device, *, coa: bool | None = None) -> HttpRequest:
        """``POST /api/device`` (``mac`` and ``role_id`` required); ``coa`` sets
        ``?change_of_authorization=`` (``None``: the server's default)."""

    @staticmethod
    def update_device(
        mac: str | bytes | MacAddress, patch: Device, *, coa: bool | None = None
    ) -> HttpRequest:
        """``PATCH /api/device/mac/{mac}`` with the fields set in ``patch``."""

    @staticmethod
    def active_sessions(mac: str | bytes | MacAddress) -> HttpRequest:
        """``GET /api/session?filter=...``: the active sessions of a MAC."""

    @staticmethod
    def disconnect_session(id: str) -> HttpRequest:
        """``POST /api/session/{id}/disconnect``."""

    @staticmethod
    def reauthorize_session(id: str, profile: str) -> HttpRequest:
        """``POST /api/session/{id}/reauthorize`` with a reauthorization profile."""

    @staticmethod
    def session_action(
        kind: Literal["disconnect", "coa"],
        *,
        mac: str | bytes | MacAddress | None = None,
        username: str | None = None,
        ip: str | ipaddress.IPv4Address | ipaddress.IPv6Address | None = None,
        filter: dict[str, Any] | None = None,
        enforcement_profiles: Sequence[str] = ...,
        asynchronous: bool = False,
    ) -> HttpRequest:
        """``POST /api/session-action/{kind}[...]``; exactly one of ``mac``,
        ``username``, ``ip`` or ``filter`` selects the sessions; a CoA needs
        ``enforcement_profiles``."""

@final
class AuthenticatedUser:
    """A user cOS Core knows as authenticated (``/api/oper/userauth``), by IPv4
    address."""

    def __new__(
        cls,
        username: str,
        ip: str | ipaddress.IPv4Address,
        groups: Sequence[str] = ...,
        session_timeout: int = 3600,
        *,
        interface: str | None = None,
        idle_timeout: int | None = None,
    ) -> Self:
        """A user, validated as the firewall would (``ModelError``:
        ``empty_username``, ``timeout``, ``bad_group``)."""

    @staticmethod
    def from_session(
        session: Session, groups: Sequence[str] = ..., session_timeout: int = 3600
    ) -> AuthenticatedUser:
        """From a RADIUS session (User-Name and Framed-IP-Address)."""

    @staticmethod
    def from_json(text: _Json) -> AuthenticatedUser:
        """Parses one user object as the API writes it."""

    def to_json(self) -> str:
        """The JSON the API writes."""

    @property
    def username(self) -> str:
        """User name."""

    @property
    def ip(self) -> ipaddress.IPv4Address:
        """IPv4 address."""

    @property
    def groups(self) -> list[str]:
        """Group memberships."""

    @property
    def interface(self) -> str | None:
        """The interface the user is restricted to."""

    @property
    def agent_type(self) -> str | None:
        """Output only (``"Identity Awareness"``)."""

    @property
    def session_timeout(self) -> int:
        """Seconds."""

    @property
    def idle_timeout(self) -> int | None:
        """Seconds (the firewall uses ``session_timeout`` when absent)."""

    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class CosCore:
    """The cOS Core ``/api/oper/userauth`` operations, as ``HttpRequest``s."""

    @staticmethod
    def list(num: int | None = None) -> HttpRequest:
        """``GET`` the authenticated users (``num`` caps the count)."""

    @staticmethod
    def get(ip: str | ipaddress.IPv4Address, interface: str | None = None) -> HttpRequest:
        """``GET`` one user by IPv4 address (and interface)."""

    @staticmethod
    def add(user: AuthenticatedUser) -> HttpRequest:
        """``POST`` (add or refresh) a user, form-encoded."""

    @staticmethod
    def remove(ip: str | ipaddress.IPv4Address, interface: str | None = None) -> HttpRequest:
        """``DELETE`` a user by IPv4 address (and interface)."""

@final
class UserauthResponse:
    """A reply of ``/api/oper/userauth``."""

    @staticmethod
    def from_json(text: _Json) -> UserauthResponse:
        """Parses the API's JSON (``ModelError`` with ``kind="json"`` otherwise)."""

    def to_json(self) -> str:
        """The JSON as the API writes it."""

    @property
    def kind(self) -> Literal["users", "added", "ok", "error"]:
        """Which reply."""

    @property
    def total(self) -> int | None:
        """The number of authenticated users on the firewall."""

    @property
    def users(self) -> list[AuthenticatedUser]:
        """The users of a list or lookup (empty otherwise)."""

    @property
    def user(self) -> AuthenticatedUser | None:
        """The user as added."""

    @property
    def error_code(self) -> int | None:
        """``error_code`` of an error reply."""

    @property
    def error_message(self) -> str | None:
        """``error_message`` of an error reply."""

    def __eq__(self, other: object, /) -> bool: ...
    __hash__: ClassVar[None]  # type: ignore[assignment]

@final
class EndpointState:
    """What the endpoint-change planner looks at: status, role, and a digest of the
    other policy attributes."""

    def __new__(
        cls, status: _EndpointStatus, role: str | None = None, attributes_digest: int = 0
    ) -> Self:
        """A state from its parts."""

    @staticmethod
    def from_endpoint(endpoint: Endpoint, role_attribute: str | None = None) -> EndpointState:
        """From a ClearPass endpoint; ``role_attribute`` names the custom attribute that
        carries the role. A missing status counts as Unknown."""

    @staticmethod
    def from_device(device: Device) -> EndpointState:
        """From a guest device: disabled accounts are Disabled, others Known."""

    @property
    def status(self) -> _EndpointStatus:
        """Status."""

    @property
    def role(self) -> str | None:
        """The role, when known."""

    @property
    def attributes_digest(self) -> int:
        """Digest of the other policy attributes."""

    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class PlannedIntent:
    """One planned action: ``intent`` for ``sessions[session]``, and why."""

    @property
    def session(self) -> int:
        """Index into the sessions given."""

    @property
    def intent(self) -> Intent:
        """What to do."""

    @property
    def reason(
        self,
    ) -> Literal[
        "disabled", "became_known", "became_unknown", "role_changed", "attributes_changed"
    ]:
        """Why."""

def plan_endpoint_change(
    previous: EndpointState | None,
    current: EndpointState,
    sessions: Iterable[Session],
    profile: Profile | Callable[[Session], Profile],
) -> list[PlannedIntent]:
    """The intents that make an endpoint change take effect on its live sessions now.
    ``profile`` is one ``Profile`` for every session or a callable giving each
    session's profile."""

def rfc5176_violations(packet: _PacketLike) -> list[str]:
    """What a Disconnect or CoA packet carries against the RFC 5176 §3.6 table: one
    text per attribute not allowed or repeated too often; empty when it conforms."""
