"""A blocking RADIUS client with retries and timeouts, as ``pyrad.client``."""

from __future__ import annotations

import hashlib
import select
import socket
import struct
import time
from typing import Any

from nacwire.pyrad import host, packet

EAP_CODE_REQUEST = 1
EAP_CODE_RESPONSE = 2
EAP_TYPE_IDENTITY = 1
EAP_TYPE_MD5 = 4

_EAP_MESSAGE = 79
_STATE = 24


def _EapMd5Identity(pkt: Any) -> tuple[bytes, Any]:
    """Turn User-Password into an EAP-Response/Identity; returns (password, saved value)."""
    if 1 not in pkt or 2 not in pkt:
        raise ValueError("EAP-MD5 requires User-Name and the cleartext password as User-Password")
    identity = pkt[1][0]
    saved = pkt[2]
    del pkt[2]
    eap = (
        struct.pack(
            "!BBHB", EAP_CODE_RESPONSE, packet.CurrentID, len(identity) + 5, EAP_TYPE_IDENTITY
        )
        + identity
    )
    pkt[_EAP_MESSAGE] = [eap[i : i + 253] for i in range(0, len(eap), 253)]
    return saved[0], saved


def _EapMd5Response(pkt: Any, reply: Any, password: bytes) -> bool:
    """Answer an EAP-MD5 challenge (RFC 3748 5.4) in pkt; False if reply is not one."""
    if reply.code != packet.AccessChallenge:
        return False
    eap = b"".join(reply.get(_EAP_MESSAGE, []))
    if len(eap) < 6 or eap[0] != EAP_CODE_REQUEST or eap[4] != EAP_TYPE_MD5:
        return False
    eap_id = eap[1]
    eap = eap[: struct.unpack("!H", eap[2:4])[0]]
    challenge = eap[6 : 6 + eap[5]]
    digest = hashlib.md5(bytes((eap_id,)) + password + challenge).digest()
    pkt[_EAP_MESSAGE] = [
        struct.pack("!BBHBB", EAP_CODE_RESPONSE, eap_id, len(digest) + 6, EAP_TYPE_MD5, len(digest))
        + digest
    ]
    if _STATE in reply:
        pkt[_STATE] = reply[_STATE]
    elif _STATE in pkt:
        del pkt[_STATE]
    pkt.authenticator = pkt.CreateAuthenticator()
    return True


class Timeout(Exception):
    """No valid reply within ``retries`` attempts of ``timeout`` seconds."""


