"""Twisted RADIUS protocols, as ``pyrad.curved`` (needs Twisted, as pyrad's does)."""

from __future__ import annotations

from typing import Any

from twisted.internet import protocol  # type: ignore[import-not-found]
from twisted.python import log  # type: ignore[import-not-found]

from nacwire.pyrad import dictionary, host, packet
from nacwire.pyrad.server import CheckMessageAuthenticator, ServerPacketError, _HostAddresses


class PacketError(Exception):
    """A packet this protocol refuses."""


class RADIUS(host.Host, protocol.DatagramProtocol):  # type: ignore[misc]
    """Decodes datagrams, finds the sender's secret in ``hosts``, checks the request
    (Message-Authenticator, Accounting authenticator) and calls ``processPacket``."""

    def __init__(
        self,
        hosts: dict[Any, Any] | None = None,
        dict: Any = None,
        enforce_ma: bool = False,
        enable_pkt_verify: bool = True,
    ) -> None:
        host.Host.__init__(self, dict=dictionary.Dictionary() if dict is None else dict)
        self.hosts = {} if hosts is None else hosts
        self.enforce_ma = enforce_ma
        self.enable_pkt_verify = enable_pkt_verify

    def processPacket(self, pkt: Any) -> None:
        """Handle a checked packet; override."""

    def createPacket(self, **kwargs: Any) -> Any:
        raise NotImplementedError("Attempted to use a pure base class")

    def _createPacket(self, **kwargs: Any) -> Any:
        if type(self).createPacket is RADIUS.createPacket:
            return self.CreatePacket(**kwargs)
        pkt = self.createPacket(**kwargs)
        return self.CreatePacket(**kwargs) if pkt is None else pkt

    def _HostSecret(self, key: Any) -> bytes | None:
        try:
            entry = self.hosts[key]
        except (TypeError, KeyError):
            return None
        if isinstance(entry, bytes):
            return entry
        return getattr(entry, "secret", None)

    def _verifyPacket(self, pkt: Any) -> None:
        if pkt.code == packet.AccessRequest:
            CheckMessageAuthenticator(pkt, self.enforce_ma)
        elif pkt.code == packet.AccountingRequest and self.enable_pkt_verify:
            if not packet.AcctPacket.VerifyAcctRequest(pkt):
                raise packet.PacketError("Packet verification failed")

    def datagramReceived(self, datagram: bytes, source: Any) -> None:
        address, port = source[:2]
        try:
            pkt = self._createPacket(packet=datagram)
        except packet.PacketError as err:
            log.msg("Dropping invalid packet: " + str(err))
            return
        except Exception as err:
            log.msg(f"Dropping invalid packet: {type(err).__name__}: {err}")
            return
        key = next((k for k in _HostAddresses(address) if k in self.hosts), None)
        if key is None:
            log.msg("Dropping packet from unknown host " + address)
            return
        secret = self._HostSecret(key)
        if secret is None:
            log.msg(f"Dropping packet from {address}: no secret in its hosts entry")
            return
        pkt.secret = secret
        pkt.source = (address, port)
        try:
            self._verifyPacket(pkt)
        except (ServerPacketError, packet.PacketError) as err:
            log.msg(f"Dropping packet from {address}: {err}")
            return
        try:
            self.processPacket(pkt)
        except (PacketError, packet.PacketError, ServerPacketError) as err:
            log.msg(f"Dropping packet from {address}: {err}")
        except Exception:
            log.err(None, f"Error processing packet from {address}")


class RADIUSAccess(RADIUS):
    """Access-Requests only."""

    def createPacket(self, **kwargs: Any) -> Any:
        return self.CreateAuthPacket(**kwargs)

    def processPacket(self, pkt: Any) -> None:
        if pkt.code != packet.AccessRequest:
            raise PacketError("non-AccessRequest packet on authentication socket")


class RADIUSAccounting(RADIUS):
    """Accounting-Requests only."""

    def createPacket(self, **kwargs: Any) -> Any:
        return self.CreateAcctPacket(**kwargs)

    def processPacket(self, pkt: Any) -> None:
        if pkt.code != packet.AccountingRequest:
            raise PacketError("non-AccountingRequest packet on accounting socket")
