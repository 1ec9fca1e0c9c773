"""The parser's character scans in C (``transcript_model/_scan.c``) give the answers of their
Python definitions, which decide where the C module is not built: on random texts of the
characters they look for (every kind of ``str``: Latin-1, two and four bytes a character,
lone surrogates), on texts made of repeated words, and on the development corpus."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from conftest import SEED, SHARED
from hypothesis import example, given, settings
from hypothesis import strategies as st

from exporters import tei
from transcript_model import Span, blocks, parsing, reading, repairs, scans

NATIVE_MISSING = "the C scans (transcript_model/_scan.c) are not built here: no C compiler at install time"

try:
    from transcript_model import _scan as built
except ImportError:  # pragma: no cover - a machine without a C compiler
    built = None


@pytest.fixture(scope="module")
def native() -> ModuleType:
    if built is None:
        pytest.skip(NATIVE_MISSING)
    return built


# what the scans look at, and their neighbours: capitals and word letters of both alphabets
# (and the letters a case-insensitive pattern would confuse with them), spaces, marks, every
# control, the characters XML forbids, a surrogate, characters of two and four bytes
CHARS = [
    *"AZaz bOo",
    *"АЯЁаяёЖж",
    "'",
    "\u2019",
    "-",
    "\u00a0",
    *",;:!?.",
    *'&<>"',  # what markup escapes (with tab, newline and carriage return, among the controls)
    *(chr(c) for c in range(0x00, 0x20)),
    "\x7f",
    "\x80",
    "\x85",
    "\x9f",
    "\xa1",
    "\u017f",  # long s
    "\u212a",  # Kelvin sign
    "\u0400",
    "\u04ff",
    "\u0500",
    "\ufffe",
    "\uffff",
    "\ufffd",
    "\ud800",
    "\udfff",
    "№",
    "\U0001f600",
]
texts = st.lists(st.sampled_from(CHARS), max_size=40).map("".join)
# words that make hover cards and near misses ("Obama Obama Barack", "Obama Obamas", "USA USA")
WORDS = ["Obama", "Obama", "Barack", "obama", "Obamas", "O", "USA", "Лавров", "Лавров", "Сергей", "Lavrov’s", "Mr"]
worded = st.lists(
    st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", " ", "  ", ", ", ".", "\u00a0", "-", "'s "])), max_size=8
).map(lambda pairs: "".join(w + sep for w, sep in pairs))
any_text = st.one_of(texts, worded)

# the definition of repeated_capitalised_word, as a pattern
_REPEATED = re.compile(r"([A-ZА-ЯЁ][a-zа-яё'’-]+) \1 [A-ZА-ЯЁ]")


def _answers(native: ModuleType, text: str) -> list[tuple[str, object, object]]:
    """(scan, C answer, Python answer) for each scan of a text."""
    return [
        ("repeated_capitalised_word", native.repeated_capitalised_word(text), _REPEATED.search(text) is not None),
        ("space_before_mark", native.space_before_mark(text), repairs._has_space_before_punctuation_python(text)),
        ("has_xml_forbidden", native.has_xml_forbidden(text), reading._has_xml_forbidden_python(text)),
        ("has_control", native.has_control(text), repairs._has_control_python(text)),
        ("has_nul", native.has_nul(text), "\x00" in text),
        ("may_hold_mojibake", native.may_hold_mojibake(text), repairs._may_hold_mojibake_python(text)),
        (
            "non_ascii_word_character",
            native.non_ascii_word_character(text),
            repairs._NON_ASCII_WORD_CHAR.search(text) is not None,
        ),
        ("letter_counts", native.letter_counts(text), parsing._letter_counts_python(text)),
        ("xml_specials", native.xml_specials(text), tei._xml_specials_python(text)),
    ]


@settings(max_examples=600, deadline=None)
@example("a Obama Obama Barack said")
@example("Лавров Лавров Сергей")
@example("ObamaObama Obama Barack")  # the word starts at the second capital
@example("Obama Obama")  # no capital after
@example("x\ud800y\x07\u0085")
@given(any_text)
def test_each_scan_answers_as_its_python_definition(native: ModuleType, text: str) -> None:
    for name, c, python in _answers(native, text):
        assert c == python, (name, text)


# every character of the first planes (and the last of each plane but the first), in each
# place a scan looks at: where random texts could miss one character of a set
CODE_POINTS = [*range(0x3000), 0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xFFFD, 0xFFFE, 0xFFFF, 0x10000, 0x1F600]
CODE_POINTS += [plane * 0x10000 + 0xFFFF for plane in range(1, 17)]


def test_each_scan_answers_as_its_python_definition_for_every_character(native: ModuleType) -> None:
    for code in CODE_POINTS:
        c = chr(code)
        texts = [c, " " + c, c + ".", f"{c}a {c}a {c}a", f"A{c} A{c} Ab", f"Ab{c}Ab{c}Ab", f"Ab Ab {c}"]
        texts.append(f"Abcd Abce X{c}")  # words that differ at their end, in each storage of str
        # beside signs of mojibake and characters it is made of (U+0500 is a sign before a
        # character outside ASCII, and no such character; é is one, and no sign alone)
        texts += [f"a{c}\u2019", f"\u2019{c}", f"{c}\u00e9", f"{c}\u0100", f"{c}\u0500", f"\u0500{c} \u00e9"]
        for text in texts:
            for name, found, python in _answers(native, text):
                assert found == python, (name, hex(code), text)


# The scans that look for rare characters read a text in blocks of 64 characters (the block
# asked as a whole, then the rest one by one): every character the scans look at, and every
# pair a scan looks for (a space before a mark, a sign of mojibake before a character it is
# made of), at every place of texts two blocks and more long, of each storage of str.
BLOCK = 64
FILLERS = [
    "plain ascii words ",
    "plain \u2116 ascii ",
    "plain ascii \U0001f600 ",
    "\u0441\u043b\u043e\u0432\u043e ",
    "AbcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",  # blocks of letters only (counted)
    "\u0410\u0411\u0412\u0413\u0430\u0431\u0432\u0433\u0451\u04ff",
]
PAIRS = [" ,", " .", " ;", " :", " !", " ?", "\u00a0.", "\u00c3\u00a9", "\u00e9\u00e9", "\u2019\u0085", "\u0400\u00c2"]


def _filled(filler: str, length: int) -> str:
    return (filler * (length // len(filler) + 1))[:length]


@pytest.mark.parametrize("filler", FILLERS)
def test_each_scan_answers_as_its_python_definition_at_every_place_of_its_blocks(
    native: ModuleType, filler: str
) -> None:
    length = 2 * BLOCK + 5
    base = _filled(filler, length)
    for piece in [*CHARS, *PAIRS]:
        for at in range(length):
            for text in (base[:at] + piece + base[at:], base[:at] + piece):  # inside a block, and at the text's end
                for name, found, python in _answers(native, text):
                    assert found == python, (name, piece, at, filler)


def test_the_utf8_scan_answers_as_its_python_definition_at_every_place_of_its_blocks(native: ModuleType) -> None:
    length = 2 * BLOCK + 5
    base = _filled("plain ascii words \u2116\n", length).encode("utf-8")[:length]
    pieces = [bytes([b]) for b in range(256)] + [b"\xef\xbf\xbe", b"\xef\xbf\xbf", b"\xef\xbf\xbd", b"\xef\xbf"]
    for piece in pieces:
        for at in range(length):
            for data in (base[:at] + piece + base[at:], base[:at] + piece):
                for nul in (False, True):
                    expected = reading._utf8_has_xml_forbidden_python(data, nul=nul)
                    assert native.utf8_has_xml_forbidden(data, nul) == expected, (piece, at, nul)


@settings(max_examples=600, deadline=None)
@example("Obama Obama Barack")
@example("the Obama Obama Barack Hussein")
@given(any_text)
def test_the_document_hint_of_hover_cards_passes_every_text_holding_one(text: str) -> None:
    """The document's question may say yes where the rule finds nothing, never the reverse."""
    if repairs._has_hover_card(text):
        assert repairs._may_have_hover_card(text)
        assert repairs._may_have_hover_card("x " + text + " y")  # asked of paragraphs joined by spaces


