"""The typed transcript model: frozen, slotted dataclasses and nothing else.

This module is the bottom of the package: it imports nothing of ours, so every other
layer (parsing, repairs, exporters, the CLI) can depend on it without cycles.

Offsets: a :class:`Span` points into the *decoded source text* (after BOM removal and
newline normalisation, see :mod:`transcript_model.reading`). Offsets inside a paragraph
(:class:`Edit.start`/``end``) point into the paragraph's repaired ``text``.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
from dataclasses import dataclass
from typing import Any


class _Record:
    """The base of the model's frozen dataclasses: pickling and copying rebuild a record
    from its fields, through its ``__init__`` (which checks them).

    Each class writes its ``__init__`` out, setting its fields with ``object.__setattr__``
    as the one ``dataclass`` generates does: where the package is compiled (mypyc), an
    ``__init__`` written in the class is compiled with it, and a record takes 20 to 60 ns to
    build instead of 200 to 300 (the parser builds hundreds a document). The ``dataclass``
    decorator keeps an ``__init__`` a class defines and generates the rest (``__eq__``,
    ``__hash__``, ``__repr__``, ``__setattr__`` refusing changes); ``tests/test_model.py``
    checks that each ``__init__`` takes the fields, in order, with their defaults.

    Compiled, the classes are native classes: Python code cannot subclass them (wrap a
    record, or build a dataclass of your own from ``dataclasses.fields``).
    """

    __slots__ = ()

    def __reduce__(self) -> tuple[type[Any], tuple[Any, ...]]:
        return type(self), tuple(getattr(self, f.name) for f in dataclasses.fields(self))  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True, order=True)
class Span(_Record):
    """A half-open range ``[start, end)`` of character offsets into the source text."""

    start: int
    end: int

    def __init__(self, start: int, end: int) -> None:
        if not 0 <= start <= end:
            raise ValueError(f"invalid span [{start}, {end})")
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)

    def slice(self, text: str) -> str:
        """The part of ``text`` this span covers."""
        return text[self.start : self.end]


class BlockKind(str, enum.Enum):
    """What the parser recognised a block of the source as."""

    FRONT_MATTER = "front-matter"
    DATELINE = "dateline"
    NUMBER = "number"
    TITLE = "title"
    LEAD = "lead"
    PLACE = "place"
    NOTE = "note"
    LABEL = "label"
    PARAGRAPH = "paragraph"
    TRAILER = "trailer"
    CHROME = "chrome"
    GAP = "gap"


@dataclass(frozen=True, slots=True)
class Block(_Record):
    """One recognised piece of the source: its kind, where it is, and its text as printed."""

    kind: BlockKind
    span: Span
    text: str

    def __init__(self, kind: BlockKind, span: Span, text: str) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "span", span)
        object.__setattr__(self, "text", text)


class TurnKind(str, enum.Enum):
    """What a turn does in the exchange, where it can be told."""

    QUESTION = "question"
    ANSWER = "answer"
    STATEMENT = "statement"


class Severity(str, enum.Enum):
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Person(_Record):
    """A person who speaks in the transcript or is mentioned in its title.

    ``id`` is stable for the same input (derived from the name or the label) and is a valid
    XML NCName, so exporters can use it as ``xml:id``. ``name`` is ``None`` for anonymous
    participants (``Question:``), who are flagged with ``anonymous``.
    """

    id: str
    name: str | None
    role: str | None = None
    affiliation: str | None = None
    anonymous: bool = False

    def __init__(
        self,
        id: str,
        name: str | None,
        role: str | None = None,
        affiliation: str | None = None,
        anonymous: bool = False,
    ) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "role", role)
        object.__setattr__(self, "affiliation", affiliation)
        object.__setattr__(self, "anonymous", anonymous)


@dataclass(frozen=True, slots=True)
class Edit(_Record):
    """One contiguous change inside a paragraph, made by the repair ``repair``.

    ``text[start:end]`` of the paragraph replaced ``original`` found at ``source`` in the
    source text. ``start == end`` means the original was dropped (a surplus fragment).
    """

    start: int
    end: int
    original: str
    source: Span
    repair: int

    def __init__(self, start: int, end: int, original: str, source: Span, repair: int) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "original", original)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "repair", repair)


@dataclass(frozen=True, slots=True)
class Incident(_Record):
    """A stage direction inside a paragraph: ``text[start:end]`` of the paragraph, as printed.

    ``kind`` says how exporters mark it: ``"vocal"`` (laughter), ``"kinesic"`` (applause),
    ``"note"`` (an editorial note such as "(As interpreted.)") or ``"incident"`` (anything
    else: "(Inaudible.)", "Remark from the audience.").
    """

    kind: str
    start: int
    end: int
    text: str

    def __init__(self, kind: str, start: int, end: int, text: str) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "text", text)


@dataclass(frozen=True, slots=True)
class Paragraph(_Record):
    """A paragraph of a turn: its repaired text, its source span, the edits made to it, and
    the stage directions it contains."""

    text: str
    span: Span
    edits: tuple[Edit, ...] = ()
    incidents: tuple[Incident, ...] = ()

    def __init__(
        self, text: str, span: Span, edits: tuple[Edit, ...] = (), incidents: tuple[Incident, ...] = ()
    ) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "span", span)
        object.__setattr__(self, "edits", edits)
        object.__setattr__(self, "incidents", incidents)


@dataclass(frozen=True, slots=True)
class Turn(_Record):
    """A speaker turn: who speaks, the label exactly as printed, what kind, and what was said.

    ``speaker`` is ``None`` for an unattributed turn (text before any label in a document
    whose author is unknown); ``label`` and ``label_span`` are ``None`` when no label was printed.
    """

    speaker: str | None
    label: str | None
    label_span: Span | None
    kind: TurnKind | None
    paragraphs: tuple[Paragraph, ...]

    def __init__(
        self,
        speaker: str | None,
        label: str | None,
        label_span: Span | None,
        kind: TurnKind | None,
        paragraphs: tuple[Paragraph, ...],
    ) -> None:
        object.__setattr__(self, "speaker", speaker)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "label_span", label_span)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "paragraphs", paragraphs)

    @property
    def text(self) -> str:
        """All paragraphs joined by blank lines."""
        return "\n\n".join(p.text for p in self.paragraphs)


@dataclass(frozen=True, slots=True)
class Repair(_Record):
    """A record of one repair: which rule, where, what the source said and what it became.

    ``turn``/``paragraph`` index the paragraph that carries the result, ``start``/``end`` are
    the offsets of ``replacement`` in that paragraph's text, and ``source`` is where
    ``original`` sits in the source text (``original == source.slice(source_text)``).
    """

    rule: str
    reason: str
    turn: int
    paragraph: int
    start: int
    end: int
    source: Span
    original: str
    replacement: str

    def __init__(  # noqa: PLR0917 - the dataclass's parameters, positional as it makes them
        self,
        rule: str,
        reason: str,
        turn: int,
        paragraph: int,
        start: int,
        end: int,
        source: Span,
        original: str,
        replacement: str,
    ) -> None:
        object.__setattr__(self, "rule", rule)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "turn", turn)
        object.__setattr__(self, "paragraph", paragraph)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "original", original)
        object.__setattr__(self, "replacement", replacement)


@dataclass(frozen=True, slots=True)
class Diagnostic(_Record):
    """Something the parser could not fully understand, with where it happened."""

    severity: Severity
    code: str
    message: str
    span: Span | None = None
    line: int | None = None

    def __init__(
        self, severity: Severity, code: str, message: str, span: Span | None = None, line: int | None = None
    ) -> None:
        object.__setattr__(self, "severity", severity)
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "span", span)
        object.__setattr__(self, "line", line)


@dataclass(frozen=True, slots=True)
class Metadata(_Record):
    """Facts about the document as a whole, each ``None`` where the source does not say.

    ``published`` is a timezone-aware ``datetime`` when the source prints a time and the
    publisher's zone is known, a naive one when the zone is unknown, and a ``date`` when
    only a day is printed. ``event_date`` is the day of the event where the source says
    it, ``event_start`` its start time where printed (White House "5:41 P.M. EST").
    """

    title: str | None = None
    lead: str | None = None
    published: _dt.datetime | _dt.date | None = None
    number: str | None = None
    genre: str | None = None
    occasion: str | None = None
    place: str | None = None
    event_date: _dt.date | None = None
    event_start: _dt.datetime | None = None
    language: str | None = None
    publisher: str | None = None
    source_url: str | None = None
    mentioned: tuple[Person, ...] = ()

    def __init__(  # noqa: PLR0917 - the dataclass's parameters, positional as it makes them
        self,
        title: str | None = None,
        lead: str | None = None,
        published: _dt.datetime | _dt.date | None = None,
        number: str | None = None,
        genre: str | None = None,
        occasion: str | None = None,
        place: str | None = None,
        event_date: _dt.date | None = None,
        event_start: _dt.datetime | None = None,
        language: str | None = None,
        publisher: str | None = None,
        source_url: str | None = None,
        mentioned: tuple[Person, ...] = (),
    ) -> None:
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "lead", lead)
        object.__setattr__(self, "published", published)
        object.__setattr__(self, "number", number)
        object.__setattr__(self, "genre", genre)
        object.__setattr__(self, "occasion", occasion)
        object.__setattr__(self, "place", place)
        object.__setattr__(self, "event_date", event_date)
        object.__setattr__(self, "event_start", event_start)
        object.__setattr__(self, "language", language)
        object.__setattr__(self, "publisher", publisher)
        object.__setattr__(self, "source_url", source_url)
        object.__setattr__(self, "mentioned", mentioned)


@dataclass(frozen=True, slots=True)
class Note(_Record):
    """Text of the source that is neither spoken nor site chrome: a description under the
    headline, a photo caption, an editor's note."""

    kind: str
    text: str
    span: Span

    def __init__(self, kind: str, text: str, span: Span) -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "span", span)


