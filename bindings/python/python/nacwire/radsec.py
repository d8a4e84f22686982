"""RadSec: RADIUS over TLS (RFC 6614) and TCP (RFC 6613), with RADIUS/1.1 (RFC 9765).

A :class:`RadSecClient` keeps one connection open, pipelines requests over it and never
resends on an open connection; a :class:`RadSecServer` answers with a Python handler on
background threads. TLS is rustls (TLS 1.2 and 1.3); ALPN ``radius/1.1`` is offered by
default and used when the peer agrees (TLS 1.3, no MD5, no Message-Authenticator, hidden
attributes sent in clear inside TLS).

>>> from nacwire import radsec
>>> def handler(request, info):
...     ok = request.get("User-Password") == "hello"
...     return ("Access-Accept", {"Reply-Message": "hi"}) if ok else ("Access-Reject", None)
>>> server = radsec.RadSecServer(("127.0.0.1", 0), handler, transport="tcp",
...                              secrets={"127.0.0.1": b"s3cret"})
>>> client = radsec.RadSecClient(*server.address, transport="tcp", secret=b"s3cret")
>>> client.request("Access-Request", {"User-Name": "bob", "User-Password": "hello"}).code_name
'Access-Accept'
>>> client.close(); server.close()
"""

from __future__ import annotations

from nacwire._native import RadSecClient, RadSecServer

__all__ = ["RadSecClient", "RadSecServer"]
