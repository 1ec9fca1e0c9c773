"""The tolerant parser: source text → blocks → profile → header and turns → repairs → Transcript.

Data flows one way through the stages below; each stage is a function of what the
previous one produced. Input the parser cannot understand never raises: it becomes a
:class:`~transcript_model.model.Diagnostic`. Only text with nothing in it raises
:class:`~transcript_model.errors.UnreadableInputError`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from .blocks import RawBlock, split_blocks
from .errors import UnreadableInputError
from .labels import Label, find_label, label_key
from .model import (
    Block,
    BlockKind,
    Diagnostic,
    Metadata,
    Paragraph,
    Person,
    Repair,
    Severity,
    Span,
    Transcript,
    Turn,
    TurnKind,
)
from .profiles import Profile, choose_profile
from .reading import normalise_newlines
from .repairs import RULES, run_rules
from .titles import PersonRef, TitleInfo, parse_title, split_person

_URL_LINE = re.compile(r"(?:Source:\s*)?(?P<url>https?://[^\s<>\"]+)")
_MAX_HEADER_BLOCKS = 6
_MAX_TITLE_CHARS = 400


@dataclass(slots=True)
class _Header:
    published: dt.datetime | dt.date | None = None
    dated: bool = False
    number: str | None = None
    title: str | None = None
    source_url: str | None = None
    blocks: list[Block] = field(default_factory=list)


def parse(
    text: str,
    *,
    source: str | None = None,
    profile: str | Profile | None = None,
    repairs: Collection[str] | None = None,
) -> Transcript:
    """Parse a transcript from its text.

    ``source`` names the input in diagnostics and metadata; ``profile`` forces a publisher
    profile by name (see :data:`transcript_model.profiles.PROFILES`); ``repairs`` lists the
    repair rules to run (default: all of :data:`transcript_model.repairs.RULES`).

    Raises :class:`UnreadableInputError` only when ``text`` has no text in it.
    """
    text = normalise_newlines(text)
    if not text.strip():
        raise UnreadableInputError("the input is empty: expected transcript text", source=source)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise UnreadableInputError("binary data (NUL character): expected text", source=source, line=line)
    enabled = tuple(RULES) if repairs is None else tuple(r for r in RULES if r in repairs)
    unknown = sorted(set(repairs or ()) - set(RULES))
    if unknown:
        raise ValueError(f"unknown repair rule(s): {', '.join(unknown)}; known: {', '.join(RULES)}")

    chosen = choose_profile(text, profile)
    raw = split_blocks(text)
    diagnostics: list[Diagnostic] = []
    header, body_start, body_end = _read_header_and_trailer(raw, chosen, diagnostics)
    info = parse_title(header.title, chosen) if header.title else None
    people = _People(chosen, info)
    drafts, turn_blocks = _read_turns(raw[body_start:body_end], chosen, people, diagnostics)
    turns, repairs_made = _repair(drafts, text, enabled)

    metadata = Metadata(
        title=header.title,
        published=header.published,
        number=header.number,
        genre=info.genre if info else None,
        occasion=info.occasion if info else None,
        place=info.place if info else None,
        event_date=info.date if info else None,
        language=detect_language(text),
        publisher=chosen.publisher,
        source_url=header.source_url,
        mentioned=people.mentioned(),
    )
    if not turns:
        diagnostics.append(Diagnostic(Severity.WARNING, "no-body", "no transcript body was found after the header"))
    blocks = tuple(sorted(header.blocks + turn_blocks, key=lambda b: b.span))
    return Transcript(
        metadata=metadata,
        participants=people.participants(),
        turns=tuple(turns),
        repairs=repairs_made,
        diagnostics=tuple(diagnostics),
        blocks=blocks,
        source_name=source,
        profile=chosen.name,
    )


# --- header and trailer -------------------------------------------------------------


def _read_header_and_trailer(
    raw: Sequence[RawBlock], profile: Profile, diagnostics: list[Diagnostic]
) -> tuple[_Header, int, int]:
    header = _Header()
    i = 0
    while i < min(len(raw), _MAX_HEADER_BLOCKS):
        block = raw[i]
        if "\n" not in block.text and _header_line(block, profile, header, diagnostics):
            i += 1
            continue
        if header.title is None and _is_title(block, profile):
            header.title = block.text
            header.blocks.append(Block(BlockKind.TITLE, block.span, block.text))
            i += 1
            continue
        break
    end = len(raw)
    while end > i:
        m = _URL_LINE.fullmatch(raw[end - 1].text)
        if m is None:
            break
        if header.source_url is None:
            header.source_url = m["url"]
        header.blocks.append(Block(BlockKind.TRAILER, raw[end - 1].span, raw[end - 1].text))
        end -= 1
    if header.title is None:
        first = raw[0] if raw else None
        diagnostics.append(
            Diagnostic(
                Severity.WARNING,
                "no-title",
                "no headline found in the first blocks: expected a one-line title before the first speaker label",
                first.span if first else None,
                first.line if first else None,
            )
        )
    return header, i, end


def _header_line(block: RawBlock, profile: Profile, header: _Header, diagnostics: list[Diagnostic]) -> bool:
    text = block.text
    if profile.dateline is not None and not header.dated:
        m = profile.dateline.fullmatch(text)
        if m:
            when = _datetime_from(m, profile)
            if when is None:
                diagnostics.append(
                    Diagnostic(
                        Severity.WARNING,
                        "bad-date",
                        f"date line {text!r} is not a real date: expected DD.MM.YYYY HH:MM",
                        block.span,
                        block.line,
                    )
                )
            header.published = when
            header.dated = True
            header.blocks.append(Block(BlockKind.DATELINE, block.span, text))
            return True
    if profile.number_line is not None and header.number is None:
        m = profile.number_line.fullmatch(text)
        if m:
            header.number = m["number"]
            header.blocks.append(Block(BlockKind.NUMBER, block.span, text))
            return True
    return False


def _datetime_from(m: re.Match[str], profile: Profile) -> dt.datetime | dt.date | None:
    try:
        day = dt.date(int(m["year"]), int(m["month"]), int(m["day"]))
        if m["hour"] is None:
            return day
        t = dt.time(int(m["hour"]), int(m["minute"]))
    except ValueError:
        return None
    tz = ZoneInfo(profile.timezone) if profile.timezone else None
    return dt.datetime.combine(day, t, tzinfo=tz)


def _is_title(block: RawBlock, profile: Profile) -> bool:
    text = block.text
    return (
        "\n" not in text
        and len(text) <= _MAX_TITLE_CHARS
        and _URL_LINE.fullmatch(text) is None
        and find_label(text, profile) is None
    )


# --- persons ------------------------------------------------------------------------


_ID_UNSAFE = re.compile(r"[^a-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f\u0386-\u03ce\u0400-\u045f]+")


def person_id(name: str) -> str:
    """A stable id for a person, safe as an XML ``xml:id`` and a URI fragment.

    Lower-cased letters (Latin, Greek, Cyrillic) and digits of the name joined by hyphens;
    a name with none of those gets a short hash of itself.

    >>> person_id("Sergey Lavrov"), person_id("В.Путин"), person_id("MS. PSAKI")
    ('sergey-lavrov', 'в-путин', 'ms-psaki')
    """
    slug = _ID_UNSAFE.sub("-", unicodedata.normalize("NFC", name).casefold()).strip("-")
    if not slug:
        return "p-" + hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    if not slug[0].isalpha():
        slug = "p-" + slug
    return slug


class _People:
    """Persons met so far: title persons, then speakers as their labels appear."""

    def __init__(self, profile: Profile, info: TitleInfo | None) -> None:
        self._profile = profile
        self._author = info.author if info else None
        self._title_refs: list[PersonRef] = [r for r in (self._author,) if r is not None]
        self._title_refs.extend(info.mentioned if info else ())
        self._speakers: dict[str, Person] = {}
        self._by_label: dict[str, str] = {}

    def known_names(self) -> frozenset[str]:
        """Names and surnames of everyone known, so one-word labels ("Lavrov:") are recognised."""
        names = {p.name for p in self._speakers.values() if p.name}
        names.update(r.name for r in self._title_refs)
        names.update(n.split()[-1] for n in list(names))
        return frozenset(names)

    def speaker_for(self, label: Label) -> tuple[str, TurnKind | None]:
        """The participant id a label stands for, and the turn kind the label implies."""
        anon = self._profile.anonymous_labels.get(label_key(label.text))
        if anon is not None:
            if anon.person_id not in self._speakers:
                self._speakers[anon.person_id] = Person(anon.person_id, None, anon.role, None, True)
            return anon.person_id, anon.kind
        if label.name not in self._by_label:
            self._by_label[label.name] = self._add(self._match(label.name))
        return self._by_label[label.name], None

    def author_id(self) -> str | None:
        """The headline's author as a participant (for a monologue), if the headline names one."""
        return self._add(self._author) if self._author is not None else None

    def _add(self, ref: PersonRef) -> str:
        pid = person_id(ref.name)
        existing = self._speakers.get(pid)
        if existing is None or (existing.role is None and ref.role is not None):
            self._speakers[pid] = Person(pid, ref.name, ref.role, ref.affiliation)
        return pid

    def _match(self, name: str) -> PersonRef:
        """The known person a label names (same name, or its surname), else a new one."""
        printed = split_person(name, self._profile) or PersonRef(name, None, None)
        known = [*self._title_refs]
        known += [PersonRef(p.name, p.role, p.affiliation) for p in self._speakers.values() if p.name]
        for ref in known:
            if printed.name == ref.name or ref.name.split()[-1] == printed.name:
                return PersonRef(ref.name, printed.role or ref.role, printed.affiliation or ref.affiliation)
        return printed

    def participants(self) -> tuple[Person, ...]:
        return tuple(self._speakers.values())

    def mentioned(self) -> tuple[Person, ...]:
        """Title persons who never speak."""
        seen = set(self._speakers)
        out: list[Person] = []
        for ref in self._title_refs:
            pid = person_id(ref.name)
            if pid not in seen and ref is not self._author:
                seen.add(pid)
                out.append(Person(pid, ref.name, ref.role, ref.affiliation))
        return tuple(out)