# the blocks of a text: what separates them (newlines, the spaces a blank line may hold) and
# what strips them (every whitespace of str.strip and of the pattern's \\s, Latin-1 and not)
BLOCK_CHARS = [
    "\n",
    "\n",
    "\n",
    " ",
    "\t",
    "\u00a0",
    "\r",
    "\x0b",
    "\x1c",
    "\x85",
    "\u2028",
    "\u3000",
    "a",
    "\u2116",
    "\U0001f600",
]
block_texts = st.lists(st.sampled_from(BLOCK_CHARS), max_size=60).map("".join)


def _blocks_of(native: ModuleType, text: str, start: int) -> list[blocks.RawBlock]:
    bounds = native.block_bounds(text, start)
    assert len(bounds) % 3 == 0
    return [
        blocks.RawBlock(text[bounds[i] : bounds[i + 1]], Span(bounds[i], bounds[i + 1]), bounds[i + 2])
        for i in range(0, len(bounds), 3)
    ]


@settings(max_examples=800, deadline=None)
@example("\n\nA\nb\n\n  C  \n", 0)
@example("x\n \n\n y \n\n", 3)
@example("a\n\u00a0\t\n\u2028\x85b", 1)
@given(block_texts, st.integers(min_value=0, max_value=60))
def test_the_blocks_are_those_of_the_python_definition(native: ModuleType, text: str, start: int) -> None:
    start = min(start, len(text))
    assert _blocks_of(native, text, start) == blocks._split_blocks_python(text, start)