@dataclass(frozen=True, slots=True)
class Transcript(_Record):
    """A parsed transcript: metadata, participants, turns, and everything the parser did."""

    metadata: Metadata
    participants: tuple[Person, ...]
    turns: tuple[Turn, ...]
    repairs: tuple[Repair, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    notes: tuple[Note, ...] = ()
    layout: tuple[Block, ...] = ()
    source_name: str | None = None
    profile: str | None = None

    def __init__(  # noqa: PLR0917 - the dataclass's parameters, positional as it makes them
        self,
        metadata: Metadata,
        participants: tuple[Person, ...],
        turns: tuple[Turn, ...],
        repairs: tuple[Repair, ...] = (),
        diagnostics: tuple[Diagnostic, ...] = (),
        notes: tuple[Note, ...] = (),
        layout: tuple[Block, ...] = (),
        source_name: str | None = None,
        profile: str | None = None,
    ) -> None:
        object.__setattr__(self, "metadata", metadata)
        object.__setattr__(self, "participants", participants)
        object.__setattr__(self, "turns", turns)
        object.__setattr__(self, "repairs", repairs)
        object.__setattr__(self, "diagnostics", diagnostics)
        object.__setattr__(self, "notes", notes)
        object.__setattr__(self, "layout", layout)
        object.__setattr__(self, "source_name", source_name)
        object.__setattr__(self, "profile", profile)

    def person(self, person_id: str) -> Person:
        """The participant or mentioned person with this id (``KeyError`` if none)."""
        for p in self.participants:
            if p.id == person_id:
                return p
        for p in self.metadata.mentioned:
            if p.id == person_id:
                return p
        raise KeyError(person_id)
