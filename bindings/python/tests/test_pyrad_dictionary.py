"""nacwire.pyrad.dictionary's deferred named values: the reader keeps an attribute's
VALUE definitions packed and builds its ``values`` BiDict when it is first read. These
tests read the values at every point where the deferral could give a different answer
(after a later file added more, after the user changed them, after a redefinition,
through copies and pickles, after a parse error) and compare them with a BiDict filled
by ``BiDict.Add`` in file order, which is what pyrad does."""

from __future__ import annotations

import copy
import io
import pickle
import struct

import pytest
from hypothesis import given, settings, strategies as st

from nacwire.pyrad import bidict, dictionary

HEAD = "ATTRIBUTE Mode 5 integer\nATTRIBUTE Kind 6 short\n"


def _octets(datatype: str, n: int) -> bytes:
    return struct.pack("!I" if datatype == "integer" else "!H", n)


def _view(values: bidict.BiDict) -> tuple[list[tuple[str, bytes]], list[tuple[bytes, str]]]:
    return list(values.forward.items()), list(values.backward.items())


def _reference(adds: list[tuple[str, bytes]]) -> bidict.BiDict:
    ref = bidict.BiDict()
    for key, value in adds:
        ref.Add(key, value)
    return ref


# One step: a VALUE line in the first or the second file, a read of the values
# between the files, or a user Add between the files.
step = st.one_of(
    st.tuples(
        st.just("value"),
        st.sampled_from(["first", "second"]),
        st.sampled_from(["Mode", "Kind"]),
        st.sampled_from(["A", "B", "C"]),
        st.integers(0, 3),
    ),
    st.tuples(st.just("read"), st.sampled_from(["Mode", "Kind"])),
    st.tuples(
        st.just("add"),
        st.sampled_from(["Mode", "Kind"]),
        st.sampled_from(["A", "B", "D"]),
        st.integers(0, 3),
    ),
)


@settings(max_examples=300, deadline=None)
@given(steps=st.lists(step, max_size=14), hex_values=st.booleans())
def test_values_match_bidict_add_in_file_order(steps: list[tuple], hex_values: bool) -> None:
    """VALUEs of both files, user Adds and reads in between: each attribute's values
    are what BiDict.Add in that order gives (aliases and replaced values included)."""
    types = {"Mode": "integer", "Kind": "short"}
    first = [s for s in steps if s[0] == "value" and s[1] == "first"]
    second = [s for s in steps if s[0] == "value" and s[1] == "second"]
    between = [s for s in steps if s[0] in ("read", "add")]

    def line(s: tuple) -> str:
        number = hex(s[4]) if hex_values else str(s[4])
        return f"VALUE {s[2]} {s[3]} {number}\n"

    d = dictionary.Dictionary(io.StringIO(HEAD + "".join(map(line, first))))
    adds: dict[str, list[tuple[str, bytes]]] = {"Mode": [], "Kind": []}
    for s in first:
        adds[s[2]].append((s[3], _octets(types[s[2]], s[4])))
    for s in between:
        if s[0] == "read":
            assert _view(d[s[1]].values) == _view(_reference(adds[s[1]]))
        else:
            d[s[1]].values.Add(s[2], _octets(types[s[1]], s[3]))
            adds[s[1]].append((s[2], _octets(types[s[1]], s[3])))
    d.ReadDictionary(io.StringIO("".join(map(line, second))))
    for s in second:
        adds[s[2]].append((s[3], _octets(types[s[2]], s[4])))
    for name in ("Mode", "Kind"):
        assert _view(d[name].values) == _view(_reference(adds[name])), name


