"""RADIUS: packets, dictionaries, verification, the sans-I/O exchange and UDP clients.

Decoding, verification, building and the exchange (identifiers, retransmission,
reply matching) run in Rust; the two transports here only move datagrams.

>>> from nacwire import radius
>>> req = radius.build("Access-Request", b"testing123",
...                    [("User-Name", "bob"), ("User-Password", "hello")], identifier=7)
>>> req.code_name, req["User-Name"], "Message-Authenticator" in req
('Access-Request', 'bob', True)
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from nacwire import Error, Timeout, TransportError, UnsignedReplyWarning
from nacwire._native import (
    AttributeDef,
    Client,
    ClientEvent,
    Dictionary,
    DuplicateCache,
    Packet,
    Secret,
    build,
    reply,
)
from nacwire._values import EnumValue

if TYPE_CHECKING:
    from nacwire.nac import Outcome, PacketPlan

__all__ = [
    "AsyncClient",
    "AttributeDef",
    "Client",
    "ClientEvent",
    "Code",
    "Dictionary",
    "DuplicateCache",
    "EnumValue",
    "Packet",
    "Secret",
    "UdpClient",
    "build",
    "reply",
]

Attributes = Iterable[tuple[Any, Any]] | Mapping[Any, Any] | None


class Code:
    """Packet codes (RFC 2865, 2866, 5176, 5997, 7930)."""

    ACCESS_REQUEST = 1
    ACCESS_ACCEPT = 2
    ACCESS_REJECT = 3
    ACCOUNTING_REQUEST = 4
    ACCOUNTING_RESPONSE = 5
    ACCESS_CHALLENGE = 11
    STATUS_SERVER = 12
    STATUS_CLIENT = 13
    DISCONNECT_REQUEST = 40
    DISCONNECT_ACK = 41
    DISCONNECT_NAK = 42
    COA_REQUEST = 43
    COA_ACK = 44
    COA_NAK = 45
    PROTOCOL_ERROR = 52


def _warn_if_unsigned(reply_: Packet, event: ClientEvent, warn: bool) -> Packet:
    """Returns ``reply_``, first warning if its ``event`` says it was accepted
    unsigned and ``warn`` (the client's policy is ``"auto"``: with ``False`` the caller
    chose to accept unsigned replies, and is not told so on every reply). Called
    directly from the public ``request`` methods, so that the warning names their
    caller's line (``stacklevel=3``: this function, ``request``, the caller; for a
    coroutine the awaiting frame is the caller)."""
    if warn and event.signature == "accepted-unsigned":
        warnings.warn(
            f"accepted {reply_.code_name} from {event.destination} without "
            "Message-Authenticator (BlastRADIUS, CVE-2024-3596): use "
            "require_message_authenticator=True once the server signs its replies",
            UnsignedReplyWarning,
            stacklevel=3,
        )
    return reply_


def _plan_attributes(plan: PacketPlan) -> list[tuple[Any, Any]]:
    """A plan's ``(attribute, tag, value)`` triples as ``(key, value)`` pairs for
    :func:`build`: a ``"241.N"`` extended number as its ``(0, 241, N)`` key, a tag as
    ``(tag, value)``."""
    pairs: list[tuple[Any, Any]] = []
    for attribute, tag, value in plan.attributes:
        key: Any = attribute
        if isinstance(attribute, str):
            key = (0, *(int(part) for part in attribute.split(".")))
        pairs.append((key, value if tag is None else (tag, value)))
    return pairs


def _outcome(plan: PacketPlan, sent: Packet, reply_: Packet) -> Outcome:
    """What a verified reply to a plan's request means."""
    from nacwire.nac import Outcome

    # verified already by the exchange (authenticators, Identifier, code pairing)
    return Outcome.from_reply(sent, reply_, None, authorize_only=plan.authorize_only)


def _transport_error(destination: str, what: str, e: OSError) -> TransportError:
    """A socket error as :class:`nacwire.TransportError` naming the destination; the
    caller raises it ``from e`` so the original stays as ``__cause__``."""
    return TransportError(f"{destination}: {what}: {e}")


def _check_port(port: object) -> int:
    """``port`` as given to a client: an int in 0..=65535, as the native classes take
    it (``getaddrinfo`` would take 70000 as 4464, the port modulo 65536, a numeric
    string as a service name, and -1 as "cannot resolve the host")."""
    if not isinstance(port, int) or isinstance(port, bool):
        raise TypeError(f"port is an int, not {type(port).__name__}")
    if not 0 <= port <= 65535:
        raise ValueError(f"port is 0..=65535, not {port}")
    return port


def _resolve(server: str, port: int, destination: str) -> list[Any]:
    """``getaddrinfo`` for a UDP destination; an unknown host is a TransportError."""
    try:
        return socket.getaddrinfo(server, port, type=socket.SOCK_DGRAM)
    except OSError as e:
        raise _transport_error(destination, "cannot resolve the host", e) from e