class Client(host.Host):
    """Sends requests to one server and waits for a verified reply.

    ``SendPacket`` sends up to ``retries`` times, ``timeout`` seconds each; a reply to
    any attempt counts; replies that fail :meth:`Packet.VerifyReply` are ignored.
    ``enforce_ma=True`` also ignores Access replies without Message-Authenticator.
    """

    def __init__(
        self,
        server: str,
        authport: int = 1812,
        acctport: int = 1813,
        coaport: int = 3799,
        secret: bytes = b"",
        dict: Any = None,
        retries: int = 3,
        timeout: float = 5,
        enforce_ma: bool = False,
    ) -> None:
        host.Host.__init__(self, authport, acctport, coaport, dict)
        self.server = server
        self.secret = secret
        self._socket: socket.socket | None = None
        self.retries = retries
        self.timeout = timeout
        self.enforce_ma = enforce_ma
        self._poll = select.poll()

    def bind(self, addr: Any) -> None:
        """Bind the client's socket to a local address."""
        self._CloseSocket()
        self._SocketOpen()
        assert self._socket is not None
        self._socket.bind(addr)

    def _SocketOpen(self) -> None:
        try:
            family = socket.getaddrinfo(self.server, 80)[0][0]
        except Exception:
            family = socket.AF_INET
        if not self._socket:
            self._socket = socket.socket(family, socket.SOCK_DGRAM)
            self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._poll.register(self._socket, select.POLLIN)

    def _CloseSocket(self) -> None:
        if self._socket:
            self._poll.unregister(self._socket)
            self._socket.close()
            self._socket = None

    def CreateAuthPacket(self, **args: Any) -> packet.AuthPacket:
        """An Access-Request carrying Message-Authenticator unless told otherwise."""
        if "packet" not in args:
            args.setdefault("message_authenticator", True)
        return host.Host.CreateAuthPacket(self, secret=self.secret, **args)

    def CreateAcctPacket(self, **args: Any) -> packet.AcctPacket:
        return host.Host.CreateAcctPacket(self, secret=self.secret, **args)

    def CreateCoAPacket(self, **args: Any) -> packet.CoAPacket:
        return host.Host.CreateCoAPacket(self, secret=self.secret, **args)

    def _UpdateAcctDelayTime(self, pkt: Any) -> None:
        """RFC 2866 5.2: a re-sent Accounting-Request counts the time waited."""
        d = getattr(pkt, "dict", None)
        if d is None or "Acct-Delay-Time" not in d:
            return
        delay = pkt["Acct-Delay-Time"][0] if "Acct-Delay-Time" in pkt else 0
        pkt["Acct-Delay-Time"] = delay + self.timeout

    def _VerifyReply(
        self, pkt: Any, reply: Any, rawreply: bytes, authenticators: list[Any]
    ) -> tuple[bool, Any]:
        """Check reply against every authenticator sent so far, newest first."""
        current = getattr(pkt, "authenticator", None)
        for auth in reversed(authenticators):
            if auth == current:
                ok = pkt.VerifyReply(reply, rawreply, enforce_ma=self.enforce_ma)
            else:
                pkt.authenticator = auth
                try:
                    ok = pkt.VerifyReply(reply, rawreply, enforce_ma=self.enforce_ma)
                finally:
                    pkt.authenticator = current
            if ok:
                return True, auth
        return False, None

    def _SendPacket(self, pkt: Any, port: int) -> Any:
        self._SocketOpen()
        assert self._socket is not None
        sent: list[Any] = []
        for attempt in range(self.retries):
            if attempt and pkt.code == packet.AccountingRequest:
                self._UpdateAcctDelayTime(pkt)
            now = time.monotonic()
            deadline = now + self.timeout
            self._socket.sendto(pkt.RequestPacket(), (self.server, port))
            auth = getattr(pkt, "authenticator", None)
            if auth in sent:
                sent.remove(auth)
            sent.append(auth)
            while now < deadline:
                if not self._poll.poll((deadline - now) * 1000):
                    now = time.monotonic()
                    continue
                raw = self._socket.recv(4096)
                try:
                    reply = pkt.CreateReply(packet=raw)
                    ok, auth = self._VerifyReply(pkt, reply, raw, sent)
                    if ok:
                        if hasattr(pkt, "authenticator"):
                            reply.request_authenticator = auth
                        return reply
                except packet.PacketError:
                    pass
                now = time.monotonic()
        raise Timeout

    def _SendEapMd5Packet(self, pkt: Any) -> Any:
        password, saved = _EapMd5Identity(pkt)
        try:
            reply = self._SendPacket(pkt, self.authport)
            if not _EapMd5Response(pkt, reply, password):
                return reply
            previous = pkt.id
            while pkt.id == previous:
                pkt.id = pkt.CreateID()
            return self._SendPacket(pkt, self.authport)
        finally:
            pkt[2] = saved

    def SendPacket(self, pkt: Any) -> Any:  # type: ignore[override]
        """Send pkt to the port of its kind and return the verified reply (or raise Timeout)."""
        if isinstance(pkt, packet.AuthPacket):
            if pkt.auth_type == "eap-md5":
                return self._SendEapMd5Packet(pkt)
            return self._SendPacket(pkt, self.authport)
        if isinstance(pkt, packet.CoAPacket):
            return self._SendPacket(pkt, self.coaport)
        return self._SendPacket(pkt, self.acctport)
