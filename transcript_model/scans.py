"""The parser's character scans in C (``transcript_model/_scan.c``), where they were built.

Each answers a question the parser asks of a whole document (which rules have work there,
which language it is in, whether XML can carry it; and, for the TEI exporter, which
characters markup must escape) in one pass over its characters, where the regex engine
tried a pattern at every character. Each has a definition in Python, in
the module that asks it, which decides where the C module was not built (no C compiler
when the package was installed); ``tests/test_scan.py`` checks that both always agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final


def _native(name: str) -> Callable[..., Any] | None:
    try:
        from . import _scan  # noqa: PLC0415 - optional, built at install time
    except ImportError:
        return None
    found: Callable[..., Any] = getattr(_scan, name)
    return found


REPEATED_CAPITALISED_WORD: Final[Callable[[str], bool] | None] = _native("repeated_capitalised_word")
SPACE_BEFORE_MARK: Final[Callable[[str], bool] | None] = _native("space_before_mark")
HAS_XML_FORBIDDEN: Final[Callable[[str], bool] | None] = _native("has_xml_forbidden")
HAS_CONTROL: Final[Callable[[str], bool] | None] = _native("has_control")
HAS_NUL: Final[Callable[[str], bool] | None] = _native("has_nul")
MAY_HOLD_MOJIBAKE: Final[Callable[[str], bool] | None] = _native("may_hold_mojibake")
NON_ASCII_WORD_CHARACTER: Final[Callable[[str], bool] | None] = _native("non_ascii_word_character")
LETTER_COUNTS: Final[Callable[[str], tuple[int, int]] | None] = _native("letter_counts")
BLOCK_BOUNDS: Final[Callable[[str, int], list[int]] | None] = _native("block_bounds")
XML_SPECIALS: Final[Callable[[str], int] | None] = _native("xml_specials")
UTF8_HAS_XML_FORBIDDEN: Final[Callable[[bytes, bool], bool] | None] = _native("utf8_has_xml_forbidden")
