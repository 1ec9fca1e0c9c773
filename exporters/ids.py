"""The identifiers exports give to turns, paragraphs and dropped paragraphs.

TEI ``xml:id`` values and JSON-LD ``#fragment`` ids are the same: ``u2`` for the second
turn, ``u2.p3`` for its third paragraph, ``e1`` for the first paragraph a repair dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Final

from transcript_model import Edit, Paragraph, Transcript
from transcript_model.repairs import is_internal


class _Last:
    value: ClassVar[tuple[Transcript, Ids] | None] = None


_TURN_IDS: Final = tuple(f"u{i + 1}" for i in range(512))
_PARAGRAPH_SUFFIXES: Final = tuple(f".p{j + 1}" for j in range(128))


def turn_id(index: int) -> str:
    """``u1`` for the first turn (index 0); the ids of the first 512 are made once.

    >>> turn_id(0), turn_id(511), turn_id(512)
    ('u1', 'u512', 'u513')
    """
    return _TURN_IDS[index] if 0 <= index < 512 else f"u{index + 1}"


def paragraph_id(turn: int, index: int) -> str:
    """``u2.p3`` for the third paragraph (index 2) of the second turn (index 1).

    >>> paragraph_id(1, 2), paragraph_id(0, 200)
    ('u2.p3', 'u1.p201')
    """
    suffix = _PARAGRAPH_SUFFIXES[index] if 0 <= index < 128 else f".p{index + 1}"
    return turn_id(turn) + suffix


@dataclass(slots=True)
class Ids:
    """Ids of one transcript's paragraphs (by object identity) and dropped paragraphs (by
    their place in the paragraph that keeps them, and by the identity of their edit)."""

    paragraphs: dict[int, str]
    externals: dict[tuple[int, int], str]
    dropped: dict[int, str]

    @classmethod
    def of(cls, t: Transcript) -> Ids:
        """The ids of ``t`` (the last transcript's are kept: both exports of one transcript
        ask for them in turn; the model is frozen, so the same object has the same ids)."""
        last = _Last.value
        if last is not None and last[0] is t:
            return last[1]
        ids = cls._of(t)
        _Last.value = (t, ids)  # one tuple, replaced whole: a thread never sees another's ids
        return ids

    @classmethod
    def _of(cls, t: Transcript) -> Ids:
        paragraphs: dict[int, str] = {}
        externals: dict[tuple[int, int], str] = {}
        dropped: dict[int, str] = {}
        for i, turn in enumerate(t.turns):
            for j, para in enumerate(turn.paragraphs):
                paragraphs[id(para)] = paragraph_id(i, j)
                for k, e in enumerate(para.edits):
                    if not is_internal(e, para):
                        externals[(id(para), k)] = dropped[id(e)] = f"e{len(externals) + 1}"
        return cls(paragraphs, externals, dropped)

    def external(self, para: Paragraph, k: int) -> str:
        """The id of the ``k``-th edit of ``para``, a dropped paragraph."""
        return self.externals[(id(para), k)]

    def of_dropped(self, edit: Edit) -> str:
        """The id of the dropped paragraph that ``edit`` keeps."""
        try:
            return self.dropped[id(edit)]
        except KeyError:
            raise ValueError("dropped paragraph without a host") from None