# --- turns --------------------------------------------------------------------------


@dataclass(slots=True)
class _TurnDraft:
    speaker: str | None
    label: str | None
    label_span: Span | None
    kind: TurnKind | None
    paragraphs: list[Paragraph]


def _read_turns(
    body: Sequence[RawBlock], profile: Profile, people: _People, diagnostics: list[Diagnostic]
) -> tuple[list[_TurnDraft], list[Block]]:
    drafts: list[_TurnDraft] = []
    blocks: list[Block] = []
    lead: list[Paragraph] = []
    for raw in body:
        label = find_label(raw.text, profile, people.known_names())
        if label is None:
            para = Paragraph(raw.text, raw.span)
            blocks.append(Block(BlockKind.PARAGRAPH, raw.span, raw.text))
            if drafts:
                drafts[-1].paragraphs.append(para)
            else:
                lead.append(para)
            continue
        speaker, kind = people.speaker_for(label)
        if kind is None:
            kind = TurnKind.ANSWER if drafts and drafts[-1].kind is TurnKind.QUESTION else TurnKind.STATEMENT
        label_span = Span(raw.span.start, raw.span.start + len(label.text))
        blocks.append(Block(BlockKind.LABEL, label_span, label.text))
        rest = raw.text[label.end :]
        paragraphs = []
        if rest.strip():
            start = raw.span.start + label.end
            paragraphs.append(Paragraph(rest, Span(start, raw.span.end)))
            blocks.append(Block(BlockKind.PARAGRAPH, Span(start, raw.span.end), rest))
        drafts.append(_TurnDraft(speaker, label.text, label_span, kind, paragraphs))
    if lead:
        author = people.author_id() if not drafts else None
        if drafts:
            diagnostics.append(
                Diagnostic(
                    Severity.WARNING,
                    "unattributed-text",
                    f"{len(lead)} paragraph(s) before the first speaker label kept as an unattributed turn",
                    lead[0].span,
                    _line(body, lead[0].span),
                )
            )
        drafts.insert(0, _TurnDraft(author, None, None, TurnKind.STATEMENT if author else None, lead))
    return drafts, blocks


