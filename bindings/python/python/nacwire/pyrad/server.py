"""A poll-based RADIUS server, as ``pyrad.server``."""

from __future__ import annotations

import ipaddress
import logging
import select
import socket
from typing import Any

from nacwire.pyrad import host, packet

logger = logging.getLogger("pyrad")


class RemoteHost:
    """A client the server accepts packets from, with its shared secret."""

    def __init__(
        self,
        address: str,
        secret: bytes,
        name: str,
        authport: int = 1812,
        acctport: int = 1813,
        coaport: int = 3799,
    ) -> None:
        self.address = address
        self.secret = secret
        self.authport = authport
        self.acctport = acctport
        self.coaport = coaport
        self.name = name


class ServerPacketError(Exception):
    """A packet the server drops (unknown host, wrong port, bad Message-Authenticator)."""


def CheckMessageAuthenticator(pkt: Any, enforce_ma: bool = False) -> None:
    """Verify an Access-Request's Message-Authenticator; with enforce_ma, require it."""
    if pkt.message_authenticator:
        if not pkt.verify_message_authenticator():
            raise ServerPacketError("Received Access-Request with invalid Message-Authenticator")
    elif enforce_ma:
        raise ServerPacketError("Received Access-Request without Message-Authenticator")


def _HostAddresses(address: Any) -> list[Any]:
    """The address and, for an IPv4-mapped IPv6 address, its IPv4 form."""
    out = [address]
    try:
        mapped = ipaddress.ip_address(address).ipv4_mapped  # type: ignore[union-attr]
    except (ValueError, AttributeError, TypeError):
        mapped = None
    if mapped is not None:
        out.append(str(mapped))
    return out


def _LookupHost(hosts: dict[Any, Any], address: Any) -> Any:
    for key in _HostAddresses(address):
        if key in hosts:
            return hosts[key]
    return None


