"""Bytes → source text: encodings, newlines, and clear errors for what cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest

import transcript_model
from exporters.tei import _XML_FORBIDDEN as _XML_FORBIDDEN_IN_TEI
from transcript_model import UnreadableInputError, decode
from transcript_model.blocks import split_blocks
from transcript_model.reading import _XML_FORBIDDEN, has_xml_forbidden, utf8_has_xml_forbidden


def test_bom_and_newlines_are_normalised() -> None:
    assert decode(b"\xef\xbb\xbfQuestion: a?\r\n\r\nAnswer: b.\rmore") == "Question: a?\n\nAnswer: b.\nmore"


def test_utf8_text_is_kept() -> None:
    assert decode("Сергей Лавров: Да.".encode()) == "Сергей Лавров: Да."


@pytest.mark.parametrize("data", [b"", b"   \n\n\t", b"\r\n"])
def test_empty_input_is_refused(data: bytes) -> None:
    with pytest.raises(UnreadableInputError, match="empty"):
        decode(data, source="x.txt")


def test_binary_input_names_the_line() -> None:
    with pytest.raises(UnreadableInputError) as err:
        decode(b"line one\nline two\x00\x01\x02", source="blob.bin")
    assert err.value.line == 2
    assert str(err.value).startswith("blob.bin:2: binary data")


def test_invalid_utf8_names_the_line_and_byte() -> None:
    with pytest.raises(UnreadableInputError) as err:
        decode("Заголовок\n\nтекст".encode("cp1251"), source="ru.txt")
    assert err.value.line == 1
    assert "not valid UTF-8" in str(err.value) and "ru.txt:1:" in str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInputError, match="cannot read"):
        transcript_model.read(tmp_path / "nope.txt")


def test_read_decodes_crlf_files(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(b"\xef\xbb\xbfQuestion: Why?\r\n\r\nSergey Lavrov: Because.\r\n")
    t = transcript_model.read(path)
    assert [turn.label for turn in t.turns] == ["Question", "Sergey Lavrov"]
    assert t.source_name == str(path)


def test_blocks_keep_exact_spans_and_lines() -> None:
    text = "\n\n  Title line  \n\nPara one\nwrapped\n \n\nPara two\n"
    blocks = split_blocks(text)
    assert [b.text for b in blocks] == ["Title line", "Para one\nwrapped", "Para two"]
    assert [b.line for b in blocks] == [3, 5, 9]
    for b in blocks:
        assert b.span.slice(text) == b.text


def test_parse_refuses_text_with_nothing_in_it() -> None:
    with pytest.raises(UnreadableInputError):
        transcript_model.parse(" \n\n ")


def test_the_quick_check_for_characters_xml_forbids_is_the_patterns() -> None:
    """Asked of UTF-8 bytes, it answers as the pattern on every character of the Basic
    Multilingual Plane (surrogates included) and a few beyond, alone and in text."""
    for cp in [*range(0x10000), 0x10000, 0x1F600, 0x10FFFF]:
        for text in (chr(cp), f"a{chr(cp)}b", f"№{chr(cp)}"):
            assert has_xml_forbidden(text) == (_XML_FORBIDDEN.search(text) is not None), hex(cp)
            if not 0xD800 <= cp <= 0xDFFF:  # the TEI writer encodes first: UTF-8 refuses surrogates
                in_tei = _XML_FORBIDDEN_IN_TEI.search(text) is not None
                assert utf8_has_xml_forbidden(text.encode(), nul=True) == in_tei, hex(cp)
