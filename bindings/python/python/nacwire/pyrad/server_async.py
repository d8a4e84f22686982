"""An asyncio RADIUS server, as ``pyrad.server_async``."""

from __future__ import annotations

import asyncio
import logging
import time
from abc import ABCMeta, abstractmethod
from enum import Enum
from typing import Any

from nacwire.pyrad._aio import LoopHolder, endpoint_options, is_open
from nacwire.pyrad.packet import (
    AccessAccept,
    AccessReject,
    AccessRequest,
    AccountingRequest,
    AccountingResponse,
    AcctPacket,
    AuthPacket,
    CoAACK,
    CoANAK,
    CoAPacket,
    CoARequest,
    DisconnectACK,
    DisconnectNAK,
    DisconnectRequest,
    Packet,
    PacketError,
)
from nacwire.pyrad.server import CheckMessageAuthenticator, ServerPacketError, _LookupHost

_REPLIES = (
    AccountingResponse,
    AccessAccept,
    AccessReject,
    CoANAK,
    CoAACK,
    DisconnectNAK,
    DisconnectACK,
)


class ServerType(Enum):
    Auth = "Authentication"
    Acct = "Accounting"
    Coa = "Coa"


class DatagramProtocolServer(asyncio.Protocol):
    """One listening UDP port: decodes, checks and hands each request to the server."""

    def __init__(
        self,
        ip: str,
        port: int,
        logger: logging.Logger,
        server: Any,
        server_type: ServerType,
        hosts: dict[Any, Any],
        request_callback: Any,
    ) -> None:
        self.transport: Any = None
        self.ip = ip
        self.port = port
        self.logger = logger
        self.server = server
        self.hosts = hosts
        self.server_type = server_type
        self.request_callback = request_callback

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        self.logger.info("[%s:%d] Transport created", self.ip, self.port)

    def connection_lost(self, exc: Exception | None) -> None:
        if exc:
            self.logger.warning("[%s:%d] Connection lost: %s", self.ip, self.port, str(exc))
        else:
            self.logger.info("[%s:%d] Transport closed", self.ip, self.port)

    def send_response(self, reply: Any, addr: Any) -> None:
        """Send a reply (built with ``CreateReplyPacket``) to addr."""
        self.transport.sendto(reply.ReplyPacket(), addr)

    def _request(self, data: bytes, code: int, secret: bytes) -> Any:
        d = self.server.dict
        if self.server_type == ServerType.Auth:
            if code != AccessRequest:
                raise ServerPacketError("Received non-auth packet on auth port")
            req: Any = AuthPacket(secret=secret, dict=d, packet=data)
            CheckMessageAuthenticator(req, self.server.enforce_ma)
        elif self.server_type == ServerType.Coa:
            if code not in (DisconnectRequest, CoARequest):
                raise ServerPacketError("Received non-coa packet on coa port")
            req = CoAPacket(secret=secret, dict=d, packet=data)
            if self.server.enable_pkt_verify and not req.VerifyCoARequest():
                raise PacketError("Packet verification failed")
        else:
            if code != AccountingRequest:
                raise ServerPacketError("Received non-acct packet on acct port")
            req = AcctPacket(secret=secret, dict=d, packet=data)
            if self.server.enable_pkt_verify and not req.VerifyAcctRequest():
                raise PacketError("Packet verification failed")
        return req

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.logger.debug("[%s:%d] Received %d bytes from %s", self.ip, self.port, len(data), addr)
        remote = _LookupHost(self.hosts, addr[0])
        if remote is None:
            remote = self.hosts.get("0.0.0.0")
        if remote is None:
            self.logger.warning(
                "[%s:%d] Drop packet from unknown source %s", self.ip, self.port, addr
            )
            return
        # pyrad's two DEBUG records (the packet in hex, the time taken), only computed
        # when DEBUG is on
        debug = self.logger.isEnabledFor(logging.DEBUG)
        if debug:
            received = time.monotonic()
            self.logger.debug(
                "[%s:%d] Received from %s packet: %s", self.ip, self.port, addr, data.hex()
            )
        try:
            first = Packet(packet=data, dict=self.server.dict)
        except Exception as exc:
            self.logger.error("[%s:%d] Error on decode packet: %s", self.ip, self.port, exc)
            return
        try:
            if first.code in _REPLIES:
                raise ServerPacketError(f"Invalid response packet {first.code}")
            self.request_callback(self, self._request(data, first.code, remote.secret), addr)
        except Exception as exc:
            if self.server.debug:
                self.logger.exception("[%s:%d] Error for packet from %s", self.ip, self.port, addr)
            else:
                self.logger.error(
                    "[%s:%d] Error for packet from %s: %s", self.ip, self.port, addr, exc
                )
        if debug:
            self.logger.debug(
                "[%s:%d] Request from %s processed in %d ms",
                self.ip,
                self.port,
                addr,
                (time.monotonic() - received) * 1000,
            )

    def error_received(self, exc: Exception) -> None:
        self.logger.error("[%s:%d] Error received: %s", self.ip, self.port, exc)

    async def close_transport(self) -> None:
        if self.transport:
            self.logger.debug("[%s:%d] Close transport...", self.ip, self.port)
            self.transport.close()
            self.transport = None

    def __str__(self) -> str:
        return f"DatagramProtocolServer(ip={self.ip}, port={self.port})"

    def __call__(self) -> DatagramProtocolServer:
        return self


