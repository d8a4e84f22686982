"""The base of clients and servers: ports, a dictionary, packet factories (``pyrad.host``)."""

from __future__ import annotations

from typing import Any

from nacwire.pyrad import packet


class Host:
    """Ports and dictionary shared by :class:`~nacwire.pyrad.client.Client` and servers."""

    def __init__(
        self, authport: int = 1812, acctport: int = 1813, coaport: int = 3799, dict: Any = None
    ) -> None:
        self.dict = dict
        self.authport = authport
        self.acctport = acctport
        self.coaport = coaport

    def CreatePacket(self, **args: Any) -> packet.Packet:
        return packet.Packet(dict=self.dict, **args)

    def CreateAuthPacket(self, **args: Any) -> packet.AuthPacket:
        return packet.AuthPacket(dict=self.dict, **args)

    def CreateAcctPacket(self, **args: Any) -> packet.AcctPacket:
        return packet.AcctPacket(dict=self.dict, **args)

    def CreateCoAPacket(self, **args: Any) -> packet.CoAPacket:
        return packet.CoAPacket(dict=self.dict, **args)

    def SendPacket(self, fd: Any, pkt: Any) -> None:
        """Send a request to ``pkt.source``."""
        fd.sendto(pkt.RequestPacket(), pkt.source)

    def SendReplyPacket(self, fd: Any, pkt: Any) -> None:
        """Send a reply to ``pkt.source``."""
        fd.sendto(pkt.ReplyPacket(), pkt.source)
