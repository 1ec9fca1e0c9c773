"""Source text to blocks: paragraphs separated by blank lines, each with its span.

A block is a maximal run of non-blank lines. Its span excludes the surrounding
whitespace, so ``span.slice(source) == block.text`` always holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from .model import Span
from .scans import BLOCK_BOUNDS

_BLANK_RUN: Final = re.compile(r"\n[ \t\u00a0]*\n\s*")


@dataclass(frozen=True, slots=True)
class RawBlock:
    """A run of non-blank lines, stripped, with its span and 1-based first line."""

    text: str
    span: Span
    line: int

    def __init__(self, text: str, span: Span, line: int) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "span", span)
        object.__setattr__(self, "line", line)


def split_blocks(text: str, start: int = 0) -> list[RawBlock]:
    """Split source text (from offset ``start``) into blocks at blank lines.

    Where the C scans are built, one pass of C finds the blocks' bounds and lines, and only
    the blocks are made here (a fifth of the time of the pattern's matches, the slices and
    strips of :func:`_split_blocks_python`, which decides elsewhere).

    >>> [b.text for b in split_blocks("\\n\\nA\\nb\\n\\n  C  \\n")]
    ['A\\nb', 'C']
    """
    if BLOCK_BOUNDS is None:
        return _split_blocks_python(text, start)
    bounds = BLOCK_BOUNDS(text, start)
    return [
        RawBlock(text[bounds[i] : bounds[i + 1]], Span(bounds[i], bounds[i + 1]), bounds[i + 2])
        for i in range(0, len(bounds), 3)
    ]


def _split_blocks_python(text: str, start: int = 0) -> list[RawBlock]:
    """:func:`split_blocks`'s definition: the runs between the matches of ``_BLANK_RUN``,
    stripped of whitespace (``str.strip``'s, the pattern's ``\\s``).

    >>> [(b.text, b.span.start, b.line) for b in _split_blocks_python("x\\n \\n\\n y \\n\\n", 0)]
    [('x', 0, 1), ('y', 6, 4)]
    """
    blocks: list[RawBlock] = []
    pos = start
    line = text.count("\n", 0, start) + 1
    for m in _BLANK_RUN.finditer(text, start):
        _add(blocks, text, pos, m.start(), line)
        line += text.count("\n", pos, m.end())
        pos = m.end()
    _add(blocks, text, pos, len(text), line)
    return blocks


def _add(blocks: list[RawBlock], text: str, start: int, end: int, line: int) -> None:
    chunk = text[start:end]
    stripped_left = chunk.lstrip()
    if not stripped_left:
        return
    lead = len(chunk) - len(stripped_left)
    line += chunk.count("\n", 0, lead)
    body = stripped_left.rstrip()
    s = start + lead
    blocks.append(RawBlock(body, Span(s, s + len(body)), line))
