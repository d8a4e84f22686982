"""nacwire.pyrad live, on loopback: its client against FreeRADIUS 3.2 (PAP, CHAP,
accounting, Status-Server), and radclient against its server (auth, acct, CoA,
Disconnect)."""

from __future__ import annotations

import asyncio
import hashlib
import pathlib
import subprocess
import threading
from typing import Any

import pytest

from conftest import SECRET, free_udp_port, require
from nacwire.pyrad import client, dictionary, packet, server

TREE = pathlib.Path("/usr/share/freeradius/dictionary")


@pytest.fixture(scope="module")
def fr_dict() -> dictionary.Dictionary:
    if not TREE.exists():
        require("freeradius-dictionaries-in-/usr/share/freeradius")
    return dictionary.Dictionary(str(TREE))


def test_client_pap_chap_accounting_status_server(freeradius: Any, fr_dict: Any) -> None:
    c = client.Client(
        server="127.0.0.1",
        authport=freeradius.auth_port,
        acctport=freeradius.acct_port,
        secret=SECRET,
        dict=fr_dict,
        timeout=1,
    )

    req = c.CreateAuthPacket(code=packet.AccessRequest, User_Name="bob")
    req["User-Password"] = req.PwCrypt("hello")
    reply = c.SendPacket(req)
    assert reply.code == packet.AccessAccept
    assert reply["Reply-Message"] == ["Hello, bob"]
    assert reply["Session-Timeout"] == [3600]

    req = c.CreateAuthPacket(code=packet.AccessRequest, User_Name="bob")
    req["User-Password"] = req.PwCrypt("wrong")
    assert c.SendPacket(req).code == packet.AccessReject

    # CHAP (RFC 2865 5.3): id + MD5(id + password + challenge), the challenge being
    # the Request Authenticator.
    req = c.CreateAuthPacket(code=packet.AccessRequest, User_Name="bob")
    req.authenticator = req.CreateAuthenticator()
    chap_id = b"\x07"
    req["CHAP-Password"] = chap_id + hashlib.md5(chap_id + b"hello" + req.authenticator).digest()
    assert req.VerifyChapPasswd("hello")
    assert c.SendPacket(req).code == packet.AccessAccept

    status = c.CreateAuthPacket(code=packet.StatusServer, NAS_Identifier="nacwire-pyrad")
    assert c.SendPacket(status).code == packet.AccessAccept

    acct = c.CreateAcctPacket(User_Name="bob", NAS_IP_Address="127.0.0.1")
    acct["Acct-Status-Type"] = "Start"
    acct["Acct-Session-Id"] = "pyrad-0001"
    assert c.SendPacket(acct).code == packet.AccountingResponse


def test_client_enforce_ma_refuses_freeradius_unsigned_pap_reply(
    freeradius: Any, fr_dict: Any
) -> None:
    # FreeRADIUS 3.2.1 does not sign a plain PAP reply: with enforce_ma the client
    # ignores it (BlastRADIUS) and times out.
    c = client.Client(
        server="127.0.0.1",
        authport=freeradius.auth_port,
        secret=SECRET,
        dict=fr_dict,
        timeout=0.3,
        retries=1,
        enforce_ma=True,
    )
    req = c.CreateAuthPacket(code=packet.AccessRequest, User_Name="bob")
    req["User-Password"] = req.PwCrypt("hello")
    with pytest.raises(client.Timeout):
        c.SendPacket(req)


class LiveServer(server.Server):
    def HandleAuthPacket(self, pkt: Any) -> None:
        ok = pkt.PwDecrypt(pkt["User-Password"][0]) == "hello" if "User-Password" in pkt else False
        reply = self.CreateReplyPacket(pkt, Reply_Message="nacwire.pyrad says hi" if ok else "no")
        reply.code = packet.AccessAccept if ok else packet.AccessReject
        self.SendReplyPacket(pkt.fd, reply)

    def HandleAcctPacket(self, pkt: Any) -> None:
        self.SendReplyPacket(pkt.fd, self.CreateReplyPacket(pkt))

    def HandleCoaPacket(self, pkt: Any) -> None:
        self.SendReplyPacket(pkt.fd, self.CreateReplyPacket(pkt))

    def HandleDisconnectPacket(self, pkt: Any) -> None:
        self.SendReplyPacket(pkt.fd, self.CreateReplyPacket(pkt))


