"""A two-way mapping, as ``pyrad.bidict``: keys to values and values back to keys."""

from __future__ import annotations

from typing import Any


class BiDict:
    """Keys map to values (``forward``) and values back to keys (``backward``).

    Several keys may share a value (aliases); the value then maps back to the key
    added last. ``bidict[key]`` is :meth:`GetForward`; ``del bidict[x]`` removes a
    key, or else a value and every key that maps to it.
    """

    def __init__(self) -> None:
        self.forward: dict[Any, Any] = {}
        self.backward: dict[Any, Any] = {}

    def Add(self, one: Any, two: Any) -> None:
        old = self.forward.get(one, _MISSING)
        if old is not _MISSING and old != two:
            self._unlink(one)
        self.forward[one] = two
        self.backward[two] = one

    def _unlink(self, one: Any) -> None:
        # The reverse entry of one's value falls back to the newest other alias.
        two = self.forward[one]
        if self.backward.get(two, _MISSING) != one:
            return
        del self.backward[two]
        for other in reversed(self.forward):
            if other != one and self.forward[other] == two:
                self.backward[two] = other
                return

    def __len__(self) -> int:
        return len(self.forward)

    def __getitem__(self, key: Any) -> Any:
        return self.forward[key]

    def __delitem__(self, key: Any) -> None:
        if key in self.forward:
            self._unlink(key)
            del self.forward[key]
            return
        del self.backward[key]
        for one in [k for k, v in self.forward.items() if v == key]:
            del self.forward[one]

    def GetForward(self, key: Any) -> Any:
        return self.forward[key]

    def HasForward(self, key: Any) -> bool:
        return key in self.forward

    def GetBackward(self, key: Any) -> Any:
        return self.backward[key]

    def HasBackward(self, key: Any) -> bool:
        return key in self.backward


_MISSING = object()
