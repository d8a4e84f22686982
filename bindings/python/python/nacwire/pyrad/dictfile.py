"""Dictionary file lines with ``$INCLUDE`` resolved, as ``pyrad.dictfile``."""

from __future__ import annotations

import os
from typing import IO, Any


class _Source:
    __slots__ = ("dir", "lines", "name", "path", "pos")

    def __init__(self, lines: list[str], name: str, base: str, path: str | None) -> None:
        self.lines = lines
        self.pos = 0
        self.name = os.path.basename(name)
        self.path = path
        sub = os.path.dirname(name)
        self.dir = sub if os.path.isabs(sub) else os.path.join(base, sub)


class DictFile:
    """Iterate over the lines of a dictionary file, included files in place.

    ``$INCLUDE name`` is relative to the including file's directory (the current
    directory for a file object); ``$INCLUDE- name`` skips a missing file; a file
    that includes itself (directly or not) raises ``ParseError``.
    """

    __slots__ = ("stack",)

    def __init__(self, fil: str | IO[str]) -> None:
        self.stack: list[_Source] = []
        self._open(fil)

    def _open(self, fil: Any, optional: bool = False) -> None:
        base = self.stack[-1].dir if self.stack else os.path.realpath(os.curdir)
        if isinstance(fil, str):
            fname = fil if os.path.isabs(fil) else os.path.join(base, fil)
            if optional and not os.path.exists(fname):
                return
            real = os.path.realpath(fname)
            if any(s.path == real for s in self.stack):
                from nacwire.pyrad.dictionary import ParseError

                raise ParseError("Recursive include of " + fil, file=self.File(), line=self.Line())
            with open(fname) as fd:
                src = _Source(fd.readlines(), fil, base, real)
        else:
            src = _Source(fil.readlines(), "", base, None)
        self.stack.append(src)

    def Line(self) -> int:
        """The line number in the current file (-1 when done)."""
        return self.stack[-1].pos if self.stack else -1

    def File(self) -> str:
        """The name of the current file ('' when done)."""
        return self.stack[-1].name if self.stack else ""

    def __iter__(self) -> DictFile:
        return self

    def __next__(self) -> str:
        while self.stack:
            top = self.stack[-1]
            if top.pos >= len(top.lines):
                self.stack.pop()
                continue
            line = top.lines[top.pos]
            top.pos += 1
            words = line.split("#", 1)[0].split()
            if words and words[0].upper() in ("$INCLUDE", "$INCLUDE-"):
                target = " ".join(words[1:])
                if target:
                    self._open(target, words[0].endswith("-"))
                    continue
            return line
        raise StopIteration
