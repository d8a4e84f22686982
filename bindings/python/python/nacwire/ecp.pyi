"""Extreme external captive portals (ECP): signed redirects, typed.

Every class is immutable and safe to share between threads; a ``Keyring`` is replaced
as a whole while verifiers use it. Malformed, forged, stale or unsigned input raises
:class:`nacwire.SignatureError` (``kind`` and structured fields); wrong Python types
raise ``TypeError``, unknown option names and empty secrets ``ValueError``. Secrets
never appear in a ``repr``.
"""

import datetime
import ipaddress
from collections.abc import Callable, Iterable, Mapping
from typing import Literal, final

from typing_extensions import Self

from nacwire._native import SignatureError as SignatureError
from nacwire.nac import MacAddress

__all__ = [
    "Approval",
    "ControllerRedirect",
    "Keyring",
    "SignatureError",
    "SignatureInfo",
    "Signer",
    "Verifier",
    "parse_amz_date",
    "parse_unsigned",
]

_Secret = bytes | str
_Secrets = _Secret | Iterable[_Secret]
_Keys = Mapping[str, _Secrets] | Iterable[tuple[str, _Secrets]]
_Lookup = Callable[[str], _Secrets | None]
_Time = datetime.datetime | float | int
_Seconds = datetime.timedelta | float | int
_PortRule = Literal["include_non_default", "omit"]
_EmptyPath = Literal["slash", "empty"]
_Ip = str | ipaddress.IPv4Address | ipaddress.IPv6Address

@final
class Keyring:
    """The secrets of each identity: several while a key is rotated (tried in order)."""

    def __new__(cls, keys: _Keys | None = None) -> Self:
        """``Keyring({"identity": b"secret"})`` or ``{"identity": [new, old]}``."""

    def replace(self, keys: _Keys) -> None:
        """Replaces every identity and secret at once; verifications already running
        finish with the old keys."""

    @property
    def identities(self) -> list[str]:
        """The identities, in the order given."""

    def __contains__(self, identity: str, /) -> bool: ...
    def __len__(self) -> int: ...

@final
class Verifier:
    """Verifies signed ECP URLs against a ``Keyring`` or a callable
    ``identity -> secrets`` (return ``None`` or ``[]`` for an unknown identity; an
    exception it raises propagates). Time window:
    ``X-Amz-Date - max_future_skew <= now <= X-Amz-Date + X-Amz-Expires + expiry_grace``."""

    def __new__(
        cls,
        keys: Keyring | _Lookup,
        *,
        max_future_skew: _Seconds | None = None,
        expiry_grace: _Seconds | None = None,
        max_expires: int = 900,
        max_url_len: int = 4096,
        port_rule: _PortRule = "include_non_default",
        empty_path: _EmptyPath = "slash",
        reserialized_query_fallback: bool = False,
    ) -> Self:
        """Defaults: 10 s future skew, no grace, ``X-Amz-Expires`` at most 900 s, URLs
        at most 4096 octets, a non-default port in the ``host:`` line, ``/`` for an
        empty path, the raw query only."""

    def verify(self, url: str | bytes, *, now: _Time | None = None) -> ControllerRedirect:
        """Verifies a controller redirect as received (rebuilt from the portal's
        configured URL and the raw query, never from a Host header) and types it.
        ``now`` defaults to the system clock."""

    def verify_request(
        self,
        host: str,
        path: str,
        query: str | bytes,
        *,
        scheme: str = "https",
        port: int | None = None,
        now: _Time | None = None,
    ) -> ControllerRedirect:
        """``verify`` from parts: the configured host, the path and the raw query."""

    def verify_approval(self, url: str | bytes, *, now: _Time | None = None) -> Approval:
        """Verifies a signed ``/ext_approval.php`` URL (the controller's side)."""

    @property
    def keys(self) -> Keyring | _Lookup:
        """The keys given."""

def parse_unsigned(url: str | bytes, *, max_url_len: int = 4096) -> ControllerRedirect:
    """Parses an unsigned controller redirect; nothing is verified (check the
    controller with ``controller_allowed``)."""

def parse_amz_date(value: str) -> datetime.datetime:
    """An ``X-Amz-Date`` (``YYYYMMDDThhmmssZ``) as an aware UTC datetime."""