def _one_destination_client(
    destination: str,
    secret: Secret | bytes | str,
    dictionary: Dictionary | None,
    timeout: float,
    retries: int,
    require_message_authenticator: bool | Literal["auto"],
) -> Client:
    """The exchange state of `UdpClient` and `AsyncClient`: one destination, retries
    backing off up to eight times `timeout`, no overall limit.

    ``retries=0`` is one send: the exchange reads a retransmission count of 0 as "no
    limit" (RFC 5080's MRC), which with no overall limit retransmitted forever. An
    overall limit below the first wait (``timeout`` less 10% jitter at most) ends the
    request at its first timer instead."""
    client = Client(
        timeout=timeout,
        retries=retries,
        max_timeout=max(timeout * 8, timeout),
        max_duration=0.0 if retries else timeout * 0.85,
    )
    client.add_destination(
        destination,
        secret,
        dictionary=dictionary,
        require_message_authenticator=require_message_authenticator,
    )
    return client


class UdpClient:
    """A blocking RADIUS client over UDP for one server (or one NAS, for CoA).

    ``timeout`` is the first retransmission time; the request is sent at most
    ``retries + 1`` times, doubling the wait (RFC 5080), before :class:`nacwire.Timeout`.
    Replies are verified against the request; ``require_message_authenticator=True``
    (default, recommended) rejects unsigned Access-* and Status-Server replies.
    Threads may share one client: their requests take turns (use
    :class:`AsyncClient` for many requests in flight at once). A socket error (a host
    name that does not resolve, a ``bind`` address that is not local, a ``sendto``
    refused) is a :class:`nacwire.TransportError` naming ``server:port``, with the
    ``OSError`` as ``__cause__``.

    >>> with UdpClient("127.0.0.1", 1812, b"testing123") as c:   # doctest: +SKIP
    ...     r = c.request("Access-Request", {"User-Name": "bob", "User-Password": "pw"})
    """

    def __init__(
        self,
        server: str,
        port: int,
        secret: Secret | bytes | str,
        *,
        dictionary: Dictionary | None = None,
        timeout: float = 2.0,
        retries: int = 3,
        require_message_authenticator: bool | Literal["auto"] = True,
        bind: tuple[str, int] | None = None,
    ) -> None:
        _check_port(port)
        self._destination = f"{server}:{port}"
        self._warn_unsigned = require_message_authenticator is not False
        # arguments checked before a socket exists to leak
        self._client = _one_destination_client(
            self._destination, secret, dictionary, timeout, retries, require_message_authenticator
        )
        family, _, _, _, address = _resolve(server, port, self._destination)[0]
        self._address = address
        try:
            self._sock = socket.socket(family, socket.SOCK_DGRAM)
        except OSError as e:
            raise _transport_error(self._destination, "cannot open a socket", e) from e
        if bind is not None:
            try:
                self._sock.bind(bind)
            except OSError as e:
                self._sock.close()
                raise _transport_error(self._destination, f"cannot bind to {bind!r}", e) from e
            except BaseException:
                self._sock.close()
                raise
        # one request at a time: the socket, the timers and the replies are shared
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<UdpClient {self._destination}>"

    def request(
        self,
        code: int | str,
        attributes: Attributes = None,
        *,
        message_authenticator: bool | None = None,
    ) -> Packet:
        """Sends a request and returns its verified reply (retransmitting as needed).

        ``attributes`` are ``(name, value)`` pairs or a mapping (a list value adds the
        attribute once per item), as for :func:`build`. Raises :class:`nacwire.Timeout`
        when no verified reply came, or the error of the last rejected reply (a
        :class:`nacwire.VerifyError` for a wrong secret); ``BuildError`` for attributes
        that cannot be encoded."""
        _, reply_, event = self._locked_request(code, attributes, message_authenticator)
        return _warn_if_unsigned(reply_, event, self._warn_unsigned)

    def send_plan(self, plan: PacketPlan) -> Outcome:
        """Sends a planned CoA or Disconnect request (:class:`nacwire.nac.PacketPlan`)
        to this client's NAS, retransmitting the same bytes as needed, and returns
        what the verified reply means (:class:`nacwire.nac.Outcome`: ``is_success``,
        ``causes``, ...). The client's port is used, not ``plan.port``: make the
        client with ``port=plan.port`` (the vendor's CoA port, 3799 or 1700).

        >>> with UdpClient(nas_ip, plan.port, secret) as nas:   # doctest: +SKIP
        ...     outcome = nas.send_plan(plan)
        """
        sent, reply_, _ = self._locked_request(
            plan.code, _plan_attributes(plan), plan.message_authenticator
        )
        return _outcome(plan, sent, reply_)

    def _locked_request(
        self, code: int | str, attributes: Attributes, message_authenticator: bool | None
    ) -> tuple[Packet, Packet, ClientEvent]:
        with self._lock:
            if self._sock.fileno() < 0:
                raise TransportError(f"the client for {self._destination} is closed")
            try:
                return self._request(code, attributes, message_authenticator)
            except (TimeoutError, TransportError):
                raise  # nacwire.Timeout and TransportError are OSErrors: as they are
            except OSError as e:
                raise _transport_error(self._destination, "socket error", e) from e

    def _request(
        self, code: int | str, attributes: Attributes, message_authenticator: bool | None
    ) -> tuple[Packet, Packet, ClientEvent]:
        client = self._client
        sent = client.send(
            self._destination, code, attributes, message_authenticator=message_authenticator
        )
        identifier = sent.identifier
        self._sock.sendto(bytes(sent), self._address)
        rejected: Error | None = None
        while True:
            deadline = client.poll_timeout()
            wait = 0.0 if deadline is None else max(0.0, deadline - time.monotonic())
            self._sock.settimeout(wait if wait > 0 else 0.000_001)
            try:
                data, source = self._sock.recvfrom(65535)
            except (TimeoutError, BlockingIOError):
                for event in client.handle_timeout():
                    if event.kind == "retransmit" and event.data is not None:
                        self._sock.sendto(event.data, self._address)
                    elif event.kind == "timeout" and event.identifier == identifier:
                        if rejected is not None:
                            # every answer failed verification: say why, not "no reply"
                            raise rejected from None
                        raise Timeout(
                            f"no reply from {self._destination} to {sent.code_name} id {identifier}"
                        ) from None
                continue
            if source[:2] != self._address[:2]:
                continue  # not from our server
            try:
                event = client.receive(self._destination, data)
            except Error as e:
                # malformed or forged: keep waiting for a genuine reply until the
                # schedule gives up, then raise this error
                rejected = e
                continue
            if event.kind == "reply" and event.identifier == identifier and event.reply is not None:
                return sent, event.reply, event

    def close(self) -> None:
        """Closes the socket."""
        self._sock.close()

    def __enter__(self) -> UdpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Protocol(asyncio.DatagramProtocol):
    def __init__(self, owner: AsyncClient) -> None:
        self.owner = owner

    def datagram_received(self, data: bytes, addr: tuple[str | Any, int]) -> None:
        self.owner._received(data, addr)


