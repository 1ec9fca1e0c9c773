"""The body: blocks → speaker turns with paragraphs and stage directions.

A turn starts at a speaker label, at a question marker (``❓``), or where quoted text
begins after unquoted text (a Markdown repost quoting a transcript). Paragraphs without a
label continue the current turn; text before any label is an unattributed turn (or the
headline author's, in a monologue).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from .blocks import RawBlock
from .dates import looks_like_date_line
from .gates import Joined, opening_gate
from .labels import find_label
from .layout import is_chrome, strip_markers, url_of
from .model import Block, BlockKind, Diagnostic, Incident, Paragraph, Severity, Span, TurnKind
from .people import People
from .profiles import Profile, Vocabulary


@dataclass(slots=True)
class TurnDraft:
    speaker: str | None
    label: str | None
    label_span: Span | None
    kind: TurnKind | None
    paragraphs: list[Paragraph]

    def __init__(
        self,
        speaker: str | None,
        label: str | None,
        label_span: Span | None,
        kind: TurnKind | None,
        paragraphs: list[Paragraph],
    ) -> None:
        self.speaker = speaker
        self.label = label
        self.label_span = label_span
        self.kind = kind
        self.paragraphs = paragraphs


def find_incidents(text: str, vocab: Vocabulary) -> tuple[Incident, ...]:
    """Stage directions printed in a paragraph, in order.

    >>> from transcript_model.profiles import VOCABULARY as V
    >>> find_incidents("Thank you.  (Laughter.)", V)
    (Incident(kind='vocal', start=12, end=23, text='(Laughter.)'),)
    """
    return _incidents(text, vocab, _any_of(vocab.stage_paragraphs), _any_of(vocab.stage_directions))


def _incidents(text: str, vocab: Vocabulary, whole: Joined | None, inside: Joined | None) -> tuple[Incident, ...]:
    """:func:`find_incidents`, given the vocabulary's joined patterns (looked up once per
    turn, not per paragraph)."""
    stripped = text.strip()
    if whole is None or (
        len(stripped) <= whole.widest and whole.may_start(stripped, 0) and whole.pattern.fullmatch(stripped)
    ):
        for pattern, kind in vocab.stage_paragraphs:
            if pattern.fullmatch(stripped):
                return (Incident(kind, 0, len(text), text),)
    if inside is not None and not inside.occurs_in(text):  # most paragraphs: one scan, not seven
        return ()
    found = [
        Incident(kind, m.start(), m.end(), m.group())
        for pattern, kind in vocab.stage_directions
        for m in pattern.finditer(text)
    ]
    found.sort(key=lambda i: i.start)
    out: list[Incident] = []
    for inc in found:
        if not out or inc.start >= out[-1].end:
            out.append(inc)
    return tuple(out)


_JOINED: Final[dict[int, tuple[tuple[tuple[re.Pattern[str], str], ...], Joined | None]]] = {}
"""Joined patterns by the identity of the profile's tuple (kept in the entry, so its id is
never reused): hashing the tuple of patterns, as a cache keyed by value does, cost 1.4 µs
a paragraph, more than the scan it saves."""


def _any_of(patterns: tuple[tuple[re.Pattern[str], str], ...]) -> Joined | None:
    """One pattern that matches (or fully matches) exactly where one of ``patterns`` does, to
    rule out most paragraphs in one scan; ``None`` where they cannot be joined (different
    flags, back-references, a clash of group names).

    >>> from transcript_model.profiles import VOCABULARY as V
    >>> _any_of(V.stage_directions).occurs_in("Thank you. (Applause.)")
    True
    """
    entry = _JOINED.get(id(patterns))
    if entry is not None and entry[0] is patterns:
        return entry[1]
    if len(_JOINED) > 64:  # profiles are few; vocabularies built at run time are not kept forever
        _JOINED.clear()
    pattern = _join(patterns)
    joined = None if pattern is None else Joined(pattern)
    _JOINED[id(patterns)] = (patterns, joined)
    return joined


def _join(patterns: tuple[tuple[re.Pattern[str], str], ...]) -> re.Pattern[str] | None:
    if not patterns or len({p.flags for p, _ in patterns}) != 1:
        return None
    if any(re.search(r"\\[1-9]|\(\?P=", p.pattern) for p, _ in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p, _ in patterns), patterns[0][0].flags)
    except re.error:
        return None


def with_incidents(paragraphs: Sequence[Paragraph], vocab: Vocabulary) -> tuple[Paragraph, ...]:
    """The paragraphs with the stage directions of their (repaired) text; a stage direction
    that overlaps a repair is left unmarked, its text stays in the paragraph."""
    whole, inside = _any_of(vocab.stage_paragraphs), _any_of(vocab.stage_directions)
    return tuple(_with_incidents(para, vocab, whole, inside) for para in paragraphs)


def _with_incidents(para: Paragraph, vocab: Vocabulary, whole: Joined | None, inside: Joined | None) -> Paragraph:
    found = _incidents(para.text, vocab, whole, inside)
    if not found and not para.incidents:  # most paragraphs: none before, none now
        return para
    found = tuple(
        inc
        for inc in found
        if not any((e.start < inc.end and inc.start < e.end) or inc.start < e.start < inc.end for e in para.edits)
    )
    if found == para.incidents:
        return para
    return Paragraph(para.text, para.span, para.edits, found)


def read_turns(
    body: Sequence[RawBlock], profile: Profile, people: People, diagnostics: list[Diagnostic]
) -> tuple[list[TurnDraft], list[Block]]:
    """Turn drafts (before repairs) and the blocks they were read from."""
    vocab = profile.vocabulary
    number = None if profile.number_line is None else opening_gate(profile.number_line)
    drafts: list[TurnDraft] = []
    blocks: list[Block] = []
    lead: list[Paragraph] = []
    was_quoted = False
    names = people.known_names()  # changes only when a speaker is added: refreshed then
    for raw in body:
        if is_chrome(raw.text, profile) or url_of(raw.text) or looks_like_date_line(raw.text):
            blocks.append(Block(BlockKind.CHROME, raw.span, raw.text))
            continue
        if number is not None and number.may_open(raw.text) and number.pattern.fullmatch(raw.text):
            blocks.append(Block(BlockKind.NUMBER, raw.span, raw.text))
            continue
        skip = strip_markers(raw.text, profile)
        quoted = raw.text.lstrip().startswith(">")
        asks = skip > 0 and any(ch in profile.question_markers for ch in raw.text[:skip])
        text = raw.text[skip:]
        start = raw.span.start + skip
        if not text.strip():
            blocks.append(Block(BlockKind.CHROME, raw.span, raw.text))  # markers alone
            continue
        label = find_label(text, vocab, names)
        if label is None:
            para = Paragraph(text, raw.span if skip == 0 else Span(start, raw.span.end))
            if asks:
                pid = people.anonymous(vocab.anonymous_labels["question"])
                names = people.known_names()
                drafts.append(TurnDraft(pid, None, None, TurnKind.QUESTION, [para]))
            elif quoted and not was_quoted and (drafts or lead):
                drafts.append(TurnDraft(None, None, None, None, [para]))
            elif drafts:
                drafts[-1].paragraphs.append(para)
            else:
                lead.append(para)
            was_quoted = quoted
            continue
        was_quoted = quoted
        speaker, kind = people.speaker_for(label)
        names = people.known_names()
        if kind is None:
            previous = drafts[-1].kind if drafts else None
            kind = TurnKind.ANSWER if previous is TurnKind.QUESTION else TurnKind.STATEMENT
        label_span = Span(start, start + len(label.text))
        blocks.append(Block(BlockKind.LABEL, label_span, label.text))
        rest = text[label.end :]
        paragraphs = []
        if rest.strip():
            rest_start = start + label.end
            paragraphs.append(Paragraph(rest, Span(rest_start, raw.span.end)))
        drafts.append(TurnDraft(speaker, label.text, label_span, kind, paragraphs))
    if lead:
        # text before the first label is the headline author's (opening remarks), else unattributed
        author = people.author_id()
        if drafts and author is None:
            diagnostics.append(
                Diagnostic(
                    Severity.WARNING,
                    "unattributed-text",
                    f"{len(lead)} paragraph(s) before the first speaker label kept as an unattributed turn",
                    lead[0].span,
                    next((r.line for r in body if r.span.end >= lead[0].span.start), None),
                )
            )
        drafts.insert(0, TurnDraft(author, None, None, TurnKind.STATEMENT if author else None, lead))
    return drafts, blocks
