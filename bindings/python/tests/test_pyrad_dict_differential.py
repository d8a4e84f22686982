"""The dictionary reader against the real pyrad 2.6, on generated dictionary texts.

Hypothesis writes dictionary texts line by line (ATTRIBUTE, VALUE, VENDOR,
BEGIN-VENDOR/END-VENDOR and $INCLUDE lines with good and bad fields, keywords in
other letter cases, comments, blank lines, odd separators, ``\\r\\n`` line ends,
non-ASCII names), and both ``Dictionary`` classes read each text from an
``io.StringIO``. Either both raise the same error (type, and for ``ParseError`` the
message, file and line) or both end with the same vendors, attributes, attribute
index and warnings on the ``pyrad`` logger.

Needs the real pyrad 2.6 importable next to nacwire (NACWIRE_REQUIRE_PYRAD=1 makes a
missing pyrad fail instead of skipping, as in test_pyrad_differential.py).
"""

from __future__ import annotations

import io
import logging
import os
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

if os.environ.get("NACWIRE_REQUIRE_PYRAD") != "1":
    pytest.importorskip("pyrad")
import pyrad.dictionary

import nacwire.pyrad.dictionary

assert "nacwire" not in (pyrad.__file__ or ""), "the real pyrad is needed here, not the alias"

LIBS = {"nacwire": nacwire.pyrad.dictionary, "pyrad": pyrad.dictionary}
EXAMPLES = int(os.environ.get("NACWIRE_DICT_DIFF_EXAMPLES", "300"))

# Included files live in a directory made once per module; generated lines name them
# through the {INC} placeholder.
_INC_DIR = tempfile.mkdtemp(prefix="nacwire-dictdiff-")
_INC_FILES = {
    "good": "ATTRIBUTE Inc-Attr 200 integer\nVALUE Inc-Attr one 1\nVALUE A inc 7\n",
    "bad": "ATTRIBUTE Inc-Ok 201 string\nATTRIBUTE Inc-Bad 202 nosuchtype\n",
    "self": "ATTRIBUTE Inc-Self 203 octets\n$INCLUDE {INC}/self\n",
    "nested": "VENDOR Inc-Vendor 77\n$INCLUDE good\nATTRIBUTE Inc-V 1 string Inc-Vendor\n",
}
for _name, _text in _INC_FILES.items():
    with open(os.path.join(_INC_DIR, _name), "w", encoding="utf-8") as _f:
        _f.write(_text.replace("{INC}", _INC_DIR))


def _variants(word: str) -> list[str]:
    # Keyword spellings: pyrad compares str.upper() of the first word, so the lower-case
    # dotless i (U+0131, upper-cases to "I") matches too, the dotted capital I does not.
    out = [word, word.lower(), word.capitalize(), word.swapcase()[:2] + word[2:]]
    if "I" in word:
        out.append(word.lower().replace("i", "\u0131"))
        out.append(word.replace("I", "\u0130"))
    return out


