"""Reading a headline: who speaks, the genre, the occasion, the place and the date.

``"Foreign Minister Sergey Lavrov's answer to a media question following his telephone
conversation with US Secretary of State Antony Blinken, Moscow, February 1, 2022"`` gives
the author (role *Foreign Minister*, name *Sergey Lavrov*), the genre, the occasion, the
place *Moscow*, the date 2022-02-01, and the mentioned person *Antony Blinken* (role *US
Secretary of State*). Telegram-style headlines put place and date in parentheses at the end:
``"... (Moscow, February 9, 2026)"``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from .dates import DATE_RX, date_from
from .profiles import Vocabulary

_DATE_TAIL: Final = re.compile(rf"(?:,|\s[–—-])\s*(?:{DATE_RX})\s*\.?\s*$", re.IGNORECASE)
_PAREN_TAIL: Final = re.compile(r"\s*\((?P<inner>[^()]{4,80})\)\s*\.?\s*$")
_PLACE: Final = r"[^\W\d_][\w.'’-]*(?:[ -][^\W\d_][\w.'’-]*){0,3}"
_PLACE_TAIL: Final = re.compile(rf",\s*(?P<place>{_PLACE})\s*$")
_POSSESSIVES: Final = ("'s", "’s")
_POSSESSIVE_MARKS: Final = ("'", "’")
_NAME_TOKEN: Final = re.compile(r"^[^\W\d_a-zа-яё][\w.'’-]*$")
_SPACED_POSSESSIVE: Final = re.compile(r"(\w)\s+(['’]s)\b")
_POSSESSIVE_AUTHOR: Final = re.compile(r"(?P<who>[^'’]{3,200}?)['’]s\b")
_BY_PHRASE: Final = re.compile(
    r"\s*by\s+(?P<who>.+?)(?=\s+(?:at|on|in|to|with|following|during|after|before|regarding|about|for)\s|,|:|$)"
)


@dataclass(frozen=True, slots=True)
class PersonRef:
    """A person named in running text, with the job title printed before the name."""

    name: str
    role: str | None
    affiliation: str | None

    def __init__(self, name: str, role: str | None, affiliation: str | None) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "role", role)
        object.__setattr__(self, "affiliation", affiliation)


@dataclass(frozen=True, slots=True)
class TitleInfo:
    author: PersonRef | None
    genre: str | None
    occasion: str | None
    place: str | None
    date: dt.date | None
    mentioned: tuple[PersonRef, ...]


def _join_spaced_possessives(text: str) -> str:
    """``"Lavrov 's"`` → ``"Lavrov's"``: what ``_SPACED_POSSESSIVE.sub(r"\\1\\2", text)`` gives.

    The pattern is tried only where an apostrophe follows whitespace (``\\s`` is what
    ``str.isspace`` says): it opens with a word character, so the engine tried it at every
    one (2.3 µs for a headline with no such apostrophe; this, a few searches for one).

    >>> _join_spaced_possessives("Sergey Lavrov 's remarks"), _join_spaced_possessives("Lavrov's")
    ("Sergey Lavrov's remarks", "Lavrov's")
    """
    for mark in _POSSESSIVE_MARKS:
        at = text.find(mark, 1)
        while at > 0:
            if text[at - 1].isspace():
                return _SPACED_POSSESSIVE.sub(r"\1\2", text)
            at = text.find(mark, at + 1)
    return text


def split_date_place(title: str) -> tuple[str, str | None, dt.date | None]:
    """Strip a trailing ``", Place, Month D, YYYY"`` or ``"(Place, Date)"`` from a headline.

    >>> split_date_place("Remarks, Moscow, February 1, 2022")
    ('Remarks', 'Moscow', datetime.date(2022, 2, 1))
    >>> split_date_place("Remarks at the conference (Moscow, February 9, 2026)")
    ('Remarks at the conference', 'Moscow', datetime.date(2026, 2, 9))
    >>> split_date_place("Answer to a question (March 4, 2026, Moscow)")
    ('Answer to a question', 'Moscow', datetime.date(2026, 3, 4))
    >>> split_date_place("Remarks at the UN")
    ('Remarks at the UN', None, None)
    """
    paren = _paren_tail(title)
    if paren is not None:
        in_parens = _date_and_place(paren["inner"])
        if in_parens is not None:
            return title[: paren.start()].rstrip(" ,"), in_parens[0], in_parens[1]
    m = _date_tail(title)
    if m is None:
        return title, None, None
    date = date_from(m)
    if date is None:
        return title, None, None
    head = title[: m.start()]
    place = None
    # A place is only taken when a date follows it, as in the publisher's "…, Moscow, <date>".
    p = _PLACE_TAIL.search(head)
    if p:
        place = p["place"]
        head = head[: p.start()]
    return head.rstrip(" ,"), place, date


def _paren_tail(title: str) -> re.Match[str] | None:
    """``_PAREN_TAIL.search(title)``, tried at the one place it can match: its "(" is the
    title's last (none can follow it), with the spaces before it (the regex engine tried
    the pattern at every character: 31,000 instructions for a headline of 150).

    >>> _paren_tail("Talks (Moscow, 9 May 2026) .").start(), _paren_tail("(a) b"), _paren_tail("x  (abcd)")["inner"]
    (5, None, 'abcd')
    """
    opening = title.rfind("(")
    if opening < 0:
        return None
    start = opening
    while start > 0 and title[start - 1].isspace():  # what \s matches (the same test)
        start -= 1
    return _PAREN_TAIL.match(title, start)


def _date_tail(title: str) -> re.Match[str] | None:
    """``_DATE_TAIL.search(title)``, tried only where a match can start, in order: at each
    comma, and at each space before a dash (the regex engine tried the pattern at every
    character, and the month names after every comma: 46,000 instructions for a headline
    of 150 characters; most hold two to four commas).

    >>> _date_tail("Remarks, Moscow, February 1, 2022").start(), _date_tail("Remarks - 1.02.2022 .").start()
    (15, 7)
    >>> _date_tail("Remarks, Moscow"), _date_tail("Remarks,-1.02.2022")
    (None, None)
    """
    starts = []
    pos = title.find(",")
    while pos >= 0:
        starts.append(pos)
        pos = title.find(",", pos + 1)
    for dash in "-–—":
        pos = title.find(dash, 1)
        while pos >= 0:
            if title[pos - 1].isspace():
                starts.append(pos - 1)
            pos = title.find(dash, pos + 1)
    starts.sort()
    for start in starts:
        m = _DATE_TAIL.match(title, start)
        if m is not None:
            return m
    return None


_DATE_AND_PLACE: Final = re.compile(rf"(?:(?P<before>{_PLACE}),\s*)?(?:{DATE_RX})(?:,\s*(?P<after>{_PLACE}))?", re.I)
_ROLE_WORD: Final = re.compile(r"[\w-]+")
_ARTICLE: Final = re.compile(r"^(?:a|an|the)\s+", re.I)


def _date_and_place(inner: str) -> tuple[str | None, dt.date] | None:
    """``"Moscow, February 9, 2026"``, ``"March 4, 2026, Moscow"`` or ``"25 February 2026"``."""
    m = _DATE_AND_PLACE.fullmatch(inner.strip())
    if m is None:
        return None
    date = date_from(m)
    if date is None:
        return None
    return m["before"] or m["after"], date


def split_person(phrase: str, vocab: Vocabulary) -> PersonRef | None:
    """Split ``"US Secretary of State Antony Blinken"`` into role, affiliation and name.

    The name is the longest run (at most four) of capitalised tokens at the end that are
    not job-title words; everything before it is the role. A role that opens with a
    country word gives the affiliation.

    >>> from transcript_model.profiles import VOCABULARY as V
    >>> split_person("President of Russia Vladimir Putin", V)
    PersonRef(name='Vladimir Putin', role='President of Russia', affiliation=None)
    """
    tokens = phrase.replace(",", " , ").split()
    if not tokens:
        return None
    i = len(tokens)
    while i > 0 and len(tokens) - i < 4:
        if _is_name_token(tokens[i - 1], vocab):
            i -= 1
        elif i > 1 and i < len(tokens) and tokens[i - 1] in vocab.nobiliary and _is_name_token(tokens[i - 2], vocab):
            i -= 1  # "Hans-Friedrich von Ploetz"
        else:
            break
    # "Chairman of ... the Valdai Discussion Club Andrei Bystritsky": words up to the last
    # organisation word belong to the role
    orgs = [k for k in range(i, len(tokens)) if tokens[k].strip(",").casefold() in vocab.org_words]
    if orgs and orgs[-1] < len(tokens) - 1:
        i = orgs[-1] + 1
    # "President of Russia Vladimir Putin": the word after "of" names the office's country
    # or body, so it belongs to the role.
    while 0 < i < len(tokens) - 1 and tokens[i - 1] in vocab.name_particles:
        i += 1
    name_tokens = tokens[i:]
    if name_tokens and name_tokens[-1].casefold() in vocab.org_words:
        return None  # "the Northern Region" names a body, not a person
    if not name_tokens or (len(name_tokens) == 1 and i == 0 and not _looks_like_surname(name_tokens[0])):
        return None
    role = " ".join(tokens[:i]).replace(" , ", ", ").strip(" ,") or None
    affiliation = vocab.countries.get(role.split()[0]) if role else None
    return PersonRef(" ".join(name_tokens), role, affiliation)


def _looks_like_surname(token: str) -> bool:
    return len(token) > 1 and token[0].isupper()


_ROLE_PARTS: Final = re.compile(r"[-.]")


def _is_role_token(token: str, vocab: Vocabulary) -> bool:
    if token in vocab.countries:
        return True
    low = token.lower()
    if "-" not in low and "." not in low:  # most words: one part
        return bool(low) and low in vocab.role_words
    parts = [p for p in _ROLE_PARTS.split(low) if p]
    return bool(parts) and all(p in vocab.role_words for p in parts)


def _is_name_token(token: str, vocab: Vocabulary) -> bool:
    return bool(_NAME_TOKEN.match(token)) and not _is_role_token(token, vocab)


def _opens_in_lower_case(word: str) -> bool:
    """Whether ``word`` opens with a letter that ``_NAME_TOKEN``'s first class excludes by
    name (a-z, а-я, ё): no name, said without the pattern (most words of a headline).

    >>> [_opens_in_lower_case(w) for w in ("talks", "ёлка", "Lavrov", "Éric", "1st", "")]
    [True, True, False, False, False, False]
    """
    first = word[:1]
    return "a" <= first <= "z" or "а" <= first <= "я" or first == "ё"


def find_people(text: str, vocab: Vocabulary) -> list[PersonRef]:
    """Every ``<job title> <Name Name>`` run in running text, in order.

    >>> from transcript_model.profiles import VOCABULARY as V
    >>> [p.name for p in find_people("talks with US Secretary of State Antony Blinken", V)]
    ['Antony Blinken']
    """
    raw_words = _join_spaced_possessives(text).replace(",", " , ").split()
    # a word that ends in 's (split at whitespace, a word ends where the pattern ['’]s$ would)
    possessive = {n + 1 for n, w in enumerate(raw_words) if w.endswith(_POSSESSIVES)}
    words = [w[:-2] if w.endswith(_POSSESSIVES) else w for w in raw_words]
    # each word's kind, once: the scan below looks at a word again from every start before it
    role = [_is_role_token(w, vocab) for w in words]
    name = [
        not r and not _opens_in_lower_case(w) and _NAME_TOKEN.match(w) is not None
        for w, r in zip(words, role, strict=True)
    ]
    found: list[PersonRef] = []
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and (role[j] or (j > i and words[j] in vocab.name_particles)):
            j += 1
        # "of Russia", "of the Republic of Turkey" after a title belong to it
        while j > i and j < len(words) - 2 and words[j - 1] in vocab.name_particles and words[j][:1].isupper():
            j += 1
        k = j
        while k < len(words) and k - j < 4 and name[k]:
            k += 1
            if k in possessive:  # "President Biden's Call": a possessive ends the name
                break
        if j > i and k - j >= 2 and words[i][:1].isupper():
            ref = split_person(" ".join(words[i:k]), vocab)
            if ref is not None:
                found.append(ref)
            i = k
        else:
            i += 1
    return found


_NAME_COMMA_ROLE: Final = re.compile(
    r"(?P<name>[^\W\d_a-z][\w'’-]+(?: [^\W\d_a-z][\w.'’-]+){1,3}),\s+(?P<role>[^\W\d_a-z][^,\n]{2,80})"
)


def name_comma_role(line: str, vocab: Vocabulary) -> PersonRef | None:
    """A byline ``"Ned Price, Department Spokesperson"``: a name, a comma, a job title.

    >>> from transcript_model.profiles import VOCABULARY as V
    >>> name_comma_role("Ned Price, Department Spokesperson", V)
    PersonRef(name='Ned Price', role='Department Spokesperson', affiliation=None)
    """
    m = _NAME_COMMA_ROLE.fullmatch(line.strip())
    if m is None:
        return None
    role_words = [w.casefold() for w in _ROLE_WORD.findall(m["role"])]
    if not any(w in vocab.role_words for w in role_words):
        return None
    return PersonRef(m["name"], m["role"], None)


def parse_title(title: str, vocab: Vocabulary) -> TitleInfo:
    """Read author, genre, occasion, place, date and mentioned persons from a headline."""
    head, place, date = split_date_place(title.strip())
    head = _join_spaced_possessives(head)
    genre = None
    genre_match = None
    for pattern, canonical in vocab.genres:
        genre_match = pattern.search(head)
        if genre_match:
            genre = canonical
            break
    author = None
    occasion = None
    if genre_match is not None:
        before = head[: genre_match.start()].rstrip()
        after = head[genre_match.end() :]
        occasion = after.strip(" ,") or None
        possessive = _POSSESSIVE_AUTHOR.match(before)
        if possessive is not None:
            # "Foreign Minister Sergey Lavrov's remarks and answers to media questions ..."
            author = split_person(possessive["who"], vocab)
        elif (by := _BY_PHRASE.match(after)) is not None and " and " not in by["who"]:
            # "Briefing by Foreign Ministry Spokeswoman Maria Zakharova, Moscow, ..."
            author = split_person(_ARTICLE.sub("", by["who"]), vocab)
            occasion = after[by.end("who") :].strip(" ,") or None
    mentioned = tuple(ref for ref in find_people(head, vocab) if author is None or ref.name != author.name)
    return TitleInfo(author, genre, occasion, place, date, mentioned)
