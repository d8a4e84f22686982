"""nacwire: the wire formats of network access control, from Rust.

- :mod:`nacwire.radius`: RADIUS packets (decode, verify, build), FreeRADIUS
  dictionaries, the sans-I/O client exchange, and UDP clients (blocking and asyncio).
- :mod:`nacwire.ecp`: Extreme external captive portals: verify signed controller
  redirects into typed objects, sign approvals, rotate keys.
- :mod:`nacwire.radsec`: RADIUS over TLS (RadSec) and TCP, RADIUS/1.1: a client and
  a server with a Python handler.
- :mod:`nacwire.nac`: MAC addresses, sessions, CoA/Disconnect intents, vendor
  profiles, outcomes, the endpoint-change planner, ClearPass and cOS Core shapes.

Every exception the package raises derives from :class:`nacwire.Error`.
"""

from nacwire._native import (
    BuildError,
    DictionaryError,
    Error,
    ExchangeError,
    ModelError,
    PacketError,
    SignatureError,
    TransportError,
    VerifyError,
    __version__,
)

__all__ = [
    "BuildError",
    "DictionaryError",
    "Error",
    "ExchangeError",
    "ModelError",
    "PacketError",
    "SignatureError",
    "Timeout",
    "TransportError",
    "UnsignedReplyWarning",
    "VerifyError",
    "__version__",
    "ecp",
    "nac",
    "radius",
    "radsec",
]


class Timeout(Error, TimeoutError):
    """No verified reply arrived before the retransmission schedule gave up."""


class UnsignedReplyWarning(UserWarning):
    """An Access-* or Status-Server reply without Message-Authenticator was accepted.

    Only possible with ``require_message_authenticator="auto"`` or ``False``: such a
    reply is open to the BlastRADIUS forgery (CVE-2024-3596). Upgrade the server
    (FreeRADIUS 3.2.5+ signs every reply) and use the default, ``True``.
    """


from nacwire import ecp, nac, radius, radsec  # noqa: E402  (needs the names above)
