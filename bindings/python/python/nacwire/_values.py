"""Small value types the native module returns."""

from __future__ import annotations

import datetime as _dt

__all__ = ["EnumValue", "from_timestamp"]


class EnumValue(int):
    """An integer attribute value that the dictionary names (a FreeRADIUS ``VALUE``).

    It is the number (``== 2``, arithmetic, ``int()``) and carries its name:
    ``str(v)`` and ``v.name`` give ``"Framed-User"``.
    """

    name: str

    def __new__(cls, value: int, name: str) -> EnumValue:
        self = super().__new__(cls, value)
        self.name = name
        return self

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"EnumValue({int(self)}, {self.name!r})"

    def __reduce__(self) -> tuple[type[EnumValue], tuple[int, str]]:
        return (EnumValue, (int(self), self.name))


def from_timestamp(seconds: int, tz: _dt.tzinfo) -> _dt.datetime:
    """A RADIUS ``date`` value (seconds since 1970-01-01 UTC) as an aware datetime."""
    return _dt.datetime.fromtimestamp(seconds, tz)