class ServerAsync(LoopHolder, metaclass=ABCMeta):
    """Subclass and implement the four ``handle_*_packet(protocol, pkt, addr)`` methods
    (plain functions); reply with ``protocol.send_response(self.CreateReplyPacket(pkt), addr)``."""

    def __init__(
        self,
        auth_port: int = 1812,
        acct_port: int = 1813,
        coa_port: int = 3799,
        hosts: dict[Any, Any] | None = None,
        dictionary: Any = None,
        loop: Any = None,
        logger_name: str = "pyrad",
        enable_pkt_verify: bool = True,
        debug: bool = False,
        enforce_ma: bool = False,
    ) -> None:
        self.loop = loop
        self.logger = logging.getLogger(logger_name)
        self.hosts = {} if hosts is None else hosts
        self.auth_port = auth_port
        self.auth_protocols: list[DatagramProtocolServer] = []
        self.acct_port = acct_port
        self.acct_protocols: list[DatagramProtocolServer] = []
        self.coa_port = coa_port
        self.coa_protocols: list[DatagramProtocolServer] = []
        self.dict = dictionary
        self.enable_pkt_verify = enable_pkt_verify
        self.debug = debug
        self.enforce_ma = enforce_ma

    def __request_handler__(self, protocol: Any, req: Any, addr: Any) -> None:
        try:
            kind = protocol.server_type
            if kind == ServerType.Acct:
                self.handle_acct_packet(protocol, req, addr)
            elif kind == ServerType.Auth:
                self.handle_auth_packet(protocol, req, addr)
            elif kind == ServerType.Coa and req.code == CoARequest:
                self.handle_coa_packet(protocol, req, addr)
            elif kind == ServerType.Coa and req.code == DisconnectRequest:
                self.handle_disconnect_packet(protocol, req, addr)
            else:
                self.logger.error("[%s:%s] Unexpected request found", protocol.ip, protocol.port)
        except Exception as exc:
            if self.debug:
                self.logger.exception("[%s:%s] Unexpected error", protocol.ip, protocol.port)
            else:
                self.logger.error("[%s:%s] Unexpected error: %s", protocol.ip, protocol.port, exc)

    def __is_present_proto__(self, ip: str, port: int) -> bool:
        for p, protocols in (
            (self.auth_port, self.auth_protocols),
            (self.acct_port, self.acct_protocols),
            (self.coa_port, self.coa_protocols),
        ):
            if port == p:
                return any(proto.ip == ip for proto in protocols)
        return False

    @staticmethod
    def CreateReplyPacket(pkt: Any, **attributes: Any) -> Any:
        return pkt.CreateReply(**attributes)

    async def initialize_transports(
        self,
        enable_acct: bool = False,
        enable_auth: bool = False,
        enable_coa: bool = False,
        addresses: list[str] | None = None,
    ) -> None:
        if not (enable_acct or enable_auth or enable_coa):
            raise Exception("No transports selected")
        pending = []
        for addr in addresses or ["127.0.0.1"]:
            for enabled, port, kind, protocols in (
                (enable_acct, self.acct_port, ServerType.Acct, self.acct_protocols),
                (enable_auth, self.auth_port, ServerType.Auth, self.auth_protocols),
                (enable_coa, self.coa_port, ServerType.Coa, self.coa_protocols),
            ):
                if not enabled or self.__is_present_proto__(addr, port):
                    continue
                protocol = DatagramProtocolServer(
                    addr, port, self.logger, self, kind, self.hosts, self.__request_handler__
                )
                protocols.append(protocol)
                pending.append(
                    (
                        protocols,
                        protocol,
                        self.loop.create_datagram_endpoint(
                            protocol, local_addr=(addr, port), **endpoint_options()
                        ),
                    )
                )
        try:
            results = await asyncio.gather(*(c for _, _, c in pending), return_exceptions=True)
        finally:
            for protocols, protocol, _ in pending:
                if not is_open(protocol) and protocol in protocols:
                    protocols.remove(protocol)
        for result in results:
            if isinstance(result, BaseException):
                raise result

    async def deinitialize_transports(
        self, deinit_coa: bool = True, deinit_auth: bool = True, deinit_acct: bool = True
    ) -> None:
        if deinit_coa:
            for proto in self.coa_protocols:
                await proto.close_transport()
            self.coa_protocols = []
        if deinit_auth:
            for proto in self.auth_protocols:
                await proto.close_transport()
            self.auth_protocols = []
        if deinit_acct:
            for proto in self.acct_protocols:
                await proto.close_transport()
            self.acct_protocols = []

    @abstractmethod
    def handle_auth_packet(self, protocol: Any, pkt: Any, addr: Any) -> None:
        """An Access-Request passed the checks."""

    @abstractmethod
    def handle_acct_packet(self, protocol: Any, pkt: Any, addr: Any) -> None:
        """An Accounting-Request passed the checks."""

    @abstractmethod
    def handle_coa_packet(self, protocol: Any, pkt: Any, addr: Any) -> None:
        """A CoA-Request passed the checks."""

    @abstractmethod
    def handle_disconnect_packet(self, protocol: Any, pkt: Any, addr: Any) -> None:
        """A Disconnect-Request passed the checks."""
