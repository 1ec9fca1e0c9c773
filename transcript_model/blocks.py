"""Source text to blocks: paragraphs separated by blank lines, each with its span.

A block is a maximal run of non-blank lines. Its span excludes the surrounding
whitespace, so ``span.slice(source) == block.text`` always holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from .model import Span

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

    >>> [b.text for b in split_blocks("\\n\\nA\\nb\\n\\n  C  \\n")]
    ['A\\nb', 'C']
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
