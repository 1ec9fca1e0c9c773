"""The identifiers exports give to turns, paragraphs and dropped paragraphs.

TEI ``xml:id`` values and JSON-LD ``#fragment`` ids are the same: ``u2`` for the second
turn, ``u2.p3`` for its third paragraph, ``e1`` for the first paragraph a repair dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from transcript_model import Edit, Paragraph, Transcript
from transcript_model.repairs import is_internal


def turn_id(index: int) -> str:
    return f"u{index + 1}"


@dataclass(slots=True)
class Ids:
    """Ids of one transcript's paragraphs (by object identity) and dropped paragraphs."""

    paragraphs: dict[int, str]
    externals: dict[tuple[int, int], str]

    @classmethod
    def of(cls, t: Transcript) -> Ids:
        paragraphs: dict[int, str] = {}
        externals: dict[tuple[int, int], str] = {}
        for i, turn in enumerate(t.turns):
            for j, para in enumerate(turn.paragraphs):
                paragraphs[id(para)] = f"{turn_id(i)}.p{j + 1}"
                for k, e in enumerate(para.edits):
                    if not is_internal(e, para):
                        externals[(id(para), k)] = f"e{len(externals) + 1}"
        return cls(paragraphs, externals)

    def external(self, para: Paragraph, k: int) -> str:
        return self.externals[(id(para), k)]


def host_of(t: Transcript, edit: Edit) -> tuple[Paragraph, int]:
    """The paragraph that keeps a dropped paragraph, and the edit's position in it."""
    for turn in t.turns:
        for para in turn.paragraphs:
            for k, e in enumerate(para.edits):
                if e is edit:
                    return para, k
    raise ValueError("dropped paragraph without a host")
