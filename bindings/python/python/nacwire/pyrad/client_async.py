"""An asyncio RADIUS client, as ``pyrad.client_async``."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from typing import Any

from nacwire.pyrad._aio import LoopHolder, endpoint_options, is_open
from nacwire.pyrad.client import _EapMd5Identity, _EapMd5Response
from nacwire.pyrad.packet import AcctPacket, AuthPacket, CoAPacket, Packet


class DatagramProtocolClient(asyncio.Protocol):
    """One UDP transport to one server port, with its pending requests by identifier."""

    def __init__(
        self,
        server: str,
        port: int,
        logger: logging.Logger,
        client: Any,
        retries: int = 3,
        timeout: float = 30,
    ) -> None:
        self.transport: Any = None
        self.port = port
        self.server = server
        self.logger = logger
        self.retries = retries
        self.timeout = timeout
        self.client = client
        self.pending_requests: dict[int, dict[str, Any]] = {}
        self.packet_id = random.SystemRandom().randrange(0, 256)
        self.timeout_future: Any = None

    async def __timeout_handler__(self) -> None:
        while True:
            now = time.monotonic()
            wake = self.timeout
            done = []
            for ident, req in self.pending_requests.items():
                if req["future"].done():
                    done.append(ident)
                    continue
                waited = now - req["send_date"]
                if waited < self.timeout:
                    wake = min(wake, self.timeout - waited)
                elif req["retries"] == self.retries:
                    self.logger.debug(
                        "[%s:%d] For request %d execute all retries", self.server, self.port, ident
                    )
                    req["future"].set_exception(TimeoutError("Timeout on Reply"))
                    done.append(ident)
                else:
                    req["send_date"] = now
                    req["retries"] += 1
                    self.logger.debug(
                        "[%s:%d] For request %d execute retry %d",
                        self.server,
                        self.port,
                        ident,
                        req["retries"],
                    )
                    try:
                        self.transport.sendto(req["raw"])
                    except Exception as exc:
                        req["future"].set_exception(exc.with_traceback(None))
                        done.append(ident)
            for ident in done:
                self.pending_requests.pop(ident, None)
            await asyncio.sleep(wake)

    def send_packet(self, packet: Any, future: asyncio.Future[Any]) -> None:
        if packet.id in self.pending_requests:
            raise Exception(f"Packet with id {packet.id} already present")
        raw = packet.RequestPacket()
        now = time.monotonic()
        self.pending_requests[packet.id] = {
            "packet": packet,
            "raw": raw,
            "creation_date": now,
            "retries": 0,
            "future": future,
            "send_date": now,
        }
        ident = packet.id

        def forget(fut: Any) -> None:
            self.__forget_request__(ident, fut)

        future.add_done_callback(forget)
        self.transport.sendto(raw)

    def __forget_request__(self, ident: int, future: Any) -> None:
        req = self.pending_requests.get(ident)
        if req is not None and req["future"] is future:
            del self.pending_requests[ident]

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        name = transport.get_extra_info("socket").getsockname()
        self.logger.info(
            "[%s:%d] Transport created with binding in %s:%d",
            self.server,
            self.port,
            name[0],
            name[1],
        )
        self.timeout_future = self.client.loop.create_task(self.__timeout_handler__())

    def error_received(self, exc: Exception) -> None:
        self.logger.error("[%s:%d] Error received: %s", self.server, self.port, exc)

    def connection_lost(self, exc: Exception | None) -> None:
        if exc:
            self.logger.warning("[%s:%d] Connection lost: %s", self.server, self.port, str(exc))
        else:
            self.logger.info("[%s:%d] Transport closed", self.server, self.port)

    def datagram_received(self, data: bytes, addr: Any) -> None:
        try:
            reply = Packet(packet=data, dict=self.client.dict)
            req = self.pending_requests.get(reply.id) if reply.code else None
            if req is None:
                self.logger.warning(
                    "[%s:%d] Ignore invalid reply: %s", self.server, self.port, data
                )
                return
            request = req["packet"]
            if request.dict is not reply.dict:
                # decoded again with the request's dictionary (what pyrad's reads give)
                reply = Packet(packet=data, dict=request.dict)
            reply.secret = request.secret
            reply.request_authenticator = request.authenticator
            if request.VerifyReply(reply, data, enforce_ma=self.client.enforce_ma):
                del self.pending_requests[reply.id]
                if not req["future"].done():
                    req["future"].set_result(reply)
            else:
                self.logger.warning(
                    "[%s:%d] Ignore invalid reply for id %d: %s",
                    self.server,
                    self.port,
                    reply.id,
                    data,
                )
        except Exception as exc:
            self.logger.error("[%s:%d] Error on decode packet: %s", self.server, self.port, exc)

    async def close_transport(self) -> None:
        for req in list(self.pending_requests.values()):
            if not req["future"].done():
                req["future"].set_exception(ConnectionAbortedError("Transport closed"))
        self.pending_requests.clear()
        if self.transport:
            self.logger.debug("[%s:%d] Closing transport...", self.server, self.port)
            self.transport.close()
            self.transport = None
        if self.timeout_future:
            self.timeout_future.cancel()
            await asyncio.wait([self.timeout_future])
            self.timeout_future = None

    def create_id(self) -> int:
        for _ in range(256):
            self.packet_id = (self.packet_id + 1) % 256
            if self.packet_id not in self.pending_requests:
                return self.packet_id
        raise Exception("No free packet id, 256 requests are pending")

    def __str__(self) -> str:
        return f"DatagramProtocolClient(server={self.server}, port={self.port})"

    def __call__(self) -> DatagramProtocolClient:
        return self


class ClientAsync(LoopHolder):
    """An asyncio client: ``await initialize_transports(...)``, then ``await SendPacket(pkt)``."""

    def __init__(
        self,
        server: str,
        auth_port: int = 1812,
        acct_port: int = 1813,
        coa_port: int = 3799,
        secret: bytes = b"",
        dict: Any = None,
        loop: Any = None,
        retries: int = 3,
        timeout: float = 30,
        logger_name: str = "pyrad",
        enforce_ma: bool = False,
    ) -> None:
        self.loop = loop
        self.logger = logging.getLogger(logger_name)
        self.server = server
        self.secret = secret
        self.retries = retries
        self.timeout = timeout
        self.dict = dict
        self.auth_port = auth_port
        self.protocol_auth: Any = None
        self.acct_port = acct_port
        self.protocol_acct: Any = None
        self.protocol_coa: Any = None
        self.coa_port = coa_port
        self.enforce_ma = enforce_ma

    async def initialize_transports(
        self,
        enable_acct: bool = False,
        enable_auth: bool = False,
        enable_coa: bool = False,
        local_addr: str | None = None,
        local_auth_port: int | None = None,
        local_acct_port: int | None = None,
        local_coa_port: int | None = None,
    ) -> None:
        if not (enable_acct or enable_auth or enable_coa):
            raise Exception("No transports selected")
        pending = []
        for enabled, attr, port, local_port in (
            (enable_acct, "protocol_acct", self.acct_port, local_acct_port),
            (enable_auth, "protocol_auth", self.auth_port, local_auth_port),
            (enable_coa, "protocol_coa", self.coa_port, local_coa_port),
        ):
            if not enabled or getattr(self, attr):
                continue
            protocol = DatagramProtocolClient(
                self.server, port, self.logger, self, retries=self.retries, timeout=self.timeout
            )
            setattr(self, attr, protocol)
            local = (local_addr, local_port or 0) if local_addr else None
            pending.append(
                (
                    attr,
                    protocol,
                    self.loop.create_datagram_endpoint(
                        protocol,
                        remote_addr=(self.server, port),
                        local_addr=local,
                        **endpoint_options(),
                    ),
                )
            )
        try:
            results = await asyncio.gather(*(c for _, _, c in pending), return_exceptions=True)
        finally:
            # A transport that failed to open is forgotten (and its timer stopped).
            for attr, protocol, _ in pending:
                if is_open(protocol) or getattr(self, attr) is not protocol:
                    continue
                setattr(self, attr, None)
                if protocol.timeout_future:
                    protocol.timeout_future.cancel()
                    protocol.timeout_future = None
        for result in results:
            if isinstance(result, BaseException):
                raise result

    async def deinitialize_transports(
        self, deinit_coa: bool = True, deinit_auth: bool = True, deinit_acct: bool = True
    ) -> None:
        for flag, attr in (
            (deinit_coa, "protocol_coa"),
            (deinit_auth, "protocol_auth"),
            (deinit_acct, "protocol_acct"),
        ):
            protocol = getattr(self, attr)
            if protocol and flag:
                await protocol.close_transport()
                setattr(self, attr, None)

    def CreateAuthPacket(self, **args: Any) -> AuthPacket:
        if not self.protocol_auth:
            raise Exception("Transport not initialized")
        if "packet" not in args:
            args.setdefault("message_authenticator", True)
        return AuthPacket(
            dict=self.dict, id=self.protocol_auth.create_id(), secret=self.secret, **args
        )

    def CreateAcctPacket(self, **args: Any) -> AcctPacket:
        if not self.protocol_acct:
            raise Exception("Transport not initialized")
        return AcctPacket(
            id=self.protocol_acct.create_id(), dict=self.dict, secret=self.secret, **args
        )

    def CreateCoAPacket(self, **args: Any) -> CoAPacket:
        if not self.protocol_coa:
            raise Exception("Transport not initialized")
        return CoAPacket(
            id=self.protocol_coa.create_id(), dict=self.dict, secret=self.secret, **args
        )

    def CreatePacket(self, id: int | None, **args: Any) -> Packet:
        if id is None:
            raise Exception("Missing mandatory packet id")
        return Packet(id=id, dict=self.dict, secret=self.secret, **args)

    def SendPacket(self, pkt: Any) -> Any:
        """A future resolving to the verified reply (TimeoutError after the retries)."""
        if isinstance(pkt, AuthPacket) and pkt.auth_type == "eap-md5":
            return self._SendEapMd5Packet(pkt)
        for kind, attr in (
            (AuthPacket, "protocol_auth"),
            (AcctPacket, "protocol_acct"),
            (CoAPacket, "protocol_coa"),
        ):
            if isinstance(pkt, kind):
                protocol = getattr(self, attr)
                if not protocol:
                    raise Exception("Transport not initialized")
                future: asyncio.Future[Any] = asyncio.Future(loop=self.loop)
                protocol.send_packet(pkt, future)
                return future
        raise Exception("Unsupported packet")

    def _SendEapMd5Packet(self, pkt: Any) -> Any:
        if not self.protocol_auth:
            raise Exception("Transport not initialized")
        password, saved = _EapMd5Identity(pkt)
        try:
            first: asyncio.Future[Any] = asyncio.Future(loop=self.loop)
            self.protocol_auth.send_packet(pkt, first)
        except BaseException:
            pkt[2] = saved
            raise
        task = self.loop.create_task(self._AnswerEapMd5Challenge(pkt, first, password))

        def restore(_task: Any) -> None:
            if not first.done():
                first.cancel()
            pkt[2] = saved

        task.add_done_callback(restore)
        return task

    async def _AnswerEapMd5Challenge(self, pkt: Any, first: Any, password: bytes) -> Any:
        reply = await first
        if not _EapMd5Response(pkt, reply, password):
            return reply
        pkt.id = self.protocol_auth.create_id()
        answer: asyncio.Future[Any] = asyncio.Future(loop=self.loop)
        self.protocol_auth.send_packet(pkt, answer)
        return await answer
