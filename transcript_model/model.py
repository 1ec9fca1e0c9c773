"""The typed transcript model: frozen, slotted dataclasses and nothing else (but
:func:`quick_init`, which makes the most numerous ones faster to build).

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
from typing import Any, TypeVar

_C = TypeVar("_C", bound=type[Any])


def quick_init(cls: _C) -> _C:
    """Give a frozen, slotted dataclass an ``__init__`` that sets each slot through the
    slot's own descriptor, with the same parameters, defaults and ``__post_init__``.

    The ``__init__`` a frozen dataclass gets sets each field with ``object.__setattr__``,
    which looks the field up by name every time: a five-field object took 0.47 µs to build,
    0.28 this way. A parse builds hundreds of spans, blocks and paragraphs per document.
    Fields with a ``default_factory`` or ``init=False`` are not supported (none here has one).

    >>> @quick_init
    ... @dataclass(frozen=True, slots=True)
    ... class Point:
    ...     x: int
    ...     y: int = 0
    >>> Point(1), Point(x=2, y=3)
    (Point(x=1, y=0), Point(x=2, y=3))
    """
    fields = dataclasses.fields(cls)
    names = [f.name for f in fields]
    env: dict[str, Any] = {}
    params = []
    for f in fields:
        if f.default_factory is not dataclasses.MISSING or not f.init or f.kw_only:
            raise TypeError(f"quick_init: {cls.__name__}.{f.name} is not a plain field")
        env[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is dataclasses.MISSING:
            params.append(f.name)
        else:
            env[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
    body = [f"_set_{n}(self, {n})" for n in names]
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    # source made of our own field names, compiled as dataclasses compiles its __init__
    exec(f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(body), env)
    init = env["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init
    return cls


@quick_init
@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open range ``[start, end)`` of character offsets into the source text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

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


@quick_init
@dataclass(frozen=True, slots=True)
class Block:
    """One recognised piece of the source: its kind, where it is, and its text as printed."""

    kind: BlockKind
    span: Span
    text: str


class TurnKind(str, enum.Enum):
    """What a turn does in the exchange, where it can be told."""

    QUESTION = "question"
    ANSWER = "answer"
    STATEMENT = "statement"


class Severity(str, enum.Enum):
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Person:
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


@quick_init
@dataclass(frozen=True, slots=True)
class Edit:
    """One contiguous change inside a paragraph, made by the repair ``repair``.

    ``text[start:end]`` of the paragraph replaced ``original`` found at ``source`` in the
    source text. ``start == end`` means the original was dropped (a surplus fragment).
    """

    start: int
    end: int
    original: str
    source: Span
    repair: int


@dataclass(frozen=True, slots=True)
class Incident:
    """A stage direction inside a paragraph: ``text[start:end]`` of the paragraph, as printed.

    ``kind`` says how exporters mark it: ``"vocal"`` (laughter), ``"kinesic"`` (applause),
    ``"note"`` (an editorial note such as "(As interpreted.)") or ``"incident"`` (anything
    else: "(Inaudible.)", "Remark from the audience.").
    """

    kind: str
    start: int
    end: int
    text: str


@quick_init
@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of a turn: its repaired text, its source span, the edits made to it, and
    the stage directions it contains."""

    text: str
    span: Span
    edits: tuple[Edit, ...] = ()
    incidents: tuple[Incident, ...] = ()


@dataclass(frozen=True, slots=True)
class Turn:
    """A speaker turn: who speaks, the label exactly as printed, what kind, and what was said.

    ``speaker`` is ``None`` for an unattributed turn (text before any label in a document
    whose author is unknown); ``label`` and ``label_span`` are ``None`` when no label was printed.
    """

    speaker: str | None
    label: str | None
    label_span: Span | None
    kind: TurnKind | None
    paragraphs: tuple[Paragraph, ...]

    @property
    def text(self) -> str:
        """All paragraphs joined by blank lines."""
        return "\n\n".join(p.text for p in self.paragraphs)


@quick_init
@dataclass(frozen=True, slots=True)
class Repair:
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


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """Something the parser could not fully understand, with where it happened."""

    severity: Severity
    code: str
    message: str
    span: Span | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Metadata:
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


@dataclass(frozen=True, slots=True)
class Note:
    """Text of the source that is neither spoken nor site chrome: a description under the
    headline, a photo caption, an editor's note."""

    kind: str
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Transcript:
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

    def person(self, person_id: str) -> Person:
        """The participant or mentioned person with this id (``KeyError`` if none)."""
        for p in self.participants:
            if p.id == person_id:
                return p
        for p in self.metadata.mentioned:
            if p.id == person_id:
                return p
        raise KeyError(person_id)
