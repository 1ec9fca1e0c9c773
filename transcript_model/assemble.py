"""Rebuild a :class:`~transcript_model.model.Transcript` from an export's records.

Exporters write each paragraph with its edits (offsets in the repaired text, the original
text, the repair it belongs to) and the source layout as an ordered list of pieces: layout
blocks with their text, and references to paragraphs and to dropped paragraphs. Walking
that list gives every span back, and with them the repairs (a repair is the union of its
edits). Readers of our TEI and JSON-LD fill these records and call :func:`assemble`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .model import (
    Block,
    BlockKind,
    Diagnostic,
    Edit,
    Incident,
    Metadata,
    Note,
    Paragraph,
    Person,
    Repair,
    Severity,
    Span,
    Transcript,
    Turn,
    TurnKind,
)
from .repairs import REASONS


class AssemblyError(ValueError):
    """The records are inconsistent: they do not describe a transcript."""


@dataclass(slots=True)
class EditRecord:
    start: int
    end: int
    original: str
    repair: int
    rule: str
    external: str | None = None  # id under which the layout refers to a dropped paragraph


@dataclass(slots=True)
class ParagraphRecord:
    id: str
    text: str
    edits: list[EditRecord] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)


@dataclass(slots=True)
class TurnRecord:
    id: str
    speaker: str | None
    label: str | None
    kind: TurnKind | None
    paragraphs: list[ParagraphRecord]


@dataclass(slots=True)
class PieceRecord:
    """A layout block (``kind`` and ``text``), a paragraph (``ref`` to its id), or a
    dropped paragraph (``ref`` to its edit's external id). ``turn`` links a label to its turn."""

    kind: BlockKind | None = None
    text: str = ""
    ref: str | None = None
    turn: str | None = None
    id: str | None = None


@dataclass(slots=True)
class DiagnosticRecord:
    severity: Severity
    code: str
    message: str
    line: int | None
    target: str | None


def _original(p: ParagraphRecord) -> str:
    out, pos = [], 0
    for e in sorted((e for e in p.edits if e.external is None), key=lambda e: (e.start, e.end)):
        out.append(p.text[pos : e.start])
        out.append(e.original)
        pos = e.end
    out.append(p.text[pos:])
    return "".join(out)


def assemble(
    *,
    metadata: Metadata,
    participants: Sequence[Person],
    turns: Sequence[TurnRecord],
    layout: Sequence[PieceRecord],
    notes: Sequence[str],
    diagnostics: Sequence[DiagnosticRecord],
    profile: str | None,
    source_name: str | None,
) -> Transcript:
    """The transcript the records describe (see the module docstring)."""
    paragraphs = {p.id: p for t in turns for p in t.paragraphs}
    externals = {e.external: e for p in paragraphs.values() for e in p.edits if e.external}
    spans: dict[str, Span] = {}
    blocks: list[Block] = []
    label_spans: dict[str, Span] = {}
    pieces: list[str] = []
    pos = 0
    for piece in layout:
        if piece.ref is not None:
            if piece.ref in paragraphs:
                text = _original(paragraphs[piece.ref])
            elif piece.ref in externals:
                text = externals[piece.ref].original
            else:
                raise AssemblyError(f"layout refers to unknown {piece.ref!r}")
            spans[piece.ref] = Span(pos, pos + len(text))
        else:
            if piece.kind is None:
                raise AssemblyError("layout piece without kind or reference")
            text = piece.text
            span = Span(pos, pos + len(text))
            blocks.append(Block(piece.kind, span, text))
            if piece.kind is BlockKind.LABEL and piece.turn is not None:
                label_spans[piece.turn] = span
            if piece.id is not None:
                spans[piece.id] = span
        pieces.append(text)
        pos += len(text)
    source = "".join(pieces)

    built_turns: list[Turn] = []
    repair_parts: dict[int, list[tuple[int, int, Edit, str]]] = {}
    for t_index, tr in enumerate(turns):
        built: list[Paragraph] = []
        for p_index, pr in enumerate(tr.paragraphs):
            if pr.id not in spans:
                raise AssemblyError(f"paragraph {pr.id!r} is missing from the layout")
            span = spans[pr.id]
            edits: list[Edit] = []
            shift = 0
            for er in sorted(pr.edits, key=lambda e: (e.start, e.end, e.repair)):
                if er.external is not None:
                    src = spans[er.external]
                else:
                    start = span.start + er.start + shift
                    src = Span(start, start + len(er.original))
                    shift += len(er.original) - (er.end - er.start)
                edit = Edit(er.start, er.end, er.original, src, er.repair)
                edits.append(edit)
                repair_parts.setdefault(er.repair, []).append((t_index, p_index, edit, er.rule))
            built.append(Paragraph(pr.text, span, tuple(edits), tuple(pr.incidents)))
        built_turns.append(Turn(tr.speaker, tr.label, label_spans.get(tr.id), tr.kind, tuple(built)))

    repairs: list[Repair] = []
    for index in sorted(repair_parts):
        if index != len(repairs):
            raise AssemblyError(f"repair {index} has no predecessor {len(repairs)}")
        parts = repair_parts[index]
        t_index, p_index, _, rule = parts[0]
        para = built_turns[t_index].paragraphs[p_index]
        start = min(e.start for _, _, e, _ in parts)
        end = max(e.end for _, _, e, _ in parts)
        src = Span(min(e.source.start for _, _, e, _ in parts), max(e.source.end for _, _, e, _ in parts))
        repairs.append(
            Repair(
                rule,
                REASONS.get(rule, rule),
                t_index,
                p_index,
                start,
                end,
                src,
                src.slice(source),
                para.text[start:end],
            )
        )

    note_blocks = [b for b in blocks if b.kind is BlockKind.NOTE]
    if len(note_blocks) != len(notes):
        raise AssemblyError(f"{len(notes)} notes but {len(note_blocks)} note blocks in the layout")
    return Transcript(
        metadata=metadata,
        participants=tuple(participants),
        turns=tuple(built_turns),
        repairs=tuple(repairs),
        diagnostics=tuple(
            Diagnostic(d.severity, d.code, d.message, spans.get(d.target) if d.target else None, d.line)
            for d in diagnostics
        ),
        notes=tuple(Note(kind, b.text, b.span) for kind, b in zip(notes, note_blocks, strict=True)),
        layout=tuple(blocks),
        source_name=source_name,
        profile=profile,
    )
