"""Live interop on loopback: nacwire's Python clients against FreeRADIUS 3.2, and
radclient against an asyncio CoA responder written with nacwire."""

from __future__ import annotations

import asyncio
import subprocess
import warnings

import pytest

import nacwire
from conftest import SECRET, free_udp_port, require
from nacwire import radius


def test_blocking_client_pap_chap_accounting_status(freeradius) -> None:  # type: ignore[no-untyped-def]
    # FreeRADIUS 3.2.1 signs no plain PAP reply: accepting one takes "auto" (or False),
    # and the client says so with UnsignedReplyWarning.
    with radius.UdpClient(
        "127.0.0.1",
        freeradius.auth_port,
        SECRET,
        timeout=0.5,
        retries=3,
        require_message_authenticator="auto",
    ) as client:
        with pytest.warns(nacwire.UnsignedReplyWarning):
            accept = client.request(
                "Access-Request", {"User-Name": "bob", "User-Password": "hello"}
            )
        assert accept.code_name == "Access-Accept"
        assert accept["Reply-Message"] == "Hello, bob"
        assert accept["Session-Timeout"] == 3600

        with pytest.warns(nacwire.UnsignedReplyWarning):
            reject = client.request(
                "Access-Request", {"User-Name": "bob", "User-Password": "wrong"}
            )
        assert reject.code == radius.Code.ACCESS_REJECT

        with pytest.warns(nacwire.UnsignedReplyWarning):
            chap = client.request("Access-Request", {"User-Name": "bob", "CHAP-Password": "hello"})
        assert chap.code_name == "Access-Accept"

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", nacwire.UnsignedReplyWarning)
            status = client.request("Status-Server", {"NAS-Identifier": "nacwire-test"})
        assert status.code == radius.Code.ACCESS_ACCEPT

    with radius.UdpClient("127.0.0.1", freeradius.acct_port, SECRET, timeout=0.5) as acct:
        response = acct.request(
            "Accounting-Request",
            {
                "User-Name": "bob",
                "Acct-Status-Type": "Start",
                "Acct-Session-Id": "py-0001",
                "NAS-IP-Address": "127.0.0.1",
            },
        )
        assert response.code_name == "Accounting-Response"


def test_blocking_client_rejects_an_unsigned_reply_by_default(freeradius) -> None:  # type: ignore[no-untyped-def]
    with (
        radius.UdpClient(
            "127.0.0.1", freeradius.auth_port, SECRET, timeout=0.2, retries=1
        ) as client,
        pytest.raises(nacwire.VerifyError, match="Message-Authenticator"),
    ):
        client.request("Access-Request", {"User-Name": "bob", "User-Password": "hello"})


def test_wrong_secret_times_out_with_the_verification_error(freeradius) -> None:  # type: ignore[no-untyped-def]
    with (
        radius.UdpClient(
            "127.0.0.1", freeradius.acct_port, b"not-the-secret", timeout=0.2, retries=1
        ) as client,
        pytest.raises(nacwire.Timeout),
    ):
        # radiusd drops requests whose authenticator does not verify: nothing comes back
        client.request("Accounting-Request", {"User-Name": "bob", "Acct-Status-Type": "Start"})


def test_asyncio_client_many_requests_in_flight(freeradius) -> None:  # type: ignore[no-untyped-def]
    async def main() -> list[radius.Packet]:
        client = await radius.AsyncClient.connect(
            "127.0.0.1",
            freeradius.auth_port,
            SECRET,
            timeout=0.5,
            require_message_authenticator="auto",
        )
        async with client:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", nacwire.UnsignedReplyWarning)
                requests = [
                    client.request(
                        "Access-Request",
                        {"User-Name": "bob", "User-Password": "hello" if i % 2 else "nope"},
                    )
                    for i in range(40)
                ]
                return await asyncio.gather(*requests)

    replies = asyncio.run(main())
    codes = [r.code_name for r in replies]
    assert codes == ["Access-Reject" if i % 2 == 0 else "Access-Accept" for i in range(40)]

    async def acct() -> radius.Packet:
        client = await radius.AsyncClient.connect(
            "127.0.0.1", freeradius.acct_port, SECRET, timeout=0.5
        )
        async with client:
            return await client.request(
                "Accounting-Request",
                {"User-Name": "bob", "Acct-Status-Type": "Stop", "Acct-Session-Id": "py-2"},
            )

    assert asyncio.run(acct()).code_name == "Accounting-Response"


