"""Dictionary file lines with ``$INCLUDE`` resolved, as ``pyrad.dictfile``."""

from __future__ import annotations

import os
from typing import IO, Any

from nacwire._native import pyrad_dict_lines


def _parse_error() -> Any:
    from nacwire.pyrad.dictionary import ParseError  # (dictionary imports this module)

    return ParseError


class DictFile:
    """Iterate over the lines of a dictionary file, included files in place.

    ``$INCLUDE name`` is relative to the including file's directory (the current
    directory for a file object); ``$INCLUDE- name`` skips a missing file; a file
    that includes itself (directly or not) raises ``ParseError`` where the include
    is. The files are read in Rust (``pyrad_dict_lines``), all at once.
    """

    __slots__ = ("_error", "_error_at", "_lines", "_pos", "_top", "stack")

    def __init__(self, fil: str | IO[str]) -> None:
        self._top = ""
        if isinstance(fil, str):
            # pyrad opens the file here: a missing or unreadable file (or one that is
            # not text in the locale's encoding) raises now, with pyrad's exception
            name = fil if os.path.isabs(fil) else os.path.join(os.path.realpath(os.curdir), fil)
            with open(name) as fd:
                fd.readlines()
            self._top = os.path.basename(fil)
            self._lines, self._error, self._error_at = pyrad_dict_lines(fil, None, _parse_error())
        else:
            self._lines, self._error, self._error_at = pyrad_dict_lines(
                None, "".join(fil.readlines()), _parse_error()
            )
        self._pos = 0
        self.stack: list[Any] = []  # pyrad's include stack; kept for compatibility

    def _entries(self) -> list[tuple[str, int, str]]:
        """Every (file, line number, line) at once, for the dictionary reader; the
        include error (if any) is raised after them by the caller via ``_raise``."""
        return self._lines

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def Line(self) -> int:
        """The line number in the current file (0 before the first line, -1 when done,
        the include's after one that failed)."""
        if self._pos == 0:
            return 0
        if self._pos <= len(self._lines):
            return self._lines[self._pos - 1][1]
        return self._error_at[1] if self._error_at is not None else -1

    def File(self) -> str:
        """The name of the current file (the first file's before the first line, '' when
        done, the including file's after an include that failed; '' for a file object)."""
        if self._pos == 0:
            return self._top
        if self._pos <= len(self._lines):
            return self._lines[self._pos - 1][0]
        return self._error_at[0] if self._error_at is not None else ""

    def __iter__(self) -> DictFile:
        return self

    def __next__(self) -> str:
        if self._pos < len(self._lines):
            self._pos += 1
            return self._lines[self._pos - 1][2]
        self._pos = len(self._lines) + 1
        self._raise()
        raise StopIteration