def _line(body: Sequence[RawBlock], span: Span) -> int | None:
    for raw in body:
        if raw.span.start <= span.start < max(raw.span.end, raw.span.start + 1):
            return raw.line
    return None


def _repair(drafts: Iterable[_TurnDraft], source: str, enabled: Sequence[str]) -> tuple[list[Turn], tuple[Repair, ...]]:
    turns: list[Turn] = []
    repairs: list[Repair] = []
    for t, draft in enumerate(drafts):
        paragraphs, made = run_rules(draft.paragraphs, source, t, len(repairs), enabled)
        repairs.extend(made)
        turns.append(Turn(draft.speaker, draft.label, draft.label_span, draft.kind, paragraphs))
    return turns, tuple(repairs)


# --- language -----------------------------------------------------------------------


def detect_language(text: str) -> str | None:
    """``"ru"`` when Cyrillic letters outnumber Latin ones, ``"en"`` when Latin ones do.

    >>> detect_language("Сергей Лавров: Добрый день"), detect_language("Good day")
    ('ru', 'en')
    """
    cyrillic = latin = 0
    for ch in text:
        if "a" <= ch <= "z" or "A" <= ch <= "Z":
            latin += 1
        elif "\u0400" <= ch <= "\u04ff":
            cyrillic += 1
    if cyrillic == latin == 0:
        return None
    return "ru" if cyrillic > latin else "en"