def test_radclient_against_nacwire_pyrad_server(fr_dict: Any) -> None:
    radclient = require("radclient")
    ports = {"auth": free_udp_port(), "acct": free_udp_port(), "coa": free_udp_port()}
    srv = LiveServer(
        addresses=["127.0.0.1"],
        authport=ports["auth"],
        acctport=ports["acct"],
        coaport=ports["coa"],
        coa_enabled=True,
        hosts={"127.0.0.1": server.RemoteHost("127.0.0.1", SECRET, "radclient")},
        dict=fr_dict,
    )
    threading.Thread(target=srv.Run, daemon=True).start()

    def run(kind: str, port_kind: str, attrs: str) -> str:
        out = subprocess.run(
            [
                radclient,
                "-x",
                "-r",
                "2",
                "-t",
                "2",
                f"127.0.0.1:{ports[port_kind]}",
                kind,
                "testing123",
            ],
            input=attrs,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        return out.stdout + out.stderr

    ok = run("auth", "auth", 'User-Name = "bob"\nUser-Password = "hello"\n')
    assert "Received Access-Accept" in ok and 'Reply-Message = "nacwire.pyrad says hi"' in ok, ok
    bad = run("auth", "auth", 'User-Name = "bob"\nUser-Password = "nope"\n')
    assert "Received Access-Reject" in bad, bad
    acct = run(
        "acct", "acct", 'User-Name = "bob"\nAcct-Status-Type = Start\nAcct-Session-Id = "x"\n'
    )
    assert "Received Accounting-Response" in acct, acct
    coa = run(
        "coa", "coa", 'User-Name = "bob"\nCisco-AVPair = "subscriber:command=reauthenticate"\n'
    )
    assert "Received CoA-ACK" in coa, coa
    disconnect = run("disconnect", "coa", 'User-Name = "bob"\n')
    assert "Received Disconnect-ACK" in disconnect, disconnect


def test_async_client_against_freeradius(freeradius: Any, fr_dict: Any) -> None:
    from nacwire.pyrad.client_async import ClientAsync

    async def main() -> list[int]:
        client = ClientAsync(
            server="127.0.0.1",
            auth_port=freeradius.auth_port,
            acct_port=freeradius.acct_port,
            secret=SECRET,
            dict=fr_dict,
            timeout=2,
        )
        await client.initialize_transports(
            enable_auth=True, enable_acct=True, local_addr="127.0.0.1"
        )
        try:
            codes = []
            for password in ("hello", "wrong"):
                req = client.CreateAuthPacket(User_Name="bob")
                req["User-Password"] = req.PwCrypt(password)
                codes.append((await client.SendPacket(req)).code)
            acct = client.CreateAcctPacket(User_Name="bob")
            acct["Acct-Status-Type"] = "Stop"
            acct["Acct-Session-Id"] = "pyrad-async-1"
            codes.append((await client.SendPacket(acct)).code)
            return codes
        finally:
            await client.deinitialize_transports()

    assert asyncio.run(main()) == [
        packet.AccessAccept,
        packet.AccessReject,
        packet.AccountingResponse,
    ]


def test_radclient_against_nacwire_pyrad_async_server(fr_dict: Any) -> None:
    from nacwire.pyrad.server_async import ServerAsync

    radclient = require("radclient")
    ports = {"auth": free_udp_port(), "acct": free_udp_port(), "coa": free_udp_port()}

    class Async(ServerAsync):
        def handle_auth_packet(self, protocol: Any, pkt: Any, addr: Any) -> None:
            ok = pkt.PwDecrypt(pkt["User-Password"][0]) == "hello"
            reply = self.CreateReplyPacket(pkt, Reply_Message="async")
            reply.code = packet.AccessAccept if ok else packet.AccessReject
            protocol.send_response(reply, addr)

        def handle_acct_packet(self, protocol: Any, pkt: Any, addr: Any) -> None:
            protocol.send_response(self.CreateReplyPacket(pkt), addr)

        def handle_coa_packet(self, protocol: Any, pkt: Any, addr: Any) -> None:
            protocol.send_response(self.CreateReplyPacket(pkt), addr)

        def handle_disconnect_packet(self, protocol: Any, pkt: Any, addr: Any) -> None:
            protocol.send_response(self.CreateReplyPacket(pkt), addr)

    async def main() -> list[str]:
        srv = Async(
            auth_port=ports["auth"],
            acct_port=ports["acct"],
            coa_port=ports["coa"],
            hosts={"127.0.0.1": server.RemoteHost("127.0.0.1", SECRET, "radclient")},
            dictionary=fr_dict,
        )
        await srv.initialize_transports(enable_auth=True, enable_acct=True, enable_coa=True)

        async def run(kind: str, port: str, attrs: str) -> str:
            proc = await asyncio.create_subprocess_exec(
                radclient,
                "-x",
                "-r",
                "2",
                "-t",
                "2",
                f"127.0.0.1:{ports[port]}",
                kind,
                "testing123",
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
            )
            out, _ = await proc.communicate(attrs.encode())
            return out.decode()

        try:
            return [
                await run("auth", "auth", 'User-Name = "bob"\nUser-Password = "hello"\n'),
                await run("auth", "auth", 'User-Name = "bob"\nUser-Password = "nope"\n'),
                await run("acct", "acct", 'User-Name = "bob"\nAcct-Status-Type = Start\n'),
                await run("coa", "coa", 'User-Name = "bob"\n'),
            ]
        finally:
            await srv.deinitialize_transports()

    ok, bad, acct, coa = asyncio.run(main())
    assert "Received Access-Accept" in ok and 'Reply-Message = "async"' in ok, ok
    assert "Received Access-Reject" in bad, bad
    assert "Received Accounting-Response" in acct, acct
    assert "Received CoA-ACK" in coa, coa