def test_a_value_before_its_attribute_and_a_redefinition() -> None:
    """A VALUE before its ATTRIBUTE lands once the file is read; a redefined attribute
    starts empty while the object it replaced keeps what it had."""
    d = dictionary.Dictionary(
        io.StringIO(
            "VALUE Late Early 7\n"
            "ATTRIBUTE Late 7 integer\n"
            "ATTRIBUTE Again 8 integer\n"
            "VALUE Again Old 1\n"
        )
    )
    old = d["Again"]
    d.ReadDictionary(io.StringIO("ATTRIBUTE Again 9 integer\nVALUE Again New 2\n"))
    assert d["Late"].values.forward == {"Early": b"\x00\x00\x00\x07"}
    assert d["Again"] is not old
    assert d["Again"].values.forward == {"New": b"\x00\x00\x00\x02"}
    assert old.values.forward == {"Old": b"\x00\x00\x00\x01"}


def test_a_redefinition_within_one_file_keeps_the_old_objects_values() -> None:
    """Within one read too: the TLV's first definition (still a sub-attribute's parent)
    keeps its values, the new one has only its own."""
    d = dictionary.Dictionary(
        io.StringIO(
            "ATTRIBUTE Box 241 tlv\n"
            "ATTRIBUTE Box-Item 241.1 integer\n"
            "VALUE Box-Item One 1\n"
            "ATTRIBUTE Box-Item 241.1 integer\n"
            "VALUE Box-Item Two 2\n"
        )
    )
    assert d["Box-Item"].values.forward == {"Two": b"\x00\x00\x00\x02"}
    assert d["Box-Item"].parent is d["Box"]


def test_copies_and_pickles_keep_unread_values() -> None:
    text = HEAD + "VALUE Mode On 1\nVALUE Mode Off 0\nVALUE Kind Big 0x100\n"
    for clone in (copy.copy, copy.deepcopy, lambda a: pickle.loads(pickle.dumps(a))):
        d = dictionary.Dictionary(io.StringIO(text))
        mode = clone(d["Mode"])
        kind = clone(d["Kind"])
        assert _view(mode.values) == (
            [("On", b"\0\0\0\1"), ("Off", b"\0\0\0\0")],
            [(b"\0\0\0\1", "On"), (b"\0\0\0\0", "Off")],
        )
        assert kind.values.forward == {"Big": b"\x01\x00"}
        assert _view(d["Mode"].values) == _view(mode.values)


def test_a_parse_error_leaves_the_values_read_before_it() -> None:
    d = dictionary.Dictionary()
    with pytest.raises(dictionary.ParseError) as err:
        d.ReadDictionary(io.StringIO(HEAD + "VALUE Mode On 1\nVALUE Mode Bad 4294967296\n"))
    assert err.value.line == 4
    assert d["Mode"].values.forward == {"On": b"\x00\x00\x00\x01"}


class Tagged(dictionary.Attribute):
    def __init__(self, name: str, code: int, datatype: str, **kw: object) -> None:
        super().__init__(name, code, datatype, **kw)
        self.tag = "mine"


def test_attribute_constructor_and_subclasses() -> None:
    """pyrad's constructor (values through BiDict.Add, ValueError for an unknown type),
    and a subclass that calls super().__init__ with those arguments and adds a field."""
    attr = dictionary.Attribute("Mode", 5, "integer", vendor="Acme", values={"On": b"\0\0\0\1"})
    assert (attr.name, attr.code, attr.type, attr.vendor) == ("Mode", 5, "integer", "Acme")
    assert (attr.encrypt, attr.has_tag, attr.is_sub_attribute, attr.parent) == (
        0,
        False,
        False,
        None,
    )
    assert attr.values.forward == {"On": b"\0\0\0\1"} and attr.sub_attributes == {}
    with pytest.raises(ValueError, match="Invalid data type"):
        dictionary.Attribute("Mode", 5, "bogus")

    t = Tagged("Name", 1, "string", has_tag=True)
    assert (t.name, t.has_tag, t.tag, isinstance(t, dictionary.Attribute)) == (
        "Name",
        True,
        "mine",
        True,
    )
    back = pickle.loads(pickle.dumps(t))
    assert (type(back), back.name, back.has_tag, back.tag) == (Tagged, "Name", True, "mine")