class AsyncClient:
    """An asyncio RADIUS client over UDP for one server (or NAS): many requests in
    flight at once (up to 256, one per Identifier; more wait for a free one),
    retransmission and verification in Rust.

    Create it with ``await AsyncClient.connect(server, port, secret, ...)`` (calling
    ``AsyncClient(...)`` raises ``TypeError``: the socket needs the running event
    loop); the arguments are those of :class:`UdpClient`, and so are the errors
    (:class:`nacwire.TransportError` for a host that does not resolve or a socket that
    cannot be opened).

    >>> async def main() -> None:   # doctest: +SKIP
    ...     async with await AsyncClient.connect("127.0.0.1", 1812, b"testing123") as c:
    ...         r = await c.request("Access-Request", {"User-Name": "bob"})
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise TypeError(
            "AsyncClient is not constructed directly: use "
            "`await AsyncClient.connect(host, port, secret, ...)` (same arguments as "
            "UdpClient), which opens the socket on the running event loop"
        )

    def _init_state(self) -> None:
        self._transport: asyncio.DatagramTransport | None = None
        self._futures: dict[int, asyncio.Future[tuple[Packet, ClientEvent]]] = {}
        self._sent: dict[int, str] = {}
        # one request per Identifier: the 257th waits for one to be free
        self._slots = asyncio.Semaphore(256)
        self._rejected: dict[int, Error] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._client: Client
        self._destination = ""
        self._address: tuple[Any, ...] = ()
        self._warn_unsigned = True

    @classmethod
    async def connect(
        cls,
        server: str,
        port: int,
        secret: Secret | bytes | str,
        *,
        dictionary: Dictionary | None = None,
        timeout: float = 2.0,
        retries: int = 3,
        require_message_authenticator: bool | Literal["auto"] = True,
        bind: tuple[str, int] | None = None,
    ) -> AsyncClient:
        """Opens the socket and returns a ready client (``bind``: the local address
        and port to send from, as for :class:`UdpClient`)."""
        _check_port(port)
        self = cls.__new__(cls)
        self._init_state()
        loop = asyncio.get_running_loop()
        self._destination = f"{server}:{port}"
        self._warn_unsigned = require_message_authenticator is not False
        # arguments checked before anything is resolved or opened
        self._client = _one_destination_client(
            self._destination, secret, dictionary, timeout, retries, require_message_authenticator
        )
        try:
            infos = await loop.getaddrinfo(server, port, type=socket.SOCK_DGRAM)
        except OSError as e:
            raise _transport_error(self._destination, "cannot resolve the host", e) from e
        family, _, _, _, address = infos[0]
        self._address = address
        try:
            transport, _ = await loop.create_datagram_endpoint(
                lambda: _Protocol(self),
                remote_addr=(str(address[0]), int(address[1])),
                family=family,
                local_addr=bind,
            )
        except OSError as e:
            what = "cannot open a socket" if bind is None else f"cannot bind to {bind!r}"
            raise _transport_error(self._destination, what, e) from e
        self._transport = transport
        return self

    async def request(
        self,
        code: int | str,
        attributes: Attributes = None,
        *,
        message_authenticator: bool | None = None,
    ) -> Packet:
        """Sends a request and waits for its verified reply (``attributes`` and errors
        as for :meth:`UdpClient.request`). A request cancelled while it waits (as
        ``asyncio.wait_for`` does on timeout) is forgotten: no more retransmissions,
        its Identifier free again."""
        _, reply_, event = await self._exchange(code, attributes, message_authenticator)
        return _warn_if_unsigned(reply_, event, self._warn_unsigned)

    async def send_plan(self, plan: PacketPlan) -> Outcome:
        """Sends a planned CoA or Disconnect request (:class:`nacwire.nac.PacketPlan`)
        and returns what the verified reply means, as :meth:`UdpClient.send_plan`."""
        sent, reply_, _ = await self._exchange(
            plan.code, _plan_attributes(plan), plan.message_authenticator
        )
        return _outcome(plan, sent, reply_)

    async def _exchange(
        self, code: int | str, attributes: Attributes, message_authenticator: bool | None
    ) -> tuple[Packet, Packet, ClientEvent]:
        async with self._slots:
            return await self._exchange_now(code, attributes, message_authenticator)

    async def _exchange_now(
        self, code: int | str, attributes: Attributes, message_authenticator: bool | None
    ) -> tuple[Packet, Packet, ClientEvent]:
        if self._transport is None:
            raise TransportError(f"the client for {self._destination or 'nothing'} is closed")
        sent = self._client.send(
            self._destination, code, attributes, message_authenticator=message_authenticator
        )
        future: asyncio.Future[tuple[Packet, ClientEvent]] = (
            asyncio.get_running_loop().create_future()
        )
        self._futures[sent.identifier] = future
        self._sent[sent.identifier] = sent.code_name
        self._transport.sendto(bytes(sent))
        self._arm()
        try:
            reply_, event = await future
        finally:
            self._futures.pop(sent.identifier, None)
            self._sent.pop(sent.identifier, None)
            self._rejected.pop(sent.identifier, None)
            if not future.done() or future.cancelled():
                # cancelled by the caller: stop retransmitting it
                self._client.cancel(self._destination, sent.identifier)
        return sent, reply_, event

    def _arm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        deadline = self._client.poll_timeout()
        if deadline is None:
            return
        loop = asyncio.get_running_loop()
        delay = max(0.0, deadline - time.monotonic())
        self._timer = loop.call_later(delay, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        for event in self._client.handle_timeout():
            if event.kind == "retransmit" and event.data is not None and self._transport:
                self._transport.sendto(event.data)
            elif event.kind == "timeout":
                future = self._futures.get(event.identifier)
                if future is not None and not future.done():
                    rejected = self._rejected.pop(event.identifier, None)
                    code = self._sent.get(event.identifier, "request")
                    future.set_exception(
                        rejected
                        or Timeout(
                            f"no reply from {self._destination} to {code} id {event.identifier}"
                        )
                    )
        self._arm()

    def _received(self, data: bytes, addr: tuple[Any, int]) -> None:
        try:
            event = self._client.receive(self._destination, data)
        except Error as e:
            # malformed or forged: the request stays pending; remembered for its timeout
            if len(data) >= 2 and data[1] in self._futures:
                self._rejected[data[1]] = e
            return
        if event.kind != "reply" or event.reply is None:
            return
        future = self._futures.get(event.identifier)
        if future is not None and not future.done():
            future.set_result((event.reply, event))
        self._arm()

    def close(self) -> None:
        """Closes the socket; pending requests fail with :class:`nacwire.Timeout`."""
        if self._timer is not None:
            self._timer.cancel()
        for future in self._futures.values():
            if not future.done():
                future.set_exception(Timeout("client closed"))
        if self._transport is not None:
            self._transport.close()
            self._transport = None

    def __repr__(self) -> str:
        state = "closed" if self._transport is None else f"{len(self._futures)} pending"
        return f"<AsyncClient {self._destination or '(not connected)'} {state}>"

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()
