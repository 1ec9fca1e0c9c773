"""Dates and times as publishers print them: English in both orders, Russian, numeric,
24-hour and 12-hour clocks with zone abbreviations.

>>> parse_date_line("February 1, 2022").date
datetime.date(2022, 2, 1)
>>> parse_date_line("19 февраля 2025 года 17:05").time
datetime.time(17, 5)
>>> parse_date_line("5:41 P.M. EST").time
datetime.time(17, 41, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400), 'EST'))
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import ClassVar, Final

_EN: Final = "january february march april may june july august september october november december".split()
_RU_GEN: Final = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()
_RU_NOM: Final = "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь".split()

MONTHS: Final[Mapping[str, int]] = MappingProxyType(
    {n: i + 1 for i, n in enumerate(_EN)}
    | {n[:3]: i + 1 for i, n in enumerate(_EN)}
    | {"sept": 9}
    | {n: i + 1 for i, n in enumerate(_RU_GEN)}
    | {n: i + 1 for i, n in enumerate(_RU_NOM)}
)
"""Month names (English full and abbreviated, Russian genitive and nominative) → number."""

ZONES: Final[Mapping[str, int]] = MappingProxyType(
    {
        "UTC": 0,
        "GMT": 0,
        "BST": 60,
        "CET": 60,
        "CEST": 120,
        "EET": 120,
        "EEST": 180,
        "MSK": 180,
        "EST": -300,
        "EDT": -240,
        "CST": -360,
        "CDT": -300,
        "MST": -420,
        "MDT": -360,
        "PST": -480,
        "PDT": -420,
        "AKST": -540,
        "AKDT": -480,
        "HST": -600,
        "IST": 330,
        "JST": 540,
        "KST": 540,
    }
)
"""Zone abbreviations printed after times → offset from UTC in minutes."""

_MONTH_RX: Final = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR: Final = rf"(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH_RX})\.?,?\s+(?P<y1>\d{{4}})(?:\s*(?:года|г\.))?"
_MONTH_DAY_YEAR: Final = rf"(?P<m2>{_MONTH_RX})\.?\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})"
_NUMERIC: Final = r"(?P<d3>\d{1,2})\.(?P<m3>\d{1,2})\.(?P<y3>\d{4})"
_ISO: Final = r"(?P<y4>\d{4})-(?P<m4>\d{2})-(?P<d4>\d{2})"
DATE_RX: Final = rf"(?:{_DAY_MONTH_YEAR}|{_MONTH_DAY_YEAR}|{_NUMERIC}|{_ISO})"
TIME_RX: Final = (
    r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?))?"
    r"(?:\s+(?P<zone>[A-Z]{2,4}))?(?![\w:])"
)
_DATE_LINE: Final = re.compile(rf"(?:{DATE_RX})(?:,?\s*(?:{TIME_RX}))?\.?", re.IGNORECASE)
_TIME_LINE: Final = re.compile(rf"{TIME_RX}\.?")
# what both lines open with: a digit (a day, a year, an hour) or a month's first two letters.
# Asked first, it turns most paragraphs away in one step; the line pattern tried its forty
# month names at the start of each (0.5 µs a paragraph, this 0.1). Two letters, not one: a
# paragraph opening "On", "As" or "Mr" passed one letter, and both line patterns were tried
_DATE_LINE_START: Final = re.compile(rf"\d|{'|'.join(sorted({m[:2] for m in MONTHS}))}", re.IGNORECASE)
_DATE_SEARCH: Final = re.compile(rf"(?<![\w.]){DATE_RX}(?!\w)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateLine:
    """What a date or time line says: a date, a time (with its zone when printed), or both."""

    date: dt.date | None
    time: dt.time | None

    def __init__(self, date: dt.date | None, time: dt.time | None) -> None:
        object.__setattr__(self, "date", date)
        object.__setattr__(self, "time", time)


def _group(m: re.Match[str], name: str) -> str | None:
    """What ``m.groupdict().get(name)`` gives (the group's text; ``None`` where it took no
    part or the pattern has no such group), without building the dict of every group (1.5
    µs for a date line's twenty-five)."""
    return m[name] if name in m.re.groupindex else None


def date_from(m: re.Match[str]) -> dt.date | None:
    """The date a :data:`DATE_RX` match names, or ``None`` when it is not a real date."""
    for d, mo, y in (("d1", "m1", "y1"), ("d2", "m2", "y2"), ("d3", "m3", "y3"), ("d4", "m4", "y4")):
        if _group(m, y):
            month_text = m[mo]
            month = int(month_text) if month_text.isdigit() else MONTHS.get(month_text.lower().rstrip("."))
            if month is None:
                return None
            try:
                return dt.date(int(m[y]), month, int(m[d]))
            except ValueError:
                return None
    return None


def time_from(m: re.Match[str]) -> dt.time | None:
    """The time a :data:`TIME_RX` match names (12-hour clocks converted, zones attached)."""
    if not _group(m, "hour"):
        return None
    hour, minute = int(m["hour"]), int(m["minute"])
    ampm = (m["ampm"] or "").replace(".", "").replace(" ", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    zone = m["zone"]
    tz = None
    if zone:
        offset = ZONES.get(zone.upper())
        if offset is None:
            return None
        tz = dt.timezone(dt.timedelta(minutes=offset), zone.upper())
    try:
        return dt.time(hour, minute, tzinfo=tz)
    except ValueError:
        return None


_OPENS_DATE_LINE: Final[dict[str, bool]] = {}
"""``_DATE_LINE_START``'s verdict for a line opening with each two characters: with case
folded the regex engine compares its alternatives one by one (1,700 instructions a line,
asked of every block; a dictionary look-up, 100)."""


def _may_open_date_line(text: str) -> bool:
    """Whether ``_DATE_LINE_START`` matches at the start of ``text`` (its first two characters
    decide: it matches one or two), kept for each first two characters.

    >>> _may_open_date_line("14.03.2023"), _may_open_date_line("March 3"), _may_open_date_line("Mr Lavrov")
    (True, True, False)
    """
    first = text[:2]
    found = _OPENS_DATE_LINE.get(first)
    if found is None:
        found = _DATE_LINE_START.match(first) is not None
        if len(_OPENS_DATE_LINE) < 4096:  # the characters lines open with are few; any text's are not
            _OPENS_DATE_LINE[first] = found
    return found


class _LastLine:
    """The last line :func:`parse_date_line` read and what it said (a header's date line is
    read twice: when its block is classified, then when its date is taken). One tuple,
    replaced whole: a thread never sees another line's answer. What it holds is immutable."""

    value: ClassVar[tuple[str, DateLine | None]] = ("", None)


def parse_date_line(text: str) -> DateLine | None:
    """Read a whole line that is only a date, a date and a time, or a time.

    Returns ``None`` for anything else, including impossible dates and times.

    >>> parse_date_line("14.03.2023 16:05") is parse_date_line("14.03.2023 16:05")
    True
    """
    last = _LastLine.value
    if text == last[0]:
        return last[1]
    found = _read_date_line(text)
    _LastLine.value = (text, found)
    return found


def _read_date_line(text: str) -> DateLine | None:
    text = text.strip().strip("*_ ").strip()
    if not _may_open_date_line(text):
        return None
    m = _DATE_LINE.fullmatch(text)
    if m:
        date = date_from(m)
        if date is None:
            return None
        return DateLine(date, time_from(m) if m["hour"] else None)
    m = _TIME_LINE.fullmatch(text)
    if m:
        time = time_from(m)
        return DateLine(None, time) if time is not None else None
    return None


def looks_like_date_line(text: str) -> bool:
    """A line shaped like a date or time line, even if the date itself is impossible."""
    text = text.strip().strip("*_ ").strip()
    return bool(_may_open_date_line(text) and (_DATE_LINE.fullmatch(text) or _TIME_LINE.fullmatch(text)))


def find_date(text: str) -> tuple[dt.date, int, int] | None:
    """The first real date printed anywhere in ``text``, with its character range."""
    for m in _DATE_SEARCH.finditer(text):
        date = date_from(m)
        if date is not None:
            return date, m.start(), m.end()
    return None


def parse_iso_datetime(text: str) -> dt.datetime | dt.date | None:
    """``2021-12-30 19:30:00-05:00`` or ``2021-12-30`` as front matter prints them."""
    text = text.strip()
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
        return dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None
