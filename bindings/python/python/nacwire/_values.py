"""Small value types the native module returns."""

from __future__ import annotations

__all__ = ["EnumValue"]


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
