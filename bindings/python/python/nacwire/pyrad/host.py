"""The base of clients and servers: ports, a dictionary, packet factories (``pyrad.host``)."""

from __future__ import annotations

from typing import Any

from nacwire.pyrad import packet


class Host:
    """Ports and dictionary shared by :class:`~nacwire.pyrad.client.Client` and servers."""

    def __init__(self, authport: int = 1812, acctport: int = 1813, coaport: int = 3799, dict: Any = None) -> None:  # noqa: A002
        self.dict = dict
        self.authport = authport
        self.acctport = acctport
        self.coaport = coaport

    def CreatePacket(self, **args: Any) -> packet.Packet:  # noqa: N802 (pyrad's names)
        return packet.Packet(dict=self.dict, **args)

    def CreateAuthPacket(self, **args: Any) -> packet.AuthPacket:  # noqa: N802
        return packet.AuthPacket(dict=self.dict, **args)

    def CreateAcctPacket(self, **args: Any) -> packet.AcctPacket:  # noqa: N802
        return packet.AcctPacket(dict=self.dict, **args)

    def CreateCoAPacket(self, **args: Any) -> packet.CoAPacket:  # noqa: N802
        return packet.CoAPacket(dict=self.dict, **args)

    def SendPacket(self, fd: Any, pkt: Any) -> None:  # noqa: N802
        """Send a request to ``pkt.source``."""
        fd.sendto(pkt.RequestPacket(), pkt.source)

    def SendReplyPacket(self, fd: Any, pkt: Any) -> None:  # noqa: N802
        """Send a reply to ``pkt.source``."""
        fd.sendto(pkt.ReplyPacket(), pkt.source)