@final
class SignatureInfo:
    """What a verified signature said."""

    @property
    def identity(self) -> str: ...
    @property
    def date(self) -> datetime.datetime:
        """``X-Amz-Date``, aware UTC."""

    @property
    def expires(self) -> int:
        """``X-Amz-Expires``, seconds."""

    @property
    def secret_index(self) -> int:
        """Which of the identity's secrets matched (0 = first)."""

    @property
    def query_form(
        self,
    ) -> Literal["raw", "raw_browser_quote", "reencoded_uri_component", "reencoded_strict"]: ...

@final
class ControllerRedirect:
    """The controller -> portal redirect, typed."""

    @property
    def token(self) -> str: ...
    @property
    def wlan(self) -> str: ...
    @property
    def dest(self) -> str: ...
    @property
    def hwc_ip(self) -> str | None: ...
    @property
    def hwc_port(self) -> int | None: ...
    @property
    def mac(self) -> MacAddress | None: ...
    @property
    def mac_sent(self) -> str | None: ...
    @property
    def bssid(self) -> MacAddress | None: ...
    @property
    def bssid_sent(self) -> str | None: ...
    @property
    def ssid(self) -> str | None:
        """As sent, percent-decoded (invalid UTF-8 replaced by U+FFFD)."""

    def ssid_octets(self, rule: Literal["auto", "text", "hex"] = "auto") -> bytes | None:
        """The SSID octets: ``auto`` reads an even count of at most 64 hex digits as
        hex, anything else as text. Raises ``SignatureError`` for ``hex`` on non-hex."""

    @property
    def vns(self) -> str | None: ...
    @property
    def ap(self) -> str | None: ...
    @property
    def sn(self) -> str | None: ...
    @property
    def role(self) -> str | None: ...
    @property
    def vlan(self) -> int | None:
        """1..4094; None when absent, empty or 0."""

    @property
    def extras(self) -> list[tuple[str, str]]:
        """Every other parameter (but ``X-Amz-*``), decoded, in the order received."""

    def extra(self, name: str) -> str | None: ...
    @property
    def signature(self) -> SignatureInfo | None:
        """None for an unsigned redirect."""

    def controller(self) -> tuple[str, int]:
        """``(hwc_ip, hwc_port)``, port 443 when absent; trust it only when signed."""

    def controller_allowed(
        self, allowed: Iterable[_Ip]
    ) -> tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, int]:
        """``controller()`` with ``hwc_ip`` required to be one of ``allowed``."""

    def __eq__(self, other: object, /) -> bool: ...

@final
class Signer:
    """Signs ECP URLs as one identity; the rules must match the verifier's."""

    def __new__(
        cls,
        identity: str,
        secret: _Secret,
        *,
        expires: int = 60,
        port_rule: _PortRule = "include_non_default",
        empty_path: _EmptyPath = "slash",
    ) -> Self:
        """``expires``: ``X-Amz-Expires`` in seconds, 1..=604800 (SigV4's limits;
        ``ValueError`` otherwise); a verifier accepts at most its ``max_expires``."""

    @property
    def identity(self) -> str: ...
    @property
    def expires(self) -> int: ...
    def presign(
        self,
        host: str,
        path: str,
        params: Mapping[str, str] | Iterable[tuple[str, str]],
        *,
        scheme: str = "https",
        port: int | None = None,
        now: _Time | None = None,
    ) -> str:
        """Presigns ``GET scheme://host[:port]path?params``: strictly percent-encoded,
        sorted, ``X-Amz-Signature`` last."""

@final
class Approval:
    """The portal's decision, sent back to the controller as a signed URL."""

    def __new__(
        cls,
        token: str,
        wlan: str,
        username: str,
        *,
        dest: str | None = None,
        role: str | None = None,
        session_timeout: int | None = None,
    ) -> Self: ...
    @staticmethod
    def for_redirect(
        redirect: ControllerRedirect,
        username: str,
        *,
        role: str | None = None,
        session_timeout: int | None = None,
    ) -> Approval:
        """Token, WLAN and destination from the redirect."""

    @property
    def token(self) -> str: ...
    @property
    def wlan(self) -> str: ...
    @property
    def username(self) -> str: ...
    @property
    def dest(self) -> str | None: ...
    @property
    def role(self) -> str | None: ...
    @property
    def session_timeout(self) -> int | None:
        """Sent as ``opt27``."""

    def signed_url(
        self, hwc_ip: _Ip, hwc_port: int, signer: Signer, *, now: _Time | None = None
    ) -> str:
        """``http(s)://hwc_ip[:hwc_port]/ext_approval.php?...`` (http for port 80)."""

    def __eq__(self, other: object, /) -> bool: ...