def test_the_blocks_are_those_of_the_python_definition_for_every_character(native: ModuleType) -> None:
    for code in CODE_POINTS:
        c = chr(code)
        for text in (f"a\n{c}\n\nb", f"{c}\n\n{c}a{c}\n{c}\n{c}", f"a\n{c}\nb\n\n{c}", f"a {c}\n \n{c}b"):
            assert _blocks_of(native, text, 0) == blocks._split_blocks_python(text, 0), hex(code)


def test_the_block_scan_refuses_an_offset_outside_the_text(native: ModuleType) -> None:
    with pytest.raises(ValueError, match="offset"):
        native.block_bounds("text", 5)
    with pytest.raises(ValueError, match="offset"):
        native.block_bounds("text", -1)
    assert native.block_bounds("text", 4) == []


@settings(max_examples=400, deadline=None)
@example(b"\xef\xbf\xbe", False)
@example(b"\xef\xbf", False)
@example(b"\x00", True)
@given(st.one_of(texts.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=40)), st.booleans())
def test_the_utf8_scan_answers_as_its_python_definition(native: ModuleType, data: bytes, nul: bool) -> None:
    assert native.utf8_has_xml_forbidden(data, nul) == reading._utf8_has_xml_forbidden_python(data, nul=nul)


def test_the_package_asks_the_c_scans_where_they_are_built(native: ModuleType) -> None:
    """Each question goes to C (a broken import would fall back to Python unseen)."""
    found: list[Callable[..., object] | None] = [
        scans.REPEATED_CAPITALISED_WORD,
        scans.SPACE_BEFORE_MARK,
        scans.HAS_XML_FORBIDDEN,
        scans.HAS_CONTROL,
        scans.HAS_NUL,
        scans.MAY_HOLD_MOJIBAKE,
        scans.NON_ASCII_WORD_CHARACTER,
        scans.LETTER_COUNTS,
        scans.XML_SPECIALS,
        scans.BLOCK_BOUNDS,
        scans.UTF8_HAS_XML_FORBIDDEN,
    ]
    assert all(f is not None and f.__module__ == native.__name__ for f in found)


def test_the_scans_refuse_what_is_not_text(native: ModuleType) -> None:
    for scan in (
        "repeated_capitalised_word",
        "space_before_mark",
        "has_xml_forbidden",
        "has_control",
        "has_nul",
        "may_hold_mojibake",
        "non_ascii_word_character",
        "letter_counts",
        "xml_specials",
    ):
        with pytest.raises(TypeError, match="must be str"):
            getattr(native, scan)(b"bytes")
    with pytest.raises(TypeError):
        native.utf8_has_xml_forbidden("text", False)
    with pytest.raises(TypeError, match="must be str"):
        native.block_bounds(b"bytes", 0)


def _shared_texts() -> list[Path]:
    return sorted((SHARED / "corpus").glob("*/*.txt")) + ([SEED] if SEED.exists() else [])


def test_the_scans_answer_as_their_definitions_on_the_corpus(native: ModuleType) -> None:
    paths = _shared_texts()
    if not paths:
        pytest.skip(f"the development corpus is not at {SHARED / 'corpus'} (the shared data is absent on this machine)")
    for path in paths:
        text = reading.decode(path.read_bytes())
        assert _blocks_of(native, text, 0) == blocks._split_blocks_python(text, 0), path.name
        for piece in (text, *text.split("\n\n")):
            for name, c, python in _answers(native, piece):
                assert c == python, (name, path.name, piece[:80])
            data = piece.encode("utf-8", "surrogatepass")
            assert native.utf8_has_xml_forbidden(data, True) == reading._utf8_has_xml_forbidden_python(data, nul=True)


# a hover card (and near misses) at every place of lower-case texts, in each storage of str,
# with each capital the scan knows
CAPITALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" + "".join(map(chr, range(0x410, 0x430))) + "\u0401"
CARDS = ["Obama Obama Barack", "Obama Obama", "Obama Obamas B", "Лавров Лавров Сергей", "A"]
CARDS += [f"{c}b {c}b {c}" for c in CAPITALS]
LOWER_FILLERS = ["plain ascii words ", "plain \u2116 words ", "plain \U0001f600 words ", "слово "]


@pytest.mark.parametrize("filler", LOWER_FILLERS)
def test_a_hover_card_is_found_at_every_place_of_the_blocks(native: ModuleType, filler: str) -> None:
    length = 40
    base = _filled(filler, length)
    for card in CARDS:
        for at in range(length + 1):
            for text in (base[:at] + card + base[at:], base[:at] + card, card[:-1] + base[at:]):
                found = native.repeated_capitalised_word(text)
                assert found == (_REPEATED.search(text) is not None), (card, at, filler)
