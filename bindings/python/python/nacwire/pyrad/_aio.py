"""What `ClientAsync` and `ServerAsync` share: the event loop and their UDP endpoints."""

from __future__ import annotations

import asyncio
import socket
from typing import Any


def endpoint_options() -> dict[str, Any]:
    """Extra `create_datagram_endpoint` options: port reuse where the OS has it."""
    return {"reuse_port": True} if hasattr(socket, "SO_REUSEPORT") else {}


def is_open(protocol: Any) -> bool:
    """Whether the protocol's transport is up and not closing."""
    return protocol.transport is not None and not protocol.transport.is_closing()


class LoopHolder:
    """The `loop` attribute: the loop given, else the running (or current) one."""

    _loop: Any = None

    @property
    def loop(self) -> Any:
        """The loop given, else the running (or current) one."""
        if self._loop is not None:
            return self._loop
        try:
            return asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.get_event_loop()

    @loop.setter
    def loop(self, loop: Any) -> None:
        self._loop = loop