class Server(host.Host):
    """Listens on auth/acct (and optionally CoA) ports; override the ``Handle*Packet`` methods."""

    MaxPacketSize = 8192

    def __init__(
        self,
        addresses: list[str] = [],  # noqa: B006 (pyrad's signature; never mutated)
        authport: int = 1812,
        acctport: int = 1813,
        coaport: int = 3799,
        hosts: dict[Any, Any] | None = None,
        dict: Any = None,
        auth_enabled: bool = True,
        acct_enabled: bool = True,
        coa_enabled: bool = False,
        enforce_ma: bool = False,
        enable_pkt_verify: bool = True,
    ) -> None:
        host.Host.__init__(self, authport, acctport, coaport, dict)
        self.hosts = {} if hosts is None else hosts
        self.auth_enabled = auth_enabled
        self.authfds: list[Any] = []
        self.acct_enabled = acct_enabled
        self.acctfds: list[Any] = []
        self.coa_enabled = coa_enabled
        self.coafds: list[Any] = []
        self.enforce_ma = enforce_ma
        self.enable_pkt_verify = enable_pkt_verify
        for addr in addresses:
            self.BindToAddress(addr)

    def _GetAddrInfo(self, addr: str) -> Any:
        try:
            infos = socket.getaddrinfo(addr, 80)
        except socket.gaierror:
            return []
        return {(info[0], info[4][0]) for info in infos}

    def BindToAddress(self, addr: str) -> None:
        """Open the enabled ports on every address addr resolves to."""
        for family, address in self._GetAddrInfo(addr):
            for enabled, port, fds in (
                (self.auth_enabled, self.authport, self.authfds),
                (self.acct_enabled, self.acctport, self.acctfds),
                (self.coa_enabled, self.coaport, self.coafds),
            ):
                if enabled:
                    fd = socket.socket(family, socket.SOCK_DGRAM)
                    fd.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    fd.bind((address, port))
                    fds.append(fd)

    def HandleAuthPacket(self, pkt: Any) -> None:
        """Called with each valid Access-Request."""

    def HandleAcctPacket(self, pkt: Any) -> None:
        """Called with each valid Accounting-Request."""

    def HandleCoaPacket(self, pkt: Any) -> None:
        """Called with each valid CoA-Request."""

    def HandleDisconnectPacket(self, pkt: Any) -> None:
        """Called with each valid Disconnect-Request."""

    def _AddSecret(self, pkt: Any) -> None:
        remote = _LookupHost(self.hosts, pkt.source[0])
        if remote is None:
            remote = self.hosts.get("0.0.0.0")
        if remote is None:
            raise ServerPacketError("Received packet from unknown host")
        pkt.secret = remote.secret

    def _HandleAuthPacket(self, pkt: Any) -> None:
        self._AddSecret(pkt)
        if pkt.code != packet.AccessRequest:
            raise ServerPacketError("Received non-authentication packet on authentication port")
        CheckMessageAuthenticator(pkt, self.enforce_ma)
        self.HandleAuthPacket(pkt)

    def _HandleAcctPacket(self, pkt: Any) -> None:
        self._AddSecret(pkt)
        if pkt.code != packet.AccountingRequest:
            raise ServerPacketError("Received non-accounting packet on accounting port")
        if self.enable_pkt_verify and not pkt.VerifyAcctRequest():
            raise packet.PacketError("Packet verification failed")
        self.HandleAcctPacket(pkt)

    def _HandleCoaPacket(self, pkt: Any) -> None:
        self._AddSecret(pkt)
        if pkt.code not in (packet.CoARequest, packet.DisconnectRequest):
            raise ServerPacketError("Received non-coa packet on coa port")
        if self.enable_pkt_verify and not pkt.VerifyCoARequest():
            raise packet.PacketError("Packet verification failed")
        if pkt.code == packet.CoARequest:
            self.HandleCoaPacket(pkt)
        else:
            self.HandleDisconnectPacket(pkt)

    def _GrabPacket(self, pktgen: Any, fd: Any) -> Any:
        """Read one datagram and decode it; any decoding failure is a PacketError."""
        data, source = fd.recvfrom(self.MaxPacketSize)
        try:
            pkt = pktgen(data)
        except packet.PacketError:
            raise
        except Exception as err:
            raise packet.PacketError(f"{type(err).__name__}: {err}") from err
        pkt.source = source
        pkt.fd = fd
        return pkt

    def _PrepareSockets(self) -> None:
        for fd in self.authfds + self.acctfds + self.coafds:
            self._fdmap[fd.fileno()] = fd
            self._poll.register(fd.fileno(), select.POLLIN | select.POLLPRI | select.POLLERR)
        if self.auth_enabled:
            self._realauthfds = [fd.fileno() for fd in self.authfds]
        if self.acct_enabled:
            self._realacctfds = [fd.fileno() for fd in self.acctfds]
        if self.coa_enabled:
            self._realcoafds = [fd.fileno() for fd in self.coafds]

    def CreateReplyPacket(self, pkt: Any, **attributes: Any) -> Any:
        reply = pkt.CreateReply(**attributes)
        reply.source = pkt.source
        return reply

    def _ProcessInput(self, fd: Any) -> None:
        if self.auth_enabled and fd.fileno() in self._realauthfds:
            self._HandleAuthPacket(
                self._GrabPacket(lambda data: self.CreateAuthPacket(packet=data), fd)
            )
        elif self.acct_enabled and fd.fileno() in self._realacctfds:
            self._HandleAcctPacket(
                self._GrabPacket(lambda data: self.CreateAcctPacket(packet=data), fd)
            )
        elif self.coa_enabled:
            self._HandleCoaPacket(
                self._GrabPacket(lambda data: self.CreateCoAPacket(packet=data), fd)
            )
        else:
            raise ServerPacketError("Received packet for unknown handler")

    def Run(self) -> None:
        """Serve forever."""
        self._poll = select.poll()
        self._fdmap: dict[int, Any] = {}
        self._PrepareSockets()
        while True:
            for fd, event in self._poll.poll():
                if event != select.POLLIN:
                    logger.error("Unexpected event in server main loop")
                    continue
                # pyrad logs a dropped packet's message whole (no arguments): handlers
                # that group records by their template (Sentry's) see the same records
                try:
                    self._ProcessInput(self._fdmap[fd])
                except ServerPacketError as err:
                    logger.info("Dropping packet: " + str(err))
                except packet.PacketError as err:
                    logger.info("Received a broken packet: " + str(err))
                except Exception:
                    logger.exception("Error processing packet")
