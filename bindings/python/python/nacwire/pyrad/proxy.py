"""A server that also listens for replies from home servers, as ``pyrad.proxy``."""

from __future__ import annotations

import select
import socket
from typing import Any

from nacwire.pyrad import packet
from nacwire.pyrad.server import Server, ServerPacketError, _LookupHost

_REPLY_CODES = (
    packet.AccessAccept,
    packet.AccessReject,
    packet.AccountingResponse,
    packet.AccessChallenge,
    packet.DisconnectACK,
    packet.DisconnectNAK,
    packet.CoAACK,
    packet.CoANAK,
)


class Proxy(Server):
    """Adds a socket (``_proxyfd``) for replies; override ``_HandleProxyPacket``."""

    def _PrepareSockets(self) -> None:
        Server._PrepareSockets(self)
        self._proxyfd = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._fdmap[self._proxyfd.fileno()] = self._proxyfd
        self._poll.register(self._proxyfd.fileno(), select.POLLIN | select.POLLPRI | select.POLLERR)

    def _HandleProxyPacket(self, pkt: Any) -> None:
        """Check a reply from a home server: known host, a reply code."""
        remote = _LookupHost(self.hosts, pkt.source[0])
        if remote is None:
            raise ServerPacketError("Received packet from unknown host")
        pkt.secret = remote.secret
        if pkt.code not in _REPLY_CODES:
            raise ServerPacketError("Received non-response on proxy socket")

    def _ProcessInput(self, fd: Any) -> None:
        if fd.fileno() == self._proxyfd.fileno():
            self._HandleProxyPacket(
                self._GrabPacket(lambda data: self.CreatePacket(packet=data), fd)
            )
        else:
            Server._ProcessInput(self, fd)
