"""How nacwire.pyrad.dictionary's reader splits a line into words: the part before the
first ``#``, split as Python's ``str.split()`` splits it, as pyrad does (ASCII tabs,
spaces, vertical tabs, form feeds and the separators U+001C to U+001F; Unicode's spaces
too), control characters such as NUL or DEL staying in words. The lines are random
mixes of words, separators, comments and such characters, at every offset (the reader
scans eight bytes at a time)."""

from __future__ import annotations

import io
import struct

import pytest
from hypothesis import given, settings, strategies as st

from nacwire.pyrad import dictionary


def _words(line: str) -> list[str]:
    return line.split("#")[0].split()


SEPARATOR = st.text(alphabet="\t \x0b\x0c", min_size=1, max_size=3)
ODD = st.sampled_from(
    ["\x00", "\x1c", "\x1f", "\x7f", "#", "\xa0", "\u3000", "é", "\x85", "\u2028"]
)
WORD = st.text(alphabet="aZ09-_.x", min_size=1, max_size=19)
PIECE = st.one_of(SEPARATOR, WORD, ODD, st.sampled_from(["VALUE", "Mode", "7", "0x1f"]))


def _expected(lines: list[str]) -> dict[str, bytes] | int:
    """The values of Mode after the lines, or the number of the line with an error."""
    values: dict[str, bytes] = {}
    for number, line in enumerate(lines, start=2):
        tokens = _words(line)
        if not tokens or tokens[0].upper() != "VALUE":
            continue
        if len(tokens) != 4:
            return number
        if tokens[1] != "Mode":
            continue  # a VALUE of an unknown attribute: a warning
        try:
            values[tokens[2]] = struct.pack("!I", int(tokens[3], 0))
        except (ValueError, struct.error):
            return number
    return values


# a VALUE line's name and number with odd characters among them, then anything
NAME = st.lists(st.one_of(WORD, ODD), min_size=1, max_size=3).map("".join)
NUMBER = st.lists(st.one_of(st.sampled_from(["7", "12", "0x1f"]), ODD), min_size=1, max_size=2).map(
    "".join
)
VALUE_LINE = st.tuples(
    st.sampled_from(["VALUE\tMode\t", " VALUE Mode ", "VALUE\x0bMode\t\t"]),
    NAME,
    SEPARATOR,
    NUMBER,
    st.lists(PIECE, max_size=4).map("".join),
).map("".join)
LINE = st.one_of(VALUE_LINE, st.lists(PIECE, max_size=10).map("".join))


@settings(max_examples=500, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=6), st.sampled_from(["\n", ""]))
def test_lines_split_as_str_split(texts: list[str], last: str) -> None:
    text = "ATTRIBUTE Mode 5 integer\n" + "\n".join(texts) + last
    expected = _expected(texts)
    if isinstance(expected, int):
        with pytest.raises(dictionary.ParseError) as err:
            dictionary.Dictionary(io.StringIO(text))
        assert err.value.line == expected
    else:
        d = dictionary.Dictionary(io.StringIO(text))
        assert dict(d["Mode"].values.forward) == expected


@pytest.mark.parametrize("name", ["Gone", "Gone-Longer-Name-X", "G"])
def test_a_dropped_name_takes_values_once_an_attribute_defines_it(name: str) -> None:
    # the VALUEs of a skipped attribute are dropped, until an ATTRIBUTE defines the name
    text = (
        f"ATTRIBUTE {name} 7 uint32\nVALUE {name} A 1\nVALUE Other Z 9\n"
        f"ATTRIBUTE {name} 7 integer\nVALUE {name} B 2\nATTRIBUTE Other 8 short\n"
    )
    d = dictionary.Dictionary(io.StringIO(text))
    assert dict(d[name].values.forward) == {"B": b"\x00\x00\x00\x02"}
    assert dict(d["Other"].values.forward) == {"Z": b"\x00\x09"}


@pytest.mark.parametrize(
    ("datatype", "text", "octets"),
    [
        ("byte", "255", b"\xff"),
        ("short", "0x102", b"\x01\x02"),
        ("integer", "258", b"\x00\x00\x01\x02"),
        ("date", "4294967295", b"\xff\xff\xff\xff"),
        ("signed", "-2", b"\xff\xff\xff\xfe"),
        ("integer64", "258", b"\x00\x00\x00\x00\x00\x00\x01\x02"),
    ],
)
def test_integer_values_keep_their_width(datatype: str, text: str, octets: bytes) -> None:
    """VALUEs of each integer width (packed natively until ``values`` is read) come
    back as pyrad encodes them, next to a name of every length up to 40."""
    lines = [f"ATTRIBUTE Num 1 {datatype}"]
    lines += [f"VALUE Num {'N' * n} {text}" for n in range(1, 41)]
    d = dictionary.Dictionary(io.StringIO("\n".join(lines) + "\n"))
    forward = d.attributes["Num"].values.forward
    assert list(forward) == ["N" * n for n in range(1, 41)]
    assert set(forward.values()) == {octets}