def _mostly(good: st.SearchStrategy[Any], bad: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`good` nine times in ten: a text fails at its first bad line, so bad fields are rare."""
    return st.integers(0, 9).flatmap(lambda r: good if r else bad)


NAMES = _mostly(
    st.sampled_from(["A", "B", "Tlv", "Sub", "User-Name", "x.y", "Ünï-Cödé", "ß", "\u0131d"]),
    st.sampled_from(["A#b", "Inc-Attr", "Inc-V"]),
)
VENDOR_NAMES = _mostly(
    st.sampled_from(["V1", "V2", "Acme", "Vé"]), st.sampled_from(["encrypt=1", "has_tag", "X"])
)
VALUE_NAMES = st.sampled_from(["one", "two", "Ünï", "x"])

# pyrad accepts exactly the lower-case type names; we also accept other cases
# (COMPATIBILITY.md, deliberate difference), so no case variant of a type is generated.
TYPES = _mostly(
    st.sampled_from(sorted(pyrad.dictionary.DATATYPES)),
    st.sampled_from(
        [
            *sorted(pyrad.dictionary.UNSUPPORTED_DATATYPES),
            "foo", "string[", "octets[16]", "[x", "int", "integer[4]", "tlv[]", "uint",
        ]
    ),
)  # fmt: skip

CODES = _mostly(
    st.one_of(
        st.integers(1, 300).map(str),
        st.integers(1, 300).map(hex),
        st.tuples(st.sampled_from([241, 26, 5, 0x1A]), st.integers(0, 260)).map(
            lambda t: f"{t[0]}.{t[1]}"
        ),
        st.sampled_from(["241", "26", "5", "0x1a", "0o17", "017", "0", "256", "65536"]),
    ),
    st.sampled_from(
        [
            "0X1a", "1.2.3", "241.1.1", "-1", "+5", "1_0", "0x_1", "abc", "0x", "1.", ".1",
            "\u0663", "99999999999999999999", "4294967296", "0b1", "0o", "1..2", "0x1.0x2",
            "1e3",
        ]
    ),
)  # fmt: skip

FLAGS = _mostly(
    st.sampled_from(
        [
            "encrypt=1", "encrypt=2", "encrypt=3", "has_tag", "encrypt=2,has_tag",
            "has_tag,encrypt=1", "concat", "array", "secret", "virtual", "V1", "Acme", "Vé",
            "format=1", "concat,x=1",
        ]
    ),
    st.sampled_from(
        [
            "encrypt=4", "encrypt=", "encrypt", "V1,has_tag", "garbage", "has_tag=1",
            "encrypt=1=2", "array,has_tag", ",", "=", "V2",
        ]
    ),
)  # fmt: skip

VALUE_NUMBERS = _mostly(
    st.one_of(
        st.integers(0, 300).map(str),
        st.integers(0, 2**32).map(hex),
        st.sampled_from(["0b101", "0o17", "0", "-0x10", "1_000", "0x_1f", "+7", "-1"]),
        st.sampled_from(["192.168.0.1", "::1", "2001:db8::/32", "abc", "00:11:22:33:44:55"]),
    ),
    st.one_of(
        st.integers(-(2**64), 2**64).map(str),
        st.sampled_from(
            [
                "017", "00", "1.5", "\u0663", "4294967295", "4294967296", "255", "256",
                "65535", "65536", "-2147483648", "2147483647", "2147483648",
                "18446744073709551615", "18446744073709551616", "0x", "aabb", "0x0102",
            ]
        ),
    ),
)  # fmt: skip

VENDOR_IDS = _mostly(
    st.one_of(st.integers(0, 70000).map(str), st.integers(0, 70000).map(hex)),
    st.sampled_from(["-1", "0o17", "017", "abc", "0b11", "4294967296", "1_0", "0X10"]),
)
VENDOR_FORMATS = _mostly(
    st.sampled_from(
        ["format=1,1", "format=2,1", "format=1,0", "format=4,0", "format=2,2", "format=1,1,c",
         "format=4,0,c"]
    ),
    st.sampled_from(
        ["format=3,1", "format=x", "format=1", "format=", "fmt=1,1", "format=1,1,1", "format=Acme"]
    ),
)  # fmt: skip

INCLUDES = st.sampled_from(
    [
        "$INCLUDE {INC}/good", "$include {INC}/good", "$INCLUDE- {INC}/good",
        "$INCLUDE {INC}/bad", "$INCLUDE {INC}/self", "$INCLUDE {INC}/nested",
        "$INCLUDE- /nonexistent/nacwire-dictdiff", "$\u0131nclude- {INC}/good",
        "$INCLUDE /nonexistent/nacwire-dictdiff", "$INCLUDE- {INC}/missing",
        "$INCLUDE {INC}/good # comment", "$INCLUDE {INC}/go#od", "$INCLUDEX {INC}/good",
        "$INCLUDE", "$INCLUDE-  # nothing", "$INCLUDE- {INC}/good extra",
    ]
)  # fmt: skip


PREAMBLE = [
    "VENDOR V1 9",
    "VENDOR V2 311",
    "VENDOR Acme 0x10 format=1,1",
    "VENDOR Vé 4 format=2,1",
    "ATTRIBUTE Tlv 241 tlv",
    "ATTRIBUTE Ext 26 tlv",
    "ATTRIBUTE Old 5 ipv4prefix",
    "ATTRIBUTE A 1 integer",
]


@st.composite
def attribute_line(draw: st.DrawFn) -> list[str]:
    words = [
        draw(st.sampled_from(_variants("ATTRIBUTE"))),
        draw(NAMES),
        draw(CODES),
        draw(TYPES),
    ]
    if draw(st.booleans()):
        words.append(draw(FLAGS))
    return words


@st.composite
def value_line(draw: st.DrawFn) -> list[str]:
    return [
        draw(st.sampled_from(_variants("VALUE"))),
        draw(_mostly(NAMES, st.sampled_from(["Undefined", "Inc-Attr"]))),
        draw(VALUE_NAMES),
        draw(VALUE_NUMBERS),
    ]


@st.composite
def vendor_line(draw: st.DrawFn) -> list[str]:
    words = [
        draw(st.sampled_from(_variants("VENDOR"))),
        draw(VENDOR_NAMES),
        draw(VENDOR_IDS),
    ]
    if draw(st.integers(0, 3)) == 0:
        words.append(draw(VENDOR_FORMATS))
    return words


@st.composite
def begin_end_line(draw: st.DrawFn, open_vendor: str | None) -> list[str]:
    if open_vendor is None or draw(st.integers(0, 9)) == 0:
        words = [draw(st.sampled_from(_variants("BEGIN-VENDOR"))), draw(VENDOR_NAMES)]
        if draw(st.integers(0, 4)) == 0:
            words.append(draw(st.sampled_from(["format=Acme", "format=", "fmt=1", "x"])))
        return words
    # mostly the open vendor's END-VENDOR, sometimes another one
    name = draw(_mostly(st.just(open_vendor), VENDOR_NAMES))
    return [draw(st.sampled_from(_variants("END-VENDOR"))), name]


@st.composite
def mangled(draw: st.DrawFn, words: list[str]) -> list[str]:
    """Now and then a word too few, a word too many, or a word unknown to the reader."""
    roll = draw(st.integers(0, 39))
    if roll == 0 and len(words) > 1:
        return words[: draw(st.integers(1, len(words) - 1))]
    if roll == 1:
        return [*words, draw(st.sampled_from(["extra", "has_tag", "1", "#x"]))]
    if roll == 2:
        return [draw(st.sampled_from(["VALUES", "ATTRIBUTES", "FLAGS", "PROTOCOL"])), *words[1:]]
    return words


# Word separators: str.split() splits on every Unicode white space, so the rare ones
# (vertical tab, form feed, U+001C-U+001F, U+0085, NBSP, U+2003, U+2028, U+3000, a lone
# CR) are in the mix with tabs and spaces. A line ends only at "\n" (StringIO).
SEPARATORS = _mostly(
    st.sampled_from([" ", "\t", "  ", " \t ", "\t\t"]),
    st.sampled_from(
        ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\xa0", "\u2003", "\u2028",
         "\u3000", "\r", "\u200b"]
    ),
)  # fmt: skip


@st.composite
def line_text(draw: st.DrawFn, open_vendor: str | None) -> tuple[str, list[str]]:
    kind = draw(st.integers(0, 19))
    if kind == 0:
        text = draw(st.sampled_from(["", " ", "\t", "#", "# comment", "  # x", "\x0c", "\xa0"]))
        return text, []
    if kind == 1:
        return draw(INCLUDES), []
    if kind <= 9:
        words = draw(attribute_line())
    elif kind <= 14:
        words = draw(value_line())
    elif kind <= 17:
        words = draw(vendor_line())
    else:
        words = draw(begin_end_line(open_vendor))
    words = draw(mangled(words))
    if draw(st.integers(0, 29)) == 0:
        # a comment inside a word cuts the line there
        i = draw(st.integers(0, len(words) - 1))
        w = words[i]
        j = draw(st.integers(0, len(w)))
        words[i] = w[:j] + "#" + w[j:]
    text = words[0]
    for word in words[1:]:
        text += draw(SEPARATORS) + word
    prefix = draw(st.sampled_from(["", "", "", " ", "\t", "\xa0"]))
    suffix = draw(
        st.sampled_from(["", "", "", " ", "\t", " # trailing comment", "#", "\r", " \x0b"])
    )
    return prefix + text + suffix, words


@st.composite
def dictionary_text(draw: st.DrawFn) -> str:
    ends = draw(st.sampled_from(["\n", "\r\n", "mixed"]))
    # Most texts start from some good definitions (the vendors and TLVs that the lines
    # name), or a text would mostly stop at its first vendor or sub-attribute.
    out = [line + "\n" for line in draw(st.lists(st.sampled_from(PREAMBLE), unique=True))]
    open_vendor = None
    for _ in range(draw(st.integers(0, 30))):
        line, words = draw(line_text(open_vendor))
        key = words[0].upper() if words else ""
        if key == "BEGIN-VENDOR" and len(words) > 1:
            open_vendor = words[1]
        elif key == "END-VENDOR":
            open_vendor = None
        out.append(line + (draw(st.sampled_from(["\n", "\r\n"])) if ends == "mixed" else ends))
    text = "".join(out)
    if text and draw(st.booleans()):
        text = text.rstrip("\r\n")  # no line end after the last line
    return text.replace("{INC}", _INC_DIR)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append((record.levelno, record.getMessage()))


def _read(lib: Any, text: str) -> tuple[str, Any, list[tuple[int, str]]]:
    """("ok", view) or ("error", details), and the warnings on the pyrad logger."""
    log = logging.getLogger("pyrad")
    handler = _Records()
    log.addHandler(handler)
    try:
        d = lib.Dictionary(io.StringIO(text))
    except lib.ParseError as e:
        return "error", ("ParseError", str(e), e.file, e.line), handler.messages
    except Exception as e:  # OSError from $INCLUDE, anything else compared by type and text
        return "error", (type(e).__name__, str(e)), handler.messages
    finally:
        log.removeHandler(handler)
    return "ok", _view(d), handler.messages


def _view(d: Any) -> dict[str, Any]:
    attrs = {}
    for name, a in d.attributes.items():
        attrs[name] = (
            a.name,
            a.code,
            a.type,
            a.vendor,
            a.encrypt,
            a.has_tag,
            a.is_sub_attribute,
            dict(a.values.forward),
            sorted(a.sub_attributes.items()),
            a.parent.name if a.parent is not None else None,
        )
    return {
        "vendors": (dict(d.vendors.forward), dict(d.vendors.backward)),
        "attributes": attrs,
        "attribute order": list(d.attributes),
        "attrindex": (dict(d.attrindex.forward), dict(d.attrindex.backward)),
        "skipped": sorted(d.skipped_attributes),
    }


def _deliberate(ours: tuple[str, Any, Any], theirs: tuple[str, Any, Any]) -> bool:
    """The differences COMPATIBILITY.md lists as deliberate: pyrad's IndexError for a
    VENDOR option that is a bare ``format`` is our ParseError."""
    return (
        ours[0] == theirs[0] == "error"
        and theirs[1][0] == "IndexError"
        and ours[1][0] == "ParseError"
        and "Syntax error in vendor specification" in ours[1][1]
    )


def _compare(text: str) -> None:
    ours = _read(LIBS["nacwire"], text)
    theirs = _read(LIBS["pyrad"], text)
    assert ours == theirs or _deliberate(ours, theirs), f"dictionary text {text!r}"


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(dictionary_text())
def test_generated_dictionaries_read_as_pyrad_reads_them(text: str) -> None:
    _compare(text)


@pytest.mark.parametrize(
    "text",
    [
        "ATTRIBUTE A 1 integer\nVALUE A one 0x10\nVALUE A two -1\n",
        "attr\u0131bute A 1 string\nVALUE A x 1\n",
        "ATTRIBUTE\x1cA\x851\u2028integer\n",
        "VENDOR V1 9\nBEGIN-VENDOR V1\nATTRIBUTE A 1 octets\nEND-VENDOR V2\n",
        "ATTRIBUTE Tlv 241 tlv\nATTRIBUTE Sub 241.1 integer\nVALUE Sub one 1\n",
        "VALUE U x 1\r\nATTRIBUTE A 1 ipv4prefix\r\nATTRIBUTE B 0x1a byte has_tag\r\n",
        f"ATTRIBUTE A 1 integer\n$INCLUDE {_INC_DIR}/nested\nVALUE Inc-Attr two 2\n",
        f"ATTRIBUTE A 1 integer\n$INCLUDE {_INC_DIR}/bad\n",
        f"$INCLUDE {_INC_DIR}/self\n",
    ],
)
def test_fixed_dictionaries_read_as_pyrad_reads_them(text: str) -> None:
    _compare(text)


@pytest.mark.parametrize(
    "text",
    ["VALUE A one\x1c0\n", "ATTRIBUTE A 1\x1dinteger\n", "ATTRIBUTE\x1eÜ 1\x1finteger\n"],
)
def test_information_separators_split_words(text: str) -> None:
    # Python's str.split() splits on U+001C..U+001F as well as on Unicode White_Space;
    # the reader once split on White_Space only ("Incorrect number of tokens").
    _compare(text)


def test_lone_carriage_return_in_text_from_a_file_object() -> None:
    # A StringIO's lines end only at "\n": pyrad splits a lone "\r" inside a line as
    # white space; the reader once made it a line end (text mode) for such text too.
    _compare("ATTRIBUTE A 0\rabinary\nATTRIBUTE B\r2 string\n")


def test_include_directive_in_unicode_case() -> None:
    # pyrad matches str.upper() of the first word: "$\u0131nclude-" (dotless i) is
    # "$INCLUDE-"; the reader once compared it in ASCII case only and ignored the line.
    _compare(f"$\u0131nclude- {_INC_DIR}/good\n$\u0131NCLUDE {_INC_DIR}/nested\n")


def test_warnings_before_a_deferred_value_error() -> None:
    # pyrad warns about the VALUE of an unknown attribute in its deferred pass, before a
    # later deferred VALUE raises; the reader once logged its warnings only on success.
    text = "VALUE X a 1\nVALUE Y b zz\nATTRIBUTE Y 1 integer\n"
    _compare(text)
    assert _read(LIBS["pyrad"], text)[2], "pyrad warns here"


def test_begin_vendor_with_an_empty_format() -> None:
    # pyrad keeps `format=`'s empty text and tests its truth: the attributes are read,
    # not skipped as extended vendor-specific ones (the reader once skipped them).
    _compare("VENDOR V1 9\nBEGIN-VENDOR V1 format=\nATTRIBUTE A 1 integer\nEND-VENDOR V1\n")


@pytest.fixture(autouse=True)
def _quiet_pyrad_logger() -> Iterator[None]:
    # The warnings are compared, not shown: keep them out of the test report.
    log = logging.getLogger("pyrad")
    propagate = log.propagate
    log.propagate = False
    yield
    log.propagate = propagate


def test_bare_vendor_format_is_a_parse_error() -> None:
    # Found by the generated test: pyrad 2.6 indexes past "format" (IndexError); a
    # malformed dictionary is a ParseError here (COMPATIBILITY.md), pinned both ways.
    text = "VENDOR\x0bencrypt=1\x0b-1\x0bformat#=3,1\x0bextra\n"
    ours = _read(LIBS["nacwire"], text)
    theirs = _read(LIBS["pyrad"], text)
    assert ours[1][0] == "ParseError" and theirs[1][0] == "IndexError", (ours, theirs)
    _compare(text)
