"""Reading a headline: who speaks, the genre, the occasion, the place and the date.

``"Foreign Minister Sergey Lavrov's answer to a media question following his telephone
conversation with US Secretary of State Antony Blinken, Moscow, February 1, 2022"`` gives
the author (role *Foreign Minister*, name *Sergey Lavrov*), the genre, the occasion, the
place *Moscow*, the date 2022-02-01, and the mentioned person *Antony Blinken* (role *US
Secretary of State*).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .profiles import MONTHS, Profile

_MONTH_RX = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_TAIL = re.compile(
    rf",\s*(?:(?P<m1>{_MONTH_RX})\.?\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH_RX})\.?,?\s+(?P<y2>\d{{4}}))\s*\.?\s*$",
    re.IGNORECASE,
)
_PLACE_TAIL = re.compile(r",\s*(?P<place>[A-Z][\w.'’-]*(?:[ -][A-Z][\w.'’-]*){0,3})\s*$")
_POSSESSIVE = re.compile(r"['’]s?\s*$")
_POSSESSIVE_WORD = re.compile(r"['’]s$")
_NAME_TOKEN = re.compile(r"^[A-Z][\w.'’-]*$")


@dataclass(frozen=True, slots=True)
class PersonRef:
    """A person named in running text, with the job title printed before the name."""

    name: str
    role: str | None
    affiliation: str | None


@dataclass(frozen=True, slots=True)
class TitleInfo:
    author: PersonRef | None
    genre: str | None
    occasion: str | None
    place: str | None
    date: dt.date | None
    mentioned: tuple[PersonRef, ...]


def parse_date_words(day: str, month: str, year: str) -> dt.date | None:
    """``("1", "February", "2022")`` → ``date(2022, 2, 1)``; ``None`` if not a real date."""
    m = MONTHS.get(month.lower().rstrip("."))
    if m is None:
        return None
    try:
        return dt.date(int(year), m, int(day))
    except ValueError:
        return None


def split_date_place(title: str) -> tuple[str, str | None, dt.date | None]:
    """Strip a trailing ``", Place, Month D, YYYY"`` from a headline.

    >>> split_date_place("Remarks, Moscow, February 1, 2022")
    ('Remarks', 'Moscow', datetime.date(2022, 2, 1))
    >>> split_date_place("Remarks at the UN")
    ('Remarks at the UN', None, None)
    """
    date = None
    m = _DATE_TAIL.search(title)
    if m:
        if m["y1"]:
            date = parse_date_words(m["d1"], m["m1"], m["y1"])
        else:
            date = parse_date_words(m["d2"], m["m2"], m["y2"])
        if date is not None:
            title = title[: m.start()]
    place = None
    # A place is only taken when a date follows it, as in the publisher's "…, Moscow, <date>".
    if date is not None:
        p = _PLACE_TAIL.search(title)
        if p:
            place = p["place"]
            title = title[: p.start()]
    return title.rstrip(" ,"), place, date


def split_person(phrase: str, profile: Profile) -> PersonRef | None:
    """Split ``"US Secretary of State Antony Blinken"`` into role, affiliation and name.

    The name is the longest run of capitalised tokens at the end that are not job-title
    words; everything before it is the role. A role that opens with a country word gives
    the affiliation.
    """
    tokens = phrase.split()
    if not tokens:
        return None
    i = len(tokens)
    while i > 0 and _is_name_token(tokens[i - 1], profile):
        i -= 1
    # "President of Russia Vladimir Putin": the word after "of" names the office's country
    # or body, so it belongs to the role.
    while 0 < i < len(tokens) - 1 and tokens[i - 1] in profile.name_particles:
        i += 1
    name_tokens = tokens[i:]
    if not name_tokens or len(name_tokens) > 4:
        return None
    if len(name_tokens) == 1 and i == 0:
        return None
    role = " ".join(tokens[:i]) or None
    affiliation = None
    if role is not None:
        first = role.split()[0]
        affiliation = profile.countries.get(first)
    return PersonRef(" ".join(name_tokens), role, affiliation)


def _is_name_token(token: str, profile: Profile) -> bool:
    return bool(_NAME_TOKEN.match(token)) and not _is_role_token(token, profile)


def _is_role_token(token: str, profile: Profile) -> bool:
    if token in profile.countries:
        return True
    parts = [p for p in re.split(r"[-.]", token.lower()) if p]
    return bool(parts) and all(p in profile.role_words for p in parts)


def find_people(text: str, profile: Profile) -> list[PersonRef]:
    """Every ``<job title> <Name Name>`` run in running text, in order.

    >>> from transcript_model.profiles import MID_RU
    >>> [p.name for p in find_people("talks with US Secretary of State Antony Blinken", MID_RU)]
    ['Antony Blinken']
    """
    words = [_POSSESSIVE_WORD.sub("", w) for w in text.replace(",", " , ").split()]
    found: list[PersonRef] = []
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and (_is_role_token(words[j], profile) or (j > i and words[j] in profile.name_particles)):
            j += 1
        k = j
        while k < len(words) and k - j < 4 and _is_name_token(words[k], profile):
            k += 1
        if j > i and k - j >= 2 and words[i][:1].isupper():
            ref = split_person(" ".join(words[i:k]), profile)
            if ref is not None:
                found.append(ref)
            i = k
        else:
            i += 1
    return found


def parse_title(title: str, profile: Profile) -> TitleInfo:
    """Read author, genre, occasion, place, date and mentioned persons from a headline."""
    head, place, date = split_date_place(title)
    genre = None
    genre_match = None
    for pattern, canonical in profile.genres:
        genre_match = pattern.search(head)
        if genre_match:
            genre = canonical
            break
    author = None
    occasion = None
    if genre_match is not None:
        before = head[: genre_match.start()].rstrip()
        occasion = head[genre_match.end() :].strip(" ,") or None
        if _POSSESSIVE.search(before) and before[-2:] in ("'s", "’s"):
            author = split_person(before[:-2], profile)
    mentioned = tuple(ref for ref in find_people(head, profile) if author is None or ref.name != author.name)
    return TitleInfo(author, genre, occasion, place, date, mentioned)
