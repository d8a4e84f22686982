"""Extreme external captive portals (ECP): signed redirects, typed.

The controller redirects a guest to the portal with a query signed like an AWS SigV4
presigned URL (region ``world``, service ``ecp``); the portal verifies it against the
shared secret of the controller's identity, reads the typed parameters, and answers
with a signed ``/ext_approval.php`` URL. Everything runs in Rust (the ``ecp-sigv4``
crate); nothing here does I/O. Objects are immutable and safe to share between
threads; a :class:`Keyring` is replaced as a whole while verifiers use it. Malformed,
forged, stale or unsigned input raises :class:`nacwire.SignatureError` (``kind`` and
structured fields); secrets never appear in a ``repr``.

>>> from nacwire import ecp
>>> controller = ecp.Signer("BigAuthInc", b"s3cret", expires=20)
>>> url = controller.presign("portal.example", "/login",
...     [("token", "T7vb1LdUZmsuY0q9V60Iww!!"), ("wlan", "1"), ("dest", "http://example.com/"),
...      ("hwc_ip", "10.10.21.6"), ("mac", "b0:ee:7b:97:7f:33"), ("vlan", "0")],
...     now=1_764_000_000)
>>> verifier = ecp.Verifier(ecp.Keyring({"BigAuthInc": b"s3cret"}))
>>> redirect = verifier.verify(url, now=1_764_000_002)
>>> redirect.token, redirect.controller(), str(redirect.mac), redirect.vlan
('T7vb1LdUZmsuY0q9V60Iww!!', ('10.10.21.6', 443), 'b0:ee:7b:97:7f:33', None)
>>> approval = ecp.Approval.for_redirect(redirect, "guest-42", session_timeout=3600)
>>> back = approval.signed_url(*redirect.controller(), controller, now=1_764_000_030)
>>> back.startswith("https://10.10.21.6/ext_approval.php?X-Amz-Algorithm=AWS4-HMAC-SHA256&")
True
"""

from __future__ import annotations

from nacwire._native import (
    Approval,
    ControllerRedirect,
    Keyring,
    SignatureError,
    SignatureInfo,
    Signer,
    Verifier,
    parse_amz_date,
    parse_unsigned,
)

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
