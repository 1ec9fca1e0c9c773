"""The source text, rebuilt from a transcript: the model keeps every piece of it.

A transcript's ``layout`` holds every piece of the source that is not a paragraph (header
lines, labels, chrome, the gaps between pieces); each paragraph keeps its span and, through
its edits, its original text; a paragraph dropped by a repair is kept as an edit whose
source lies outside its host. Put in order, these pieces are the source text, exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .model import Block, Edit, Paragraph, Span, Transcript, quick_init
from .repairs import is_internal, original_text


@quick_init
@dataclass(frozen=True, slots=True)
class Piece:
    """One piece of the source: a layout block, a paragraph, or a dropped paragraph (an
    edit kept in ``host``)."""

    span: Span
    original: str
    block: Block | None = None
    paragraph: Paragraph | None = None
    edit: Edit | None = None


class _Last:
    """The last transcript's pieces: both exports of one transcript ask for them in turn.
    One tuple, replaced whole, so threads never see a transcript with another's pieces."""

    value: tuple[Transcript, tuple[Piece, ...]] | None = None


def pieces(t: Transcript) -> tuple[Piece, ...]:
    """Every piece of the source, in source order."""
    last = _Last.value
    if last is not None and last[0] is t:  # the model is frozen: same object, same pieces
        return last[1]
    found: list[Piece] = [Piece(b.span, b.text, b) for b in t.layout]
    for turn in t.turns:
        for para in turn.paragraphs:
            found.append(Piece(para.span, original_text(para), None, para))
            if para.edits:
                found.extend(Piece(e.source, e.original, None, None, e) for e in para.edits if not is_internal(e, para))
    result = tuple(sorted(found, key=lambda p: (p.span.start, p.span.end)))
    _Last.value = (t, result)
    return result


def iter_source(t: Transcript) -> Iterator[str]:
    pos = 0
    for piece in pieces(t):
        if piece.span.start != pos:
            raise ValueError(f"the transcript does not cover its source: piece at {piece.span.start}, expected {pos}")
        yield piece.original
        pos = piece.span.end


def source_text(t: Transcript) -> str:
    """The source text the transcript was parsed from (after newline and encoding
    normalisation), rebuilt from the model alone.

    >>> import transcript_model
    >>> text = "Title\\n\\nQuestion: Why?\\n\\nSergey Lavrov: Because\\nof this."
    >>> source_text(transcript_model.parse(text)) == text
    True
    """
    return "".join(iter_source(t))
