"""Recursive ``$INCLUDE`` in nacwire.pyrad.dictionary: a file that includes itself,
directly, through another file or through a symbolic link, is pyrad's ``ParseError``
("Recursive include of <target>", with the including file and line); a hard link is
another file by real path (pyrad compares ``os.path.realpath``), so its first include
is read and the recursion is caught one level down. Missing files are ``OSError``s
naming the path."""

from __future__ import annotations

import logging
import os
import pathlib

import pytest

from nacwire.pyrad.dictionary import Dictionary, ParseError

ATTR = "ATTRIBUTE\tUser-Name\t1\tstring\n"


def _parse_error(path: pathlib.Path) -> ParseError:
    with pytest.raises(ParseError) as err:
        Dictionary(str(path))
    return err.value


def test_a_file_that_includes_itself(tmp_path: pathlib.Path) -> None:
    root = tmp_path / "dictionary"
    root.write_text(ATTR + "$INCLUDE dictionary\n")
    err = _parse_error(root)
    assert "Recursive include of dictionary" in str(err)
    assert (err.file, err.line) == ("dictionary", 2)


def test_a_cycle_through_another_file(tmp_path: pathlib.Path) -> None:
    (tmp_path / "dictionary").write_text("$INCLUDE sub/dictionary.a\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "dictionary.a").write_text(ATTR + "$INCLUDE ../dictionary\n")
    err = _parse_error(tmp_path / "dictionary")
    assert "Recursive include of ../dictionary" in str(err)
    assert (err.file, err.line) == ("dictionary.a", 2)  # (pyrad names files by basename)


def test_a_symbolic_link_is_the_same_file(tmp_path: pathlib.Path) -> None:
    root = tmp_path / "dictionary"
    root.write_text(ATTR + "$INCLUDE alias\n")
    (tmp_path / "alias").symlink_to(root)
    err = _parse_error(root)
    assert "Recursive include of alias" in str(err)


def test_a_hard_link_is_another_file_by_real_path(tmp_path: pathlib.Path) -> None:
    root = tmp_path / "dictionary"
    root.write_text(ATTR + "$INCLUDE twin\n")
    os.link(root, tmp_path / "twin")
    err = _parse_error(root)
    # root includes twin (another real path, same inode); twin then includes itself
    assert "Recursive include of twin" in str(err)
    assert (err.file, err.line) == ("twin", 2)


def test_the_same_file_twice_side_by_side_is_not_recursion(tmp_path: pathlib.Path) -> None:
    (tmp_path / "dictionary").write_text("$INCLUDE a\n$INCLUDE a\n")
    (tmp_path / "a").write_text("VENDOR Acme 9999\n")
    d = Dictionary(str(tmp_path / "dictionary"))
    assert d.vendors.forward["Acme"] == 9999


def test_a_missing_include_names_the_path(tmp_path: pathlib.Path) -> None:
    (tmp_path / "dictionary").write_text("$INCLUDE nowhere\n")
    with pytest.raises(FileNotFoundError) as err:
        Dictionary(str(tmp_path / "dictionary"))
    assert err.value.filename == str(tmp_path / "nowhere")


def test_an_include_that_is_not_utf8_is_a_unicode_decode_error(tmp_path: pathlib.Path) -> None:
    """pyrad reads files in text mode: bytes that are not UTF-8 raise the decoder's
    UnicodeDecodeError (a ValueError), not an OSError."""
    (tmp_path / "dictionary").write_text(ATTR + "$INCLUDE latin1\n")
    body = b"ATTRIBUTE\tCaf\xe9-Id\t2\tstring\n"
    (tmp_path / "latin1").write_bytes(body)
    with pytest.raises(UnicodeDecodeError) as err:
        Dictionary(str(tmp_path / "dictionary"))
    assert str(err.value) == (
        "'utf-8' codec can't decode byte 0xe9 in position 13: invalid continuation byte"
    )
    assert (err.value.object, err.value.start) == (body, 13)


def test_a_directory_named_by_include_is_an_os_error(tmp_path: pathlib.Path) -> None:
    (tmp_path / "dictionary").write_text("$INCLUDE sub\n")
    (tmp_path / "sub").mkdir()
    with pytest.raises(IsADirectoryError) as err:
        Dictionary(str(tmp_path / "dictionary"))
    assert err.value.filename == str(tmp_path / "sub")


@pytest.mark.parametrize("level", [logging.DEBUG, logging.WARNING])
def test_unsupported_attributes_are_counted_in_one_warning(
    tmp_path: pathlib.Path, caplog: pytest.LogCaptureFixture, level: int
) -> None:
    """pyrad 2.6's report: each skipped attribute at DEBUG, then one warning with the
    count and the kinds, sorted without repeats."""
    (tmp_path / "dictionary").write_text(
        ATTR
        + "ATTRIBUTE\tA-Prefix\t200\tipv4prefix\n"
        + "ATTRIBUTE\tB-Prefix\t201\tipv4prefix\n"
        + "ATTRIBUTE\tC-Ext\t241\textended\n"
    )
    with caplog.at_level(level, logger="pyrad"):
        d = Dictionary(str(tmp_path / "dictionary"))
    assert "User-Name" in d.attributes and "A-Prefix" not in d.attributes
    debug = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(debug) == (3 if level == logging.DEBUG else 0)
    assert warnings == [
        "Skipped 3 unsupported dictionary attributes (data type extended, data type ipv4prefix)"
    ]
