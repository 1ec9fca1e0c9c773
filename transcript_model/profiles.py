"""Publisher profiles: the layout rules of each publisher, as data.

A :class:`Profile` says where a publisher puts the headline, the lead, the date, time and
place lines and the document number, what site chrome to drop, which timezone its clock
shows, and which markers open speaker turns. Vocabulary shared by all publishers (genre
words, job-title words, anonymous labels, month names) lives in :class:`Vocabulary`. The
parser reads only these fields, so adding a publisher is adding a profile here, not
editing the parser; :data:`GENERIC` is the fallback for publishers we have no profile for.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from .model import TurnKind


@dataclass(frozen=True, slots=True)
class AnonymousLabel:
    """A label that names a role, not a person (``Question:``): who it stands for."""

    person_id: str
    kind: TurnKind | None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """Words the parser needs to read headlines and labels, in every language it knows."""

    # (pattern, canonical genre), tried in order against the title.
    genres: tuple[tuple[re.Pattern[str], str], ...]
    # Words that belong to a job title rather than to a name ("Foreign", "Minister").
    role_words: frozenset[str]
    # Lower-case particles that may appear inside job titles ("Minister of ...").
    name_particles: frozenset[str]
    # Lower-case particles that may appear inside names ("Hans-Friedrich von Ploetz").
    nobiliary: frozenset[str]
    # Words that end an organisation's name, so the name of a person follows them.
    org_words: frozenset[str]
    # Labels that stand for a role, keyed by the casefolded label without punctuation.
    anonymous_labels: Mapping[str, AnonymousLabel]
    # Capitalised prefixes with a colon that are never speaker labels (casefolded).
    not_labels: frozenset[str]
    # Words a speaker label never starts with ("The United Kingdom: ..." is a list item).
    not_label_starts: frozenset[str]
    # Honorifics printed before surnames in labels ("MR. KIRBY").
    honorifics: frozenset[str]
    # Country names and adjectives that open a job title ("US Secretary of State").
    countries: Mapping[str, str]
    # Stage directions: (pattern, kind); kinds are "kinesic", "vocal", "incident", "note".
    stage_directions: tuple[tuple[re.Pattern[str], str], ...]
    # Paragraphs that are whole stage directions ("Remark from the audience.").
    stage_paragraphs: tuple[tuple[re.Pattern[str], str], ...]


def _compile(pairs: tuple[tuple[str, str], ...], flags: int = re.IGNORECASE) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p, flags), g) for p, g in pairs)


_GENRES: Final[tuple[tuple[str, str], ...]] = (
    (
        r"\b(?:answers?|responses?|replies|reply) to (?:a |the )?(?:media|journalists'?|reporters'?|press)\b"
        r"(?: questions?)?|\b(?:answers?|responses?) to (?:a )?questions?\b",
        "answer to a media question",
    ),
    (r"\bответы? на вопросы\b|\bответ на вопрос\b", "answer to a media question"),
    (r"\bcomments? (?:to|for) the (?:media|press)\b", "comment"),
    (r"\b(?:joint )?(?:press|news) conference\b|\bпресс-конференци", "press conference"),
    (r"\bpress (?:call|gaggle)\b|\bbriefing\b|\bбрифинг", "briefing"),
    (r"\binterview\b|\bинтервью\b", "interview"),
    (r"\bstatement\b|\bзаявлени[ея]\b", "statement"),
    (r"\b(?:opening |closing )?remarks\b", "remarks"),
    (r"\b(?:opening |closing )?(?:speech|address)\b|\bвыступлени[ея]\b", "speech"),
    (r"\bmeeting\b|\btalks\b|\bвстреч[аи]\b|\bсовещани[ея]\b|\bпереговоры\b", "meeting"),
    (r"\bforum\b|\bфорум\b|\bdiscussion club\b", "meeting"),
    (r"\barticle\b|\bстатья\b", "article"),
    (r"\bcomment\b|\bкомментари[йя]\b", "comment"),
)

_ROLE_WORDS: Final = frozenset(
    """
    acting adviser advisor affairs aide ambassador anchor assistant cabinet chair chairman chairwoman
    chancellor chief commissioner communications council councillor councilor defence defense
    delegate department deputy director embassy envoy executive federal first foreign general
    government governor head high host interpreter king member minister ministry moderator
    national official officials permanent premier presenter president presidential press prime
    queen representative research secretary security senator senior special speaker spokesman
    spokesperson spokeswoman state under vice white house administration

    президент министр председатель заместитель посол пресс-секретарь глава губернатор
    руководитель директор помощник советник официальный представитель модератор ведущий
    """.split()
)

_COUNTRIES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "US": "United States",
        "U.S.": "United States",
        "American": "United States",
        "Russian": "Russian Federation",
        "Russia's": "Russian Federation",
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
        "Hungarian": "Hungary",
        "Iranian": "Iran",
        "EU": "European Union",
        "NATO": "NATO",
        "UN": "United Nations",
    }
)

_QUESTIONER: Final = AnonymousLabel("questioner", TurnKind.QUESTION, "questioner")
_AUDIENCE: Final = AnonymousLabel("audience", TurnKind.STATEMENT, "audience")
_ANONYMOUS: Final[Mapping[str, AnonymousLabel]] = MappingProxyType(
    {
        "question": _QUESTIONER,
        "questions": _QUESTIONER,
        "q": _QUESTIONER,
        "journalist": _QUESTIONER,
        "вопрос": _QUESTIONER,
        "журналист": _QUESTIONER,
        "answer": AnonymousLabel("respondent", TurnKind.ANSWER, "respondent"),
        "ответ": AnonymousLabel("respondent", TurnKind.ANSWER, "respondent"),
        "remark": _AUDIENCE,
        "response": _AUDIENCE,
        "reply": _AUDIENCE,
        "comment": _AUDIENCE,
        "voice": _AUDIENCE,
        "реплика": _AUDIENCE,
        "moderator": AnonymousLabel("moderator", None, "moderator"),
        "модератор": AnonymousLabel("moderator", None, "moderator"),
        "ведущий": AnonymousLabel("moderator", None, "moderator"),
        "interpreter": AnonymousLabel("interpreter", None, "interpreter"),
    }
)

_STAGE: Final = _compile(
    (
        (r"\((?:laughter|laughs|laughing)[^()]{0,30}\)", "vocal"),
        (r"\((?:applause|aplause)[^()]{0,30}\)", "kinesic"),
        (r"\((?:as interpreted|interpreted|via interpreter|in translation|retranslated)[^()]{0,30}\)", "note"),
        (
            r"\((?:inaudible|crosstalk|cross-talk|off[- ]mic|audio (?:cut|interrupted)|unintelligible|pause|"
            r"technical (?:break|problem)s?)[^()]{0,30}\)",
            "incident",
        ),
        (r"\((?:смех|оживление в зале)[^()]{0,30}\)", "vocal"),
        (r"\((?:аплодисменты)[^()]{0,30}\)", "kinesic"),
        (r"\((?:неразборчиво|говорит не в микрофон)[^()]{0,30}\)", "incident"),
    )
)
_STAGE_PARAGRAPHS: Final = _compile(
    (
        (r"(?:remark|comment|question|voice|noise|shouting)s? from the (?:audience|floor|hall)\.?", "incident"),
        (r"(?:реплика|вопрос|голос) из зала\.?", "incident"),
        (r"(?:applause|laughter)\.?", "kinesic"),
        (
            r"\((?:the )?(?:briefing|press conference|news conference|call|meeting|event|gaggle) (?:was |is )?"
            r"(?:concluded|ended|adjourned|over)[^()]{0,40}\)\.?",
            "incident",
        ),
    )
)

VOCABULARY: Final = Vocabulary(
    genres=_compile(_GENRES),
    role_words=_ROLE_WORDS,
    name_particles=frozenset({"of", "the", "for", "and", "on", "at", "in"}),
    nobiliary=frozenset({"von", "van", "de", "der", "den", "da", "del", "di", "du", "le", "la", "al", "bin", "ibn"}),
    org_words=frozenset(
        """club foundation council institute university agency group company corporation committee centre
        center bank fund forum union association party academy school service news media tv television
        radio newspaper channel programme program organisation organization ministry office
        department commission assembly parliament duma region oblast province republic territory krai
        city district county""".split()
    ),
    anonymous_labels=_ANONYMOUS,
    not_labels=frozenset(
        {
            "note",
            "notes",
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
            "updated",
            "ps",
            "nb",
            "read more",
            "share",
            "link",
            "url",
            "topics",
            "published in sections",
            "publication date",
            "advanced settings",
            "view settings",
            "asset publisher",
            "смотрите также",
            "дата публикации",
            "ссылка на материал",
            "опубликован в разделах",
            "темы",
            "география",
            "лица",
        }
    ),
    not_label_starts=frozenset(
        "the a an this that these those it in on at for as if when while but and or so then there here"
        " with from by to of after before during".split()
    ),
    honorifics=frozenset({"mr", "ms", "mrs", "miss", "dr", "prof", "sir", "madam", "mme", "m", "г-н", "г-жа"}),
    countries=_COUNTRIES,
    stage_directions=_STAGE,
    stage_paragraphs=_STAGE_PARAGRAPHS,
)


@dataclass(frozen=True, slots=True)
class Profile:
    """How one publisher lays out its transcripts."""

    name: str
    publisher: str | None
    hosts: tuple[str, ...]
    # IANA zone of the publisher's clock, for times printed without a zone.
    timezone: str | None
    # Selects this profile: a pattern found in the first part of the text.
    signature: re.Pattern[str] | None
    # The headline is the first block (Kremlin) rather than the first non-date line.
    title_first: bool = False
    # Paragraphs between the headline and the date line are the lead.
    lead_before_date: bool = False
    # A short line next to the date/time lines names the place.
    place_line: bool = False
    # The header's date is the date of the event as well as of publication.
    date_is_event: bool = False
    # A whole header line holding the document number; group ``number``.
    number_line: re.Pattern[str] | None = None
    # Blocks that separate the lead from the transcript ("* * *").
    body_separator: re.Pattern[str] | None = None
    # Whole blocks that are site chrome, anywhere in the document.
    chrome: tuple[re.Pattern[str], ...] = ()
    # A block opening a widget ("See also") whose next short blocks (a title, a date) are chrome too.
    widget_start: re.Pattern[str] | None = None
    # Trailing site chrome that ends the text inside a block (one-line scrapes).
    trailer_cut: re.Pattern[str] | None = None
    # Characters that decorate the start of a headline or paragraph (emoji).
    markers: str = ""
    # Markers that open a question turn even without a label ("❓").
    question_markers: str = ""
    # The whole text is one line: header fields and turns follow each other inline.
    one_line: bool = False
    # Labels printed inline after a sentence (one-line scrapes): pattern of the label itself.
    inline_label: re.Pattern[str] | None = None
    vocabulary: Vocabulary = VOCABULARY


# Site chrome: whole blocks that are menus, buttons, credits. One alternative a line: the
# regex engine passes over an alternative that opens with a case-sensitive literal or class
# when the block's first character is not in it (one check), and tries any other (each of
# thirty cost 10 to 20 ns a block, asked of every block, with case folded). So alternatives
# are not grouped, a repetition is said with its first turn apart ("#{1,6}" as "##{0,5}"),
# and _rx says each first letter case-sensitively (see _cased). tests/test_repair_machinery.py
# compares the pattern with the alternatives as they were grouped before.
_CHROME_COMMON: Final = (
    # language menus (de-DE1 en-GB1 es-ES1): the first letter as every letter [a-z] matches
    # with case folded (the Kelvin sign, long s, dotted and dotless i among them)
    "(?-i:[A-Za-z\u0130\u0131\u017f\u212a])" r"[a-z]-[A-Z]{2}\d*\s*(?:[a-z]{2}-[A-Z]{2}\d*\s*)+",
    "asset publisher",
    "advanced settings",
    "view settings",
    "font size:?.{0,40}",
    "print version",
    "версия для печати",
    "none",
    r"\* \* \*",
    r"\*\*\*",
    "share",
    "print",
    "read in full",
    "read more.{0,80}",
    "read the full.{0,80}",
    "full text.{0,80}",
    "watch the full interview.{0,60}",
    "watch the video.{0,60}",
    "subscribe.{0,60}",
    r"#[\w-]+[ \t]*(?:#[\w-]+[ \t]*)*",  # hashtag lines
    "table of contents",
    "contents",
    "содержание",
    r"##{0,5}\s+\S.{0,60}",  # markdown section headings ("## Russian")
    r"\{\{<.{0,300}>\}\}",  # Hugo shortcodes
    "<!--.{0,300}-->",  # HTML comments
    r"END(?:\s+\d{1,2}:\d{2}\s*[AaPp]\.?[Mm]\.?(?:\s+[A-Z]{2,4})?)?",
    "an official website of the united states government.{0,80}",
    "here'?s how you know.{0,40}",
)

# Photo credits ("Reuters photo: John Smith"), a pattern apart from the alternatives above:
# a credit has no fixed opening, and with it among them no block could be turned away by its
# first characters (layout.is_chrome asks each pattern only of the blocks its gate admits).
# A credit is at most 290 characters long, its "photo" starts within the first 201, and it
# does not end in ".". The length and the final "." are said first: "not 291 characters"
# fails at once on a longer text, and "not a final '.'" looks for a '.' followed by the
# end, which the engine finds by skipping to each '.' (without them every paragraph paid a
# 200-character backtracking scan, 2.7x). The engine then skips to each ":" within the
# first 209 characters (a literal after a repetition: it compares characters, no more) and
# asks what ends there: "photo:", "photo by:" or "фото:", the first letter's case as written
# and a non-word character (or none) before it, and no more than 206, 209 or 205 characters
# up to the ":" (its "p" or "ф" within the first 201). Said as four alternatives each
# skipping to its own first letter, the same took four scans of the text (2,650
# instructions a block of up to 290 characters against 1,350; tests compare the three forms).
_PHOTO_CREDIT: Final = (
    r"(?!.{291})(?!.*\.\Z).{0,208}:"
    r"(?:(?<!.{207})(?<=(?<!\w)(?-i:[pP])hoto:)"
    r"|(?<!.{210})(?<=(?<!\w)(?-i:[pP])hoto by:)"
    r"|(?<!.{206})(?<=(?<!\w)(?-i:[фФ])ото:))"
    r" [^.]{1,80}"
)

# What the regex engine takes for a letter with case folded beyond its two cases; every
# other letter of the two alphabets it takes for its two cases alone (tests/test_repair_
# machinery.py checks both against the engine, on every character)
_FOLDED_WITH: Final = {
    "i": "\u0130\u0131",  # dotted capital I, dotless small i
    "k": "\u212a",  # the Kelvin sign
    "s": "\u017f",  # long s
    "в": "\u1c80",  # old forms of Cyrillic letters
    "д": "\u1c81",
    "о": "\u1c82",
    "с": "\u1c83",
    "т": "\u1c84\u1c85",
    "ъ": "\u1c86",
}
_TWO_CASED: Final = frozenset("abcdefghijklmnopqrstuvwxyzабвгдеёжзийклмнопрстуфхцчшщъыьэюя") - set(_FOLDED_WITH)


def _cased(alternative: str) -> str:
    """``alternative`` with its first letter said as the case-sensitive class of what the
    letter matches with case folded, which the regex engine checks before it tries the
    alternative; unchanged where it opens with anything else.

    >>> _cased("share"), _cased("#tag"), _cased("Вид") == "(?-i:[Вв\u1c80])ид"
    ('(?-i:[Ssſ])hare', '#tag', True)
    """
    first = alternative[:1].lower()
    if first not in _TWO_CASED and first not in _FOLDED_WITH:
        return alternative
    cases = "".join(sorted({first, first.upper(), *_FOLDED_WITH.get(first, "")}))
    return f"(?-i:[{cases}]){alternative[1:]}"


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{_cased(a)})" for a in alternatives), re.IGNORECASE | re.DOTALL)


_CHROME: Final = (_rx(*_CHROME_COMMON), _rx(_PHOTO_CREDIT))
_STARS: Final = re.compile(r"\*\s*\*\s*\*")

MID_RU: Final = Profile(
    name="mid.ru",
    publisher="Ministry of Foreign Affairs of the Russian Federation",
    hosts=("mid.ru", "www.mid.ru"),
    timezone="Europe/Moscow",
    # a line that is the page's URL or the document number: "^\s*(URL|number)\s*$" in
    # multi-line mode, said from the start of the text, line by line (the engine tried "^"
    # at every character: 11 µs for a text that holds none, 3.6 now; tests compare the two)
    signature=re.compile(
        r"\A(?:[^\n]*\n)*?\s*(?:https?://(?:www\.)?mid\.ru/\S*|№\s*\d+-\d{2}-\d{2}-\d{4}|\d{3,5}-\d{2}-\d{2}-\d{4})"
        r"\s*(?=\n|\Z)"
    ),
    number_line=re.compile(r"(?:№|No\.?|N)?\s*(?P<number>\d+-\d{2}-\d{2}-\d{4})"),
    chrome=_CHROME,
)

KREMLIN: Final = Profile(
    name="kremlin.ru",
    publisher="President of Russia (Kremlin)",
    hosts=("kremlin.ru", "en.kremlin.ru", "www.kremlin.ru"),
    timezone="Europe/Moscow",
    # a date and time line near the top, or "kremlin.ru/" anywhere: said from the start of
    # the text (as an alternative unanchored, "kremlin.ru/" was tried at every character:
    # 25 µs for a text that holds neither); "anywhere" as the whole text, then back to each
    # "k" (a literal the regex engine skips to: line by line, the lazy repetition took 90,000
    # instructions more for a 3,000-character head; tests compare the forms)
    signature=re.compile(
        r"\A(?:(?s:.*)kremlin\.ru/|(?:[^\n]*\n){0,12}?\s*(?:January|February|March|April|May|June"
        r"|July|August|September|October|November|December) \d{1,2}, \d{4}\n\n\d{1,2}:\d{2}\n)",
    ),
    title_first=True,
    lead_before_date=True,
    place_line=True,
    date_is_event=True,
    body_separator=_STARS,
    chrome=_CHROME,
    widget_start=re.compile(r"see also|смотрите также|дополнительно", re.IGNORECASE),
)

KREMLIN_RU_SCRAPE: Final = Profile(
    name="kremlin.ru-scrape",
    publisher="Президент России",
    hosts=("kremlin.ru",),
    timezone="Europe/Moscow",
    signature=re.compile(r"\A\s*События\s.{0,1500}?\d{1,2}\s+[а-я]+\s+\d{4}\s+года\s+\d{1,2}:\d{2}", re.DOTALL),
    title_first=True,
    lead_before_date=True,
    place_line=True,
    date_is_event=True,
    body_separator=_STARS,
    chrome=(_rx(r"События", *_CHROME_COMMON), _CHROME[1]),
    widget_start=re.compile(r"смотрите также|дополнительно", re.IGNORECASE),
    trailer_cut=re.compile(
        r"\s(?:(?:География|Темы|Лица)\s.{0,400}?)?Статус материала\s.*\Z|\sСтатус материала\s.*\Z", re.DOTALL
    ),
    one_line=True,
    inline_label=re.compile(
        r"(?:(?<=[.!?»…)*])\s+|^)(?P<label>(?:[А-ЯЁA-Z]\.\s?){1,2}[А-ЯЁA-Z][а-яёa-z]+(?:-[А-ЯЁA-Z][а-яёa-z]+)?"
        r"|Вопрос(?:\s\([^)]{1,30}\))?|Реплика|Ответ)\s?:\s"
    ),
)

MFA_TELEGRAM: Final = Profile(
    name="mfa-telegram",
    publisher="Ministry of Foreign Affairs of the Russian Federation",
    hosts=("t.me",),
    timezone="Europe/Moscow",
    signature=re.compile(r"\A\s*[\U0001F000-\U0001FFFF\u2600-\u27BF]"),
    chrome=_CHROME,
    markers="🎙📺🎥📰🗓⚡❗☝👉💬❓📍🔹🔸▪️•⚠\ufe0f ",
    question_markers="❓",
)

WHITE_HOUSE: Final = Profile(
    name="whitehouse.gov",
    publisher="The White House",
    hosts=("whitehouse.gov", "www.whitehouse.gov", "bidenwhitehouse.archives.gov", "trumpwhitehouse.archives.gov"),
    timezone="America/New_York",
    signature=re.compile(r"\A---\n(?:.*\n){0,20}?source_url:\s*\S*whitehouse", re.IGNORECASE),
    place_line=True,
    chrome=_CHROME,
)

GENERIC: Final = Profile(
    name="generic",
    publisher=None,
    hosts=(),
    timezone=None,
    signature=None,
    place_line=True,
    number_line=None,
    body_separator=_STARS,
    chrome=_CHROME,
    widget_start=re.compile(r"see also|смотрите также", re.IGNORECASE),
    markers="🎙📺🎥💬❓☝👉❗\ufe0f ",
    question_markers="❓",
)

PROFILES: Final[Mapping[str, Profile]] = MappingProxyType(
    {p.name: p for p in (MID_RU, KREMLIN_RU_SCRAPE, KREMLIN, MFA_TELEGRAM, WHITE_HOUSE, GENERIC)}
)
"""Every profile by name, in the order they are tried; :data:`GENERIC` last."""

_SIGNATURE_WINDOW: Final = 3000


_SCHEME: Final = re.compile(r"^[a-z]+://")


def profile_for_url(url: str | None) -> Profile | None:
    """The profile whose host serves ``url``, if any."""
    if not url:
        return None
    host = _SCHEME.sub("", url.strip().lower()).split("/")[0]
    for profile in PROFILES.values():
        if host in profile.hosts:
            return profile
    return None


def choose_profile(text: str, override: str | Profile | None = None) -> Profile:
    """The profile for ``text``: ``override`` if given, else the first whose signature
    matches the start of the text, else :data:`GENERIC`.

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
    head = text[:_SIGNATURE_WINDOW]
    for profile in PROFILES.values():
        if profile.signature is not None and profile.signature.search(head):
            return profile
    return GENERIC