class CoaResponder(asyncio.DatagramProtocol):
    """A CoA/Disconnect responder in a few lines of nacwire: ACK unless the request
    names an unknown session (NAK with Error-Cause 503)."""

    def __init__(self) -> None:
        self.transport: asyncio.DatagramTransport | None = None
        self.cache = radius.DuplicateCache(lifetime=10.0)
        self.seen: list[radius.Packet] = []

    def connection_made(self, transport) -> None:  # type: ignore[no-untyped-def]
        self.transport = transport

    def datagram_received(self, data: bytes, addr) -> None:  # type: ignore[no-untyped-def]
        try:
            request = radius.Packet.decode(data, secret=SECRET)
            request.verify_request(SECRET)
        except nacwire.Error:
            return  # silently discarded (RFC 5176 3.3)
        source = (addr[0], addr[1])
        cached = self.cache.check(source, request)
        if cached is True:
            return
        if isinstance(cached, bytes):
            assert self.transport is not None
            self.transport.sendto(cached, addr)
            return
        self.seen.append(request)
        ack, nak = {
            radius.Code.COA_REQUEST: ("CoA-ACK", "CoA-NAK"),
            radius.Code.DISCONNECT_REQUEST: ("Disconnect-ACK", "Disconnect-NAK"),
        }.get(request.code, (None, None))
        if ack is None:
            return
        if request.get("Acct-Session-Id") == "unknown-session":
            answer = radius.reply(
                request, nak, SECRET, {"Error-Cause": "Session-Context-Not-Found"}
            )
        else:
            answer = radius.reply(request, ack, SECRET)
        self.cache.store_reply(source, request, bytes(answer))
        assert self.transport is not None
        self.transport.sendto(bytes(answer), addr)


def test_radclient_against_an_asyncio_coa_responder() -> None:
    radclient = require("radclient")
    port = free_udp_port()

    async def main() -> tuple[list[subprocess.CompletedProcess[str]], CoaResponder]:
        loop = asyncio.get_running_loop()
        transport, responder = await loop.create_datagram_endpoint(
            CoaResponder, local_addr=("127.0.0.1", port)
        )

        async def run(
            kind: str, attrs: str, secret: str = "testing123"
        ) -> subprocess.CompletedProcess[str]:
            proc = await asyncio.create_subprocess_exec(
                radclient,
                "-x",
                "-r",
                "1",
                "-t",
                "1",
                f"127.0.0.1:{port}",
                kind,
                secret,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
            )
            out, _ = await proc.communicate(attrs.encode())
            return subprocess.CompletedProcess([kind], proc.returncode or 0, out.decode(), "")

        try:
            results = [
                await run(
                    "coa",
                    'User-Name = "bob"\nAcct-Session-Id = "s-1"\n'
                    'Cisco-AVPair = "subscriber:command=reauthenticate"\n',
                ),
                await run("disconnect", 'User-Name = "bob"\nAcct-Session-Id = "s-1"\n'),
                await run("coa", 'User-Name = "bob"\nAcct-Session-Id = "unknown-session"\n'),
                await run("disconnect", 'User-Name = "bob"\n', secret="wrong-secret"),
            ]
        finally:
            transport.close()
        return results, responder  # type: ignore[return-value]

    (coa, disconnect, nak, wrong), responder = asyncio.run(main())
    assert coa.returncode == 0 and "Received CoA-ACK" in coa.stdout, coa.stdout
    assert disconnect.returncode == 0 and "Received Disconnect-ACK" in disconnect.stdout
    assert (
        "Received CoA-NAK" in nak.stdout and "Error-Cause = Session-Context-Not-Found" in nak.stdout
    )
    assert wrong.returncode != 0 and "Received" not in wrong.stdout
    assert [p.code_name for p in responder.seen] == [
        "CoA-Request",
        "Disconnect-Request",
        "CoA-Request",
    ]
    assert responder.seen[0]["Cisco-AVPair"] == "subscriber:command=reauthenticate"
