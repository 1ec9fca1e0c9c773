"""Publisher profiles: the layout rules of each publisher, as data.

A :class:`Profile` says how a publisher prints its header lines (date/time, document
number), which words name genres and roles, which labels are anonymous, and which
host names identify it. The parser reads only these fields, so adding a publisher is
adding a profile here, not editing the parser.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .model import TurnKind

_MONTHS_EN = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTHS: Mapping[str, int] = MappingProxyType(
    {name: i + 1 for i, name in enumerate(_MONTHS_EN)}
    | {name[:3]: i + 1 for i, name in enumerate(_MONTHS_EN)}
    | {"sept": 9}
)


@dataclass(frozen=True, slots=True)
class AnonymousLabel:
    """A label that names a role, not a person (``Question:``): who it stands for."""

    person_id: str
    kind: TurnKind | None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Profile:
    """How one publisher lays out its transcripts."""

    name: str
    publisher: str | None
    hosts: tuple[str, ...]
    timezone: str | None
    # A whole header line with the publication date and time. Named groups: day, month,
    # year, and optionally hour, minute.
    dateline: re.Pattern[str] | None
    # A whole header line with the document number; group ``number``.
    number_line: re.Pattern[str] | None
    # (pattern, canonical genre), tried in order against the title.
    genres: tuple[tuple[re.Pattern[str], str], ...]
    # Words that belong to a job title rather than to a name ("Foreign", "Minister").
    role_words: frozenset[str]
    # Lower-case particles that may appear inside names or job titles.
    name_particles: frozenset[str]
    # Labels that stand for a role, keyed by the casefolded label without punctuation.
    anonymous_labels: Mapping[str, AnonymousLabel]
    # Capitalised prefixes with a colon that are never speaker labels.
    not_labels: frozenset[str]
    # Country names and adjectives that open a job title ("US Secretary of State").
    countries: Mapping[str, str] = field(default_factory=dict)
    # Detection: a pattern whose presence in the text selects this profile.
    signature: re.Pattern[str] | None = None


_GENRES_EN: tuple[tuple[str, str], ...] = (
    (
        r"(?:answers?|responses?|replies?) to (?:a )?(?:media|journalists'?|reporters'?) questions?",
        "answer to a media question",
    ),
    (r"comments? (?:to|for) the media", "comment"),
    (r"(?:joint )?(?:press|news) conference", "press conference"),
    (r"(?:press )?briefing", "briefing"),
    (r"interview", "interview"),
    (r"(?:opening |closing )?remarks", "remarks"),
    (r"(?:opening |closing )?(?:speech|address)", "speech"),
    (r"statement", "statement"),
    (r"article", "article"),
    (r"comment", "comment"),
)

_ROLE_WORDS_EN = frozenset(
    [
        "acting",
        "adviser",
        "advisor",
        "affairs",
        "ambassador",
        "assistant",
        "cabinet",
        "chair",
        "chairman",
        "chairwoman",
        "chancellor",
        "chief",
        "commissioner",
        "council",
        "defence",
        "defense",
        "deputy",
        "director",
        "envoy",
        "executive",
        "first",
        "foreign",
        "general",
        "government",
        "head",
        "high",
        "king",
        "minister",
        "ministry",
        "official",
        "premier",
        "president",
        "prime",
        "representative",
        "russian",
        "secretary",
        "senior",
        "special",
        "spokesman",
        "spokesperson",
        "spokeswoman",
        "state",
        "under",
        "vice",
        "permanent",
        "united",
        "nations",
        "federation",
        "federal",
        "councillor",
        "councilor",
        "republic",
        "kingdom",
        "council",
        "security",
        "national",
        "press",
        "attache",
        "consul",
        "consulate",
        "embassy",
        "department",
        "affairs",
    ]
)

_COUNTRIES_EN: Mapping[str, str] = MappingProxyType(
    {
        "US": "United States",
        "U.S.": "United States",
        "American": "United States",
        "Russian": "Russian Federation",
        "French": "France",
        "German": "Germany",
        "British": "United Kingdom",
        "UK": "United Kingdom",
        "Chinese": "China",
        "Ukrainian": "Ukraine",
        "Turkish": "Türkiye",
        "Indian": "India",
        "Japanese": "Japan",
        "Italian": "Italy",
        "Polish": "Poland",
        "Swiss": "Switzerland",
        "Belarusian": "Belarus",
        "EU": "European Union",
        "NATO": "NATO",
        "UN": "United Nations",
    }
)

_ANONYMOUS_EN: Mapping[str, AnonymousLabel] = MappingProxyType(
    {
        "question": AnonymousLabel("questioner", TurnKind.QUESTION, "questioner"),
        "q": AnonymousLabel("questioner", TurnKind.QUESTION, "questioner"),
        "answer": AnonymousLabel("respondent", TurnKind.ANSWER, "respondent"),
        "response": AnonymousLabel("respondent", TurnKind.ANSWER, "respondent"),
        "remark": AnonymousLabel("audience", TurnKind.STATEMENT, "audience member"),
        "reply": AnonymousLabel("respondent", TurnKind.ANSWER, "respondent"),
    }
)

_NOT_LABELS_EN = frozenset(
    {
        "note",
        "photo",
        "source",
        "see also",
        "font size",
        "reference",
        "example",
        "for example",
        "ie",
        "eg",
        "tags",
        "title",
        "date",
        "attention",
        "update",
        "ps",
    }
)


def _compile(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(rf"\b{p}\b", re.IGNORECASE), g) for p, g in pairs)


MID_RU = Profile(
    name="mid.ru",
    publisher="Ministry of Foreign Affairs of the Russian Federation",
    hosts=("mid.ru", "www.mid.ru"),
    timezone="Europe/Moscow",
    dateline=re.compile(
        r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?:\s+(?P<hour>\d{1,2}):(?P<minute>\d{2}))?"
    ),
    number_line=re.compile(r"(?:№|No\.?|N)\s*(?P<number>\d+-\d{2}-\d{2}-\d{4})"),
    genres=_compile(_GENRES_EN),
    role_words=_ROLE_WORDS_EN,
    name_particles=frozenset({"of", "the", "for", "and", "on", "de", "von", "van", "al", "bin"}),
    anonymous_labels=_ANONYMOUS_EN,
    not_labels=_NOT_LABELS_EN,
    countries=_COUNTRIES_EN,
    signature=re.compile(r"https?://(?:www\.)?mid\.ru/|^\s*№\s*\d+-\d{2}-\d{2}-\d{4}\s*$", re.M),
)

GENERIC = Profile(
    name="generic",
    publisher=None,
    hosts=(),
    timezone=None,
    dateline=MID_RU.dateline,
    number_line=None,
    genres=MID_RU.genres,
    role_words=MID_RU.role_words,
    name_particles=MID_RU.name_particles,
    anonymous_labels=MID_RU.anonymous_labels,
    not_labels=MID_RU.not_labels,
    countries=MID_RU.countries,
)

PROFILES: Mapping[str, Profile] = MappingProxyType({p.name: p for p in (MID_RU, GENERIC)})


def choose_profile(text: str, override: str | Profile | None = None) -> Profile:
    """The profile for ``text``: ``override`` if given, else the first whose signature
    matches, else :data:`GENERIC`.

    >>> choose_profile("01.02.2022\\n\\n№ 132-01-02-2022\\n").name
    'mid.ru'
    >>> choose_profile("Hello").name
    'generic'
    """
    if isinstance(override, Profile):
        return override
    if override is not None:
        try:
            return PROFILES[override]
        except KeyError:
            known = ", ".join(sorted(PROFILES))
            raise ValueError(f"unknown profile {override!r}; known profiles: {known}") from None
    for profile in PROFILES.values():
        if profile.signature is not None and profile.signature.search(text):
            return profile
    return GENERIC
