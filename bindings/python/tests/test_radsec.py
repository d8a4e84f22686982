"""nacwire.radsec on loopback: TLS (RADIUS/1.0 and 1.1 by ALPN), TCP, client
certificates, a wrong CA, a handler that raises. Certificates are made at test time
with the openssl command (never committed)."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import threading
from typing import Any

import pytest

import nacwire
from conftest import require
from nacwire import radius, radsec


def _openssl(*args: str, cwd: pathlib.Path) -> None:
    subprocess.run([require("openssl"), *args], cwd=cwd, check=True, capture_output=True, text=True)


def _make_ca(d: pathlib.Path, name: str) -> None:
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        f"{name}.key",
        "-out",
        f"{name}.pem",
        "-days",
        "2",
        "-subj",
        f"/CN={name}",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=keyCertSign",
        cwd=d,
    )


def _make_leaf(d: pathlib.Path, ca: str, name: str, san: str, usage: str) -> None:
    _openssl(
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        f"{name}.key",
        "-out",
        f"{name}.csr",
        "-subj",
        f"/CN={name}",
        cwd=d,
    )
    (d / f"{name}.ext").write_text(
        f"subjectAltName={san}\nextendedKeyUsage={usage}\nbasicConstraints=CA:FALSE\n"
    )
    _openssl(
        "x509",
        "-req",
        "-in",
        f"{name}.csr",
        "-CA",
        f"{ca}.pem",
        "-CAkey",
        f"{ca}.key",
        "-CAcreateserial",
        "-out",
        f"{name}.pem",
        "-days",
        "2",
        "-extfile",
        f"{name}.ext",
        cwd=d,
    )


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    d = tmp_path_factory.mktemp("pki")
    _make_ca(d, "ca")
    _make_ca(d, "other-ca")
    _make_leaf(d, "ca", "server", "IP:127.0.0.1,DNS:localhost", "serverAuth")
    _make_leaf(d, "ca", "client", "DNS:nas.example", "clientAuth")
    _make_leaf(d, "other-ca", "stranger", "DNS:stranger.example", "clientAuth")
    return d


class Recorder:
    """A handler: Accept for bob/hello (PAP), Reject otherwise; Accounting-Response."""

    def __init__(self) -> None:
        self.seen: list[tuple[radius.Packet, dict[str, Any]]] = []
        self.lock = threading.Lock()

    def __call__(self, request: radius.Packet, info: dict[str, Any]) -> Any:
        with self.lock:
            self.seen.append((request, info))
        if request.code == radius.Code.ACCOUNTING_REQUEST:
            return ("Accounting-Response", None)
        if request.code == radius.Code.STATUS_SERVER:
            return "Access-Accept"
        if request.get("User-Password") == "hello":
            return ("Access-Accept", {"Reply-Message": f"hello {request['User-Name']}"})
        return ("Access-Reject", [("Reply-Message", "no")])


def _server(pki: pathlib.Path, handler: Any, **kw: Any) -> radsec.RadSecServer:
    return radsec.RadSecServer(
        ("127.0.0.1", 0),
        handler,
        cert=pki / "server.pem",
        key=pki / "server.key",
        ca=pki / "ca.pem",
        **kw,
    )


def _client(pki: pathlib.Path, server: radsec.RadSecServer, **kw: Any) -> radsec.RadSecClient:
    host, port = server.address
    kw.setdefault("timeout", 2.0)
    return radsec.RadSecClient(
        host,
        port,
        ca=pki / "ca.pem",
        cert=pki / "client.pem",
        key=pki / "client.key",
        **kw,
    )


def test_tls_radius_1_1_by_alpn(pki: pathlib.Path) -> None:
    handler = Recorder()
    with _server(pki, handler) as server, _client(pki, server) as client:
        accept = client.request("Access-Request", {"User-Name": "bob", "User-Password": "hello"})
        assert client.version == "1.1"
        assert accept.code_name == "Access-Accept"
        assert accept["Reply-Message"] == "hello bob"
        # RFC 9765: Identifier 0, no Message-Authenticator, no MD5 obfuscation
        assert accept.identifier == 0 and "Message-Authenticator" not in accept
        reject = client.request("Access-Request", {"User-Name": "bob", "User-Password": "nope"})
        assert reject.code_name == "Access-Reject"
        acct = client.request(
            "Accounting-Request", {"User-Name": "bob", "Acct-Status-Type": "Start"}
        )
        assert acct.code_name == "Accounting-Response"
    request, info = handler.seen[0]
    assert info["version"] == "1.1" and info["transport"] == "tls"
    assert info["peer"][0] == "127.0.0.1"
    # the password travelled in clear inside TLS (no shared secret in RADIUS/1.1)
    assert request["User-Password"] == "hello"


def test_tls_radius_1_0_hides_the_password_with_the_radsec_secret(pki: pathlib.Path) -> None:
    handler = Recorder()
    with _server(pki, handler, alpn="off") as server, _client(pki, server, alpn="off") as client:
        accept = client.request("Access-Request", {"User-Name": "bob", "User-Password": "hello"})
        assert client.version == "1.0"
        assert accept.code_name == "Access-Accept"
        assert "Message-Authenticator" in accept
        assert client.request("Status-Server", {"NAS-Identifier": "x"}).code_name == "Access-Accept"
    request = handler.seen[0][0]
    raw = dict(radius.Packet.decode(request.raw).items())
    assert raw["User-Password"] != "hello"  # hidden on the wire with "radsec"
    assert request["User-Password"] == "hello"  # revealed by the server


def test_forbid_speaks_radius_1_0_by_alpn_and_refuses_a_1_1_only_peer(pki: pathlib.Path) -> None:
    # RFC 9765 "1.0": ALPN radius/1.0 only. A default client ("allow") falls back to 1.0.
    with _server(pki, Recorder(), alpn="forbid") as server:
        with _client(pki, server) as client:
            reply = client.request("Access-Request", {"User-Name": "bob", "User-Password": "hello"})
            assert reply.code_name == "Access-Accept"
            assert client.version == "1.0"
        # a client that requires 1.1 gets the no_application_protocol alert
        with _client(pki, server, alpn="require", timeout=1.0) as client:
            with pytest.raises(nacwire.TransportError):
                client.request("Access-Request", {"User-Name": "bob"})
    with pytest.raises(ValueError, match="forbid"):
        radsec.RadSecClient("127.0.0.1", 2083, ca=pki / "ca.pem", alpn="1.0")


def test_tcp_with_a_shared_secret(pki: pathlib.Path) -> None:
    handler = Recorder()
    with radsec.RadSecServer(
        ("127.0.0.1", 0), handler, transport="tcp", secrets={"127.0.0.1": b"s3cret"}
    ) as server:
        host, port = server.address
        with radsec.RadSecClient(host, port, transport="tcp", secret=b"s3cret", timeout=2.0) as c:
            reply = c.request("Access-Request", {"User-Name": "bob", "User-Password": "hello"})
            assert reply.code_name == "Access-Accept"
            assert c.version == "1.0"
        # a client with the wrong secret: its request fails verification and is dropped
        with radsec.RadSecClient(host, port, transport="tcp", secret=b"wrong", timeout=1.0) as c:
            with pytest.raises((nacwire.Timeout, nacwire.TransportError)):
                c.request("Accounting-Request", {"User-Name": "bob", "Acct-Status-Type": "Start"})


def test_wrong_ca_and_foreign_client_certificate_are_refused(pki: pathlib.Path) -> None:
    with _server(pki, Recorder()) as server:
        host, port = server.address
        wrong_ca = radsec.RadSecClient(
            host,
            port,
            ca=pki / "other-ca.pem",
            cert=pki / "client.pem",
            key=pki / "client.key",
            timeout=1.0,
        )
        with pytest.raises(nacwire.TransportError):
            wrong_ca.request("Access-Request", {"User-Name": "bob"})
        stranger = radsec.RadSecClient(
            host,
            port,
            ca=pki / "ca.pem",
            cert=pki / "stranger.pem",
            key=pki / "stranger.key",
            timeout=1.0,
        )
        with pytest.raises((nacwire.TransportError, nacwire.Timeout)):
            stranger.request("Access-Request", {"User-Name": "bob"})


def test_a_handler_that_raises_sends_no_reply(
    pki: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(request: radius.Packet, info: dict[str, Any]) -> Any:
        raise RuntimeError("handler bug")

    reported: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: reported.append(u.exc_value))
    with _server(pki, broken) as server, _client(pki, server, timeout=0.5) as client:
        with pytest.raises(nacwire.Timeout):
            client.request("Access-Request", {"User-Name": "bob", "User-Password": "x"})
    assert len(reported) == 1 and isinstance(reported[0], RuntimeError)


def test_bad_arguments_are_typed_errors(pki: pathlib.Path) -> None:
    with pytest.raises(ValueError, match="ca="):
        radsec.RadSecClient("127.0.0.1", 2083)
    with pytest.raises(ValueError, match="secret"):
        radsec.RadSecClient("127.0.0.1", 2083, transport="tcp")
    with pytest.raises(ValueError):
        radsec.RadSecClient("127.0.0.1", 2083, transport="udp")
    with pytest.raises(nacwire.TransportError, match="certificates"):
        radsec.RadSecClient("127.0.0.1", 2083, ca=pki / "missing.pem")
    with pytest.raises(ValueError, match="cert= and key="):
        radsec.RadSecServer(("127.0.0.1", 0), Recorder())


def test_module_doctests() -> None:
    import doctest

    for module in (radsec, radius):
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, module
