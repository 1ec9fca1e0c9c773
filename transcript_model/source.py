"""The source text, rebuilt from a transcript: the model keeps every piece of it.

A transcript's ``layout`` holds every piece of the source that is not a paragraph (header
lines, labels, chrome, the gaps between pieces); each paragraph keeps its span and, through
its edits, its original text; a paragraph dropped by a repair is kept as an edit whose
source lies outside its host. Put in order, these pieces are the source text, exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

from .model import Block, Edit, Paragraph, Span, Transcript
from .repairs import is_internal, original_text


@dataclass(frozen=True, slots=True)
class Piece:
    """One piece of the source: a layout block, a paragraph, or a dropped paragraph (an
    edit kept in ``host``)."""

    span: Span
    original: str
    block: Block | None = None
    paragraph: Paragraph | None = None
    edit: Edit | None = None

    def __init__(
        self,
        span: Span,
        original: str,
        block: Block | None = None,
        paragraph: Paragraph | None = None,
        edit: Edit | None = None,
    ) -> None:
        object.__setattr__(self, "span", span)
        object.__setattr__(self, "original", original)
        object.__setattr__(self, "block", block)
        object.__setattr__(self, "paragraph", paragraph)
        object.__setattr__(self, "edit", edit)


PieceRow = tuple[int, int, int, Span, str, Block | None, Paragraph | None, Edit | None]
"""A piece as a plain tuple: ``(start, end, order, span, original, block, paragraph, edit)``,
``order`` its place among pieces of the same span (a layout block before a paragraph).
Tuples sort in C on their first three items and cost a third of a :class:`Piece` to build:
the exports, which read every piece of every document, read these."""


class _Last:
    """The last transcript's rows: both exports of one transcript ask for them in turn.
    One tuple, replaced whole, so threads never see a transcript with another's rows."""

    value: ClassVar[tuple[Transcript, tuple[PieceRow, ...]] | None] = None


def piece_rows(t: Transcript) -> tuple[PieceRow, ...]:
    """Every piece of the source, in source order, as :data:`PieceRow` tuples (the same
    pieces as :func:`pieces`)."""
    last = _Last.value
    if last is not None and last[0] is t:  # the model is frozen: same object, same pieces
        return last[1]
    rows: list[PieceRow] = [
        (b.span.start, b.span.end, k, b.span, b.text, b, None, None) for k, b in enumerate(t.layout)
    ]
    order = len(rows)
    for turn in t.turns:
        for para in turn.paragraphs:
            span = para.span
            rows.append((span.start, span.end, order, span, original_text(para), None, para, None))
            order += 1
            for e in para.edits:
                if not is_internal(e, para):
                    span = e.source
                    rows.append((span.start, span.end, order, span, e.original, None, None, e))
                    order += 1
    rows.sort()  # by start, end and order: the rest is never compared
    result = tuple(rows)
    _Last.value = (t, result)
    return result


def pieces(t: Transcript) -> tuple[Piece, ...]:
    """Every piece of the source, in source order."""
    return tuple(
        Piece(span, original, block, paragraph, edit) for *_, span, original, block, paragraph, edit in piece_rows(t)
    )


def iter_source(t: Transcript) -> Iterator[str]:
    pos = 0
    for start, end, _, _, original, *_ in piece_rows(t):
        if start != pos:
            raise ValueError(f"the transcript does not cover its source: piece at {start}, expected {pos}")
        yield original
        pos = end


def source_text(t: Transcript) -> str:
    """The source text the transcript was parsed from (after newline and encoding
    normalisation), rebuilt from the model alone.

    >>> import transcript_model
    >>> text = "Title\\n\\nQuestion: Why?\\n\\nSergey Lavrov: Because\\nof this."
    >>> source_text(transcript_model.parse(text)) == text
    True
    """
    return "".join(iter_source(t))
