"""The NAC model: MAC addresses, sessions, intents, vendor profiles and outcomes.

Everything runs in Rust (the ``nac-model`` crate); nothing here does I/O. Objects are
immutable and safe to share between threads. Malformed input raises
:class:`nacwire.ModelError` (with ``kind`` and structured fields).

JSON numbers (ClearPass and cOS Core shapes: ``from_json``, ``list_from_json``, the
keyword constructors, ``ClearPass`` filters): an integer outside -2**63..2**64-1 is
refused with ``ModelError`` (``kind="json"``, ``line``, ``column``) wherever it is.
The typed fields (``id``, ``role_id``, ``count``, ``session_timeout``,
``idle_timeout``) hold 32 or 64 bits, and the free-form ones (``attributes``,
``custom``, ``profile``, ``links``, ``device_insight_tags``, a session's other
fields) keep JSON numbers as 64-bit integers or floats: ``10**30`` would come back as
``1e+30``, another number. Send such a value as a string. Numbers written with a
fraction or an exponent are floats and stay floats.

>>> from nacwire import nac
>>> mac = nac.MacAddress("b0ee.7b97.7f33")
>>> mac.format("rfc3580"), str(mac)
('B0-EE-7B-97-7F-33', 'b0:ee:7b:97:7f:33')
>>> session = nac.Session(nas_ip="192.0.2.10", acct_session_id="0A1B2C3D-00000042",
...                       calling_station=mac)
>>> plan = nac.Profile.get("cisco-ios").plan(session, nac.Intent.reauthenticate("last"),
...                                            now=1_700_000_000)
>>> plan.code_name, plan.port
('CoA-Request', 1700)
>>> request = plan.packet(42, b"testing123")
>>> request["Calling-Station-Id"]
'B0-EE-7B-97-7F-33'
"""

from __future__ import annotations

from nacwire._native import (
    ActiveSession,
    AuthenticatedUser,
    ClearPass,
    CosCore,
    Device,
    Endpoint,
    EndpointState,
    ErrorCause,
    HttpRequest,
    Intent,
    MacAddress,
    Outcome,
    PacketPlan,
    PlannedIntent,
    Profile,
    Session,
    UserauthResponse,
    plan_endpoint_change,
    rfc5176_violations,
)

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
