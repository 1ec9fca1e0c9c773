"""Where things are: the header (headline, lead, date, time, place, number, URL), the
preamble, the body and the trailer of a document, read from its blocks by the rules of a
:class:`~transcript_model.profiles.Profile`.

Every block keeps its span; blocks that are site chrome are classified as such (and so
remain part of the rebuildable source) but never become a title or a turn.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from .blocks import RawBlock
from .dates import DATE_RX, TIME_RX, DateLine, looks_like_date_line, parse_date_line
from .gates import whole_gates
from .labels import find_label
from .model import Block, BlockKind, Diagnostic, Severity, Span
from .profiles import Profile

_URL_LINE: Final = re.compile(r"(?:(?:Source|Ссылка на материал|URL|Link):\s*)?(?P<url>(?:https?://|www\.)[^\s<>\"]+)")
_HEADER_ZONE: Final = 14
_MAX_TITLE_CHARS: Final = 300
_MAX_TITLE_WORDS: Final = 45
_SENTENCE_END: Final = re.compile(r"[.!?…][\"'”»)]*$")


@dataclass(slots=True)
class Layout:
    """What the header, preamble and trailer hold, and which blocks are the body."""

    title: str | None = None
    title_span: Span | None = None
    lead: list[RawBlock] = field(default_factory=list)
    date_line: DateLine | None = None
    date_block: RawBlock | None = None
    time_line: DateLine | None = None
    place: str | None = None
    number: str | None = None
    source_url: str | None = None
    end_time: DateLine | None = None
    notes: list[RawBlock] = field(default_factory=list)
    body: list[RawBlock] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    def mark(self, kind: BlockKind, raw: RawBlock) -> None:
        self.blocks.append(Block(kind, raw.span, raw.text))


# --- block kinds ----------------------------------------------------------------------


def strip_markers(text: str, profile: Profile) -> int:
    """How many leading characters of ``text`` are decoration: emoji markers, a Markdown
    quote ``>``, emphasis ``*``."""
    i = 0
    while i < len(text) and (text[i] in profile.markers or text[i] in " \t\u00a0>*" or _is_emoji(text[i])):
        i += 1
    return i


def _is_emoji(ch: str) -> bool:
    return ord(ch) >= 0x1F000 or 0x2600 <= ord(ch) <= 0x27BF or ch in "\ufe0f\u200d"


def is_chrome(text: str, profile: Profile) -> bool:
    """Whether the block is site chrome: one of the profile's chrome patterns matches all of
    it (stripped), each asked only where its gate admits the block (:class:`WholeGate`).

    >>> from transcript_model.profiles import MID_RU
    >>> [is_chrome(t, MID_RU) for t in (" Share ", "Print version", "Reuters photo: Jane Doe", "Shared")]
    [True, True, True, False]
    """
    stripped = text.strip()
    for gate in whole_gates(profile.chrome):  # noqa: SIM110 - asked of every block: a generator cost a fifth more
        if gate.may_match(stripped) and gate.pattern.fullmatch(stripped):
            return True
    return False


_URI: Final = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:[/?#](?:[A-Za-z0-9\-._~:/?#@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)?"
)


def valid_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URI (RFC 3986, ASCII, well-formed escapes)."""
    return url if url is not None and _URI.fullmatch(url) else None


_URL_LINE_OPENINGS: Final = ("http", "www.", "Source:", "Ссылка на материал:", "URL:", "Link:")
"""What every line :data:`_URL_LINE` matches opens with: a URL, or a prefix and its colon."""


def url_of(text: str) -> str | None:
    """The URL a line consists of ("https://...", "Source: https://...", "www.example.org/x").

    Asked of every block of a document: one that does not open as a URL line opens (most) is
    none, which its first characters say (two substring searches of the whole block for
    "http" and "www." took five times as long).
    """
    stripped = text.strip()
    if not stripped.startswith(_URL_LINE_OPENINGS):
        return None
    m = _URL_LINE.fullmatch(stripped)
    if m is None:
        return None
    url = m["url"].rstrip(".,;)")
    return valid_url(url if url.startswith("http") else "https://" + url)


def _number_of(text: str, profile: Profile) -> str | None:
    if profile.number_line is None:
        return None
    m = profile.number_line.fullmatch(text.strip())
    return m["number"] if m else None


def _is_title_candidate(raw: RawBlock, profile: Profile) -> bool:
    """One line of reasonable length that is not a sentence, a URL, a date or a label."""
    text = raw.text[strip_markers(raw.text, profile) :]
    if "\n" in text or not 3 <= len(text) <= _MAX_TITLE_CHARS or len(text.split()) > _MAX_TITLE_WORDS:
        return False
    if _SENTENCE_END.search(text):
        return False
    return url_of(text) is None and not looks_like_date_line(text) and find_label(text, profile.vocabulary) is None


def _place_text(raw: RawBlock) -> str | None:
    """A short block that can name a place: at most three short lines, no sentence."""
    lines = [ln.strip().strip("*_").strip() for ln in raw.text.splitlines() if ln.strip().strip("*_").strip()]
    if not lines or len(lines) > 3:
        return None
    if any(len(ln.split()) > 6 or _SENTENCE_END.search(ln) or looks_like_date_line(ln) for ln in lines):
        return None
    if not all(ln[0].isupper() for ln in lines):
        return None
    return ", ".join(lines)


_NON_WORD: Final = re.compile(r"\W+")
_FIRST_WORD: Final = re.compile(r"\S+\s+")
_END_PREFIX: Final = re.compile(r"^END\s+")
_TRAILER_CHROME: Final = re.compile(r"(?:Статус материала|Дата публикации|Ссылка на материал|Publication status)")
_EMBEDDED_URL: Final = re.compile(r"(?:Ссылка на материал|Link to material|Permalink):\s*(\S+)")


_WORD: Final = re.compile(r"\S+")
_TOKEN: Final = re.compile(r"[^\s,]+,?")
_STARS: Final = re.compile(r"\*\s\*\s\*")


_WORD_CHAR: Final = re.compile(r"\w")


def _normalised(text: str) -> str:
    return _NON_WORD.sub(" ", text).strip().casefold()


def _same_as_title(text: str, title: str | None) -> bool:
    """Whether ``text`` is the title again, but for case and the characters between words.

    The normalised texts open with their first word characters, case-folded (folding goes
    character by character): where those differ, as in most blocks, the texts are not
    normalised (6 µs for a block and a title: each is a substitution at every gap).

    >>> _same_as_title("FOREIGN MINISTER'S REMARKS.", "Foreign Minister’s remarks"), _same_as_title("Question", "Q")
    (True, False)
    """
    if title is None:
        return False
    first, first_of_title = _WORD_CHAR.search(text), _WORD_CHAR.search(title)
    if first is None or first_of_title is None:
        return first is first_of_title  # both have no word (both normalise to ""), or one has
    if first.group().casefold()[0] != first_of_title.group().casefold()[0]:
        return False
    return _normalised(text) == _normalised(title)


# --- splitting ------------------------------------------------------------------------


def split_header_lines(raw: list[RawBlock], profile: Profile) -> list[RawBlock]:
    """Split a header block whose first line is a date, number or URL line from the text
    printed under it without a blank line ("13.04.2022 21:09\\nЗаявление МИД России ...")."""
    out: list[RawBlock] = []
    for i, block in enumerate(raw):
        if i >= _HEADER_ZONE or "\n" not in block.text:
            out.append(block)
            continue
        rest = block
        while "\n" in rest.text:
            first, _, tail = rest.text.partition("\n")
            if not (parse_date_line(first) or _number_of(first, profile) or url_of(first)):
                break
            out.append(
                RawBlock(first.rstrip(), Span(rest.span.start, rest.span.start + len(first.rstrip())), rest.line)
            )
            lead = len(tail) - len(tail.lstrip())
            start = rest.span.start + len(first) + 1 + lead
            rest = RawBlock(tail.strip(), Span(start, start + len(tail.strip())), rest.line + 1)
        out.append(rest)
    return out


def _sub(block: RawBlock, start: int, end: int) -> RawBlock | None:
    """The stripped part ``[start, end)`` of a block's text as a block of its own."""
    piece = block.text[start:end]
    lead = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    if not piece:
        return None
    s = block.span.start + start + lead
    return RawBlock(piece, Span(s, s + len(piece)), block.line)


_ONE_LINE_DATE: Final = re.compile(rf"(?:{DATE_RX})\s*,?\s*(?:{TIME_RX})", re.IGNORECASE)
_RU_FUNCTION_WORDS: Final = frozenset(
    "в во на с со по о об к у из за для при после накануне перед и а но глава президент владимир".split()
)


def split_one_line(raw: list[RawBlock], profile: Profile) -> list[RawBlock]:
    """Cut a one-line scrape into header fields, separators and turns (kremlin.ru/RU).

    ``"События <title> <lead> 19 февраля 2025 года 17:05 <place> [<title again>] <body>"``:
    the date and time anchor the header; the title is the part of the text before them that
    the page prints again after the place, else the text up to the lead's first sentence.
    Turns start at inline labels (``В.Путин:``) after a sentence end.
    """
    out: list[RawBlock] = []
    for block in raw:
        if len(block.text) < 400:
            out.append(block)
            continue
        text = block.text
        pos = 0
        date = _ONE_LINE_DATE.search(text, 0, 3000)
        if date is not None:
            pre_start = 0
            first = _FIRST_WORD.match(text)
            if first and is_chrome(first.group().strip(), profile):
                out.append(_sub(block, 0, len(first.group().strip())) or block)
                pre_start = first.end()
            pre = text[pre_start : date.start()].strip()
            after = date.end()
            title_len, repeat_at = _title_in(pre, text, after)
            for piece in (
                _sub(block, pre_start, pre_start + title_len),
                _sub(block, pre_start + title_len, date.start()),
            ):
                if piece is not None:
                    out.append(piece)
            out.append(_sub(block, date.start(), date.end()) or block)
            place_end = _place_end(text, after, repeat_at, profile)
            if place_end > after:
                place = _sub(block, after, place_end)
                if place is not None:
                    out.append(place)
            pos = place_end
            if repeat_at is not None and repeat_at >= place_end:
                repeat = _sub(block, repeat_at, repeat_at + title_len)
                if repeat is not None:
                    out.append(repeat)
                pos = repeat_at + title_len
        end = len(text)
        if profile.trailer_cut is not None:
            cut = profile.trailer_cut.search(text, pos)
            if cut is not None:
                end = cut.start()
        out.extend(_split_turns(block, pos, end, profile))
        if end < len(text):
            trailer = _sub(block, end, len(text))
            if trailer is not None:
                out.append(trailer)
    return out


def _title_in(pre: str, text: str, after: int) -> tuple[int, int | None]:
    """Length of the headline at the start of ``pre`` and where the page repeats it."""
    words = list(_WORD.finditer(pre))
    window = text[after : after + 400]
    for n in range(len(words), 1, -1):
        candidate = pre[: words[n - 1].end()]
        at = window.find(candidate)
        if at != -1:
            return len(candidate), after + at
    for w in words[2:]:
        if w.group().casefold() in _RU_FUNCTION_WORDS and w.group()[0].isupper():
            return len(pre[: w.start()].rstrip()), None
    return len(pre), None


def _place_end(text: str, after: int, repeat_at: int | None, profile: Profile) -> int:
    """End of the place printed right after the date and time."""
    limit = after + 80
    stops = [repeat_at] if repeat_at is not None else []
    label = re.compile(r"(?<=\s)[^\s:]+(?:\s\([^)]{1,30}\))?\s?:\s").search(text, after, limit)
    if label:
        stops.append(label.start())
    stars = text.find("* * *", after, limit)
    if stars != -1:
        stops.append(stars)
    if stops:
        return min(stops)
    # else: capitalised words, up to the one that opens a phrase (followed by a lower-case word)
    tokens = list(_TOKEN.finditer(text[after:limit]))
    end = after
    for i, tok in enumerate(tokens):
        word = tok.group().rstrip(",")
        if not word[:1].isupper():
            break
        nxt = tokens[i + 1].group() if i + 1 < len(tokens) else ""
        if nxt[:1].islower():
            break
        end = after + tok.end()
        if len(tokens) > i + 1 and not tok.group().endswith(",") and nxt[:1].isupper() and i >= 1:
            break
    return end


def _split_turns(block: RawBlock, start: int, end: int, profile: Profile) -> list[RawBlock]:
    cuts = [start]
    if profile.inline_label is not None:
        cuts += [m.start("label") for m in profile.inline_label.finditer(block.text, start, end)]
    for m in _STARS.finditer(block.text[start:end]):
        cuts += [start + m.start(), start + m.end()]
    bounds = [*sorted(set(cuts)), end]
    return [p for a, b in itertools.pairwise(bounds) if (p := _sub(block, a, b)) is not None]


# --- header, preamble, trailer ---------------------------------------------------------


def _kind(b: RawBlock, profile: Profile) -> str | None:
    """What a header block is: chrome, url, number, date (or bad-date), or ``None``."""
    text = b.text[strip_markers(b.text, profile) :] if profile.markers else b.text
    if is_chrome(b.text, profile):
        return "chrome"
    if url_of(text):
        return "url"
    if _number_of(text, profile):
        return "number"
    if parse_date_line(text):
        return "date"
    if looks_like_date_line(text):
        return "bad-date"
    return None


def read_layout(
    raw: Sequence[RawBlock], profile: Profile, diagnostics: list[Diagnostic], *, title: str | None = None
) -> Layout:
    """Classify the blocks of a document: header, preamble notes, body, trailer."""
    lay = Layout(title=title)
    i = 0
    end = _read_trailer(raw, profile, lay)

    kinds: dict[int, str | None] = {}  # by block (raw keeps them alive): asked up to three times

    def kind(b: RawBlock) -> str | None:
        if id(b) not in kinds:
            kinds[id(b)] = _kind(b, profile)
        return kinds[id(b)]

    while i < end and kind(raw[i]) == "chrome":
        lay.mark(BlockKind.CHROME, raw[i])
        i += 1
    if (
        profile.title_first
        and lay.title is None
        and i < end
        and kind(raw[i]) is None
        and find_label(raw[i].text, profile.vocabulary) is None
    ):
        _set_title(lay, raw[i], profile)
        i += 1
    if profile.lead_before_date:
        for j in range(i, min(i + 5, end)):
            if kind(raw[j]) == "date":
                for b in raw[i:j]:
                    lay.lead.append(b)
                    lay.mark(BlockKind.LEAD, b)
                i = j
                break
    limit = min(end, i + _HEADER_ZONE)
    widget = False
    while i < limit:
        b = raw[i]
        k = kind(b)
        text = b.text[strip_markers(b.text, profile) :]
        if k == "chrome" and _TOC.fullmatch(text.strip()):
            lay.mark(BlockKind.CHROME, b)
            entries: set[str] = set()
            while i + 1 < end and _toc_entry(raw[i + 1]) and raw[i + 1].text.strip() not in entries:
                i += 1  # entries up to the first heading printed again: there the text begins
                entries.add(raw[i].text.strip())
                lay.mark(BlockKind.CHROME, raw[i])
        elif k == "chrome" or (profile.widget_start is not None and profile.widget_start.fullmatch(text)):
            widget = k != "chrome" or widget
            lay.mark(BlockKind.CHROME, b)
        elif k == "url" and lay.source_url is None:
            lay.source_url = url_of(text)
            lay.mark(BlockKind.TRAILER, b)
        elif k == "number" and lay.number is None:
            lay.number = _number_of(text, profile)
            lay.mark(BlockKind.NUMBER, b)
        elif k == "date" and (lay.date_line is None or lay.time_line is None) and not widget:
            _take_date(lay, b, parse_date_line(text))
        elif k == "date" and widget:
            lay.mark(BlockKind.CHROME, b)
            widget = False
        elif k == "bad-date":
            diagnostics.append(
                Diagnostic(Severity.WARNING, "bad-date", f"date line {b.text!r} is not a real date", b.span, b.line)
            )
            lay.mark(BlockKind.DATELINE, b)
        elif (widget and (candidate := _is_title_candidate(b, profile))) or _same_as_title(text, lay.title):
            lay.mark(BlockKind.CHROME, b)
        elif (
            lay.title is None
            and (candidate := _is_title_candidate(b, profile))
            and _later_genre_title(raw, i, limit, profile)
        ):
            lay.lead.append(b)  # "Ned Price, Department Spokesperson" above "Department Press Briefing"
            lay.mark(BlockKind.LEAD, b)
        elif lay.title is None and candidate:
            _set_title(lay, b, profile)
        elif profile.place_line and lay.place is None and _next_to_time(raw, i, profile) and (p := _place_text(b)):
            lay.place = p
            lay.mark(BlockKind.PLACE, b)
        elif lay.date_line is None and lay.time_line is None and _subtitle(b, raw, i, limit, profile):
            lay.lead.append(b)
            lay.mark(BlockKind.LEAD, b)
        else:
            break
        i += 1
    i = _read_preamble(raw, i, end, profile, lay)
    lay.body = list(raw[i:end])
    return lay


_TOC: Final = re.compile(r"table of contents|contents|содержание", re.IGNORECASE)


def _toc_entry(b: RawBlock) -> bool:
    """A line of a table of contents: one short line, not a sentence (a colon may end it)."""
    text = b.text.strip()
    return "\n" not in text and len(text.split()) <= 15 and not _SENTENCE_END.search(text)


def _has_genre(text: str, profile: Profile) -> bool:
    return any(p.search(text) for p, _ in profile.vocabulary.genres)


def _later_genre_title(raw: Sequence[RawBlock], i: int, limit: int, profile: Profile) -> bool:
    """Whether a headline naming a genre follows the genre-less candidate at ``i``."""
    if _has_genre(raw[i].text, profile):
        return False
    for j in range(i + 1, min(i + 3, limit)):
        if parse_date_line(raw[j].text) or find_label(raw[j].text, profile.vocabulary):
            return False
        if _is_title_candidate(raw[j], profile) and _has_genre(raw[j].text, profile):
            return True
    return False


def _set_title(lay: Layout, b: RawBlock, profile: Profile) -> None:
    skip = strip_markers(b.text, profile)
    lay.title = b.text[skip:].strip()
    lay.title_span = Span(b.span.start + skip, b.span.end)
    lay.mark(BlockKind.TITLE, b)


def _take_date(lay: Layout, b: RawBlock, line: DateLine | None) -> None:
    if line is None:
        return
    if line.date is not None and lay.date_line is None:
        lay.date_line = line
        lay.date_block = b
    elif line.time is not None and lay.time_line is None:
        lay.time_line = line
    lay.mark(BlockKind.DATELINE, b)


def _next_to_time(raw: Sequence[RawBlock], i: int, profile: Profile) -> bool:
    return any(0 <= j < len(raw) and _kind(raw[j], profile) == "date" for j in (i - 1, i + 1))


def _subtitle(b: RawBlock, raw: Sequence[RawBlock], i: int, limit: int, profile: Profile) -> bool:
    """A short line in the header before the date lines ("Ned Price, Department Spokesperson")."""
    if "\n" in b.text or len(b.text.split()) > 12 or _SENTENCE_END.search(b.text):
        return False
    return any(_kind(raw[j], profile) == "date" for j in range(i + 1, min(i + 4, limit)))


def _read_preamble(raw: Sequence[RawBlock], i: int, end: int, profile: Profile, lay: Layout) -> int:
    """Blocks between the header and the transcript proper: descriptions, captions, the
    headline printed again. They become notes (or chrome); the returned index starts the body."""
    first_label = next(
        (j for j in range(i, min(end, i + 12)) if _opens_turn(raw[j], profile)),
        None,
    )
    stop = first_label if first_label is not None else min(end, i + 12)
    sep = next(
        (j for j in range(i, stop) if profile.body_separator and profile.body_separator.fullmatch(raw[j].text.strip())),
        None,
    )
    if sep is not None:
        for b in raw[i:sep]:
            _note_or_chrome(b, profile, lay)
        lay.mark(BlockKind.CHROME, raw[sep])
        return sep + 1
    if profile.title_first and first_label is not None and first_label - i <= 6:
        for b in raw[i:first_label]:
            _note_or_chrome(b, profile, lay)
        return first_label
    if profile.title_first and first_label is None:
        # a monologue: captions under the header are short phrases, the text is long
        while i < end and len(raw[i].text) < 120 and "\n" not in raw[i].text and _SENTENCE_END.search(raw[i].text):
            _note_or_chrome(raw[i], profile, lay)
            i += 1
    return i


def _note_or_chrome(b: RawBlock, profile: Profile, lay: Layout) -> None:
    if is_chrome(b.text, profile) or _same_as_title(b.text, lay.title):
        lay.mark(BlockKind.CHROME, b)
    else:
        lay.notes.append(b)
        lay.mark(BlockKind.NOTE, b)


def _opens_turn(b: RawBlock, profile: Profile) -> bool:
    skip = strip_markers(b.text, profile)
    if any(ch in profile.question_markers for ch in b.text[:skip]):
        return True
    return find_label(b.text[skip:], profile.vocabulary) is not None


def _read_trailer(raw: Sequence[RawBlock], profile: Profile, lay: Layout) -> int:
    end = len(raw)
    while end > 0:
        b = raw[end - 1]
        text = b.text.strip().strip("*_ ")
        url = url_of(text)
        line = parse_date_line(_END_PREFIX.sub("", text))
        if url is not None:
            lay.source_url = lay.source_url or url
            lay.mark(BlockKind.TRAILER, b)
        elif line is not None and line.date is None and end < len(raw) + 1 and end > 3:
            lay.end_time = line
            lay.mark(BlockKind.TRAILER, b)
        elif is_chrome(b.text, profile) or _trailer_chrome(b.text):
            url = _embedded_url(b.text)
            if url:
                lay.source_url = lay.source_url or url
            lay.mark(BlockKind.CHROME, b)
        else:
            break
        end -= 1
    return end


def _trailer_chrome(text: str) -> bool:
    return bool(_TRAILER_CHROME.search(text))


def _embedded_url(text: str) -> str | None:
    m = _EMBEDDED_URL.search(text)
    if m is None:
        return None
    url = m.group(1).rstrip(".,;")
    return valid_url(url if url.startswith("http") else "http://" + url)


def combine(
    date_line: DateLine | None, time_line: DateLine | None, tz: dt.tzinfo | None
) -> dt.datetime | dt.date | None:
    """The header's date and time as one value: aware when a zone is printed or known."""
    if date_line is None or date_line.date is None:
        return None
    time = date_line.time or (time_line.time if time_line else None)
    if time is None:
        return date_line.date
    if time.tzinfo is not None:
        return dt.datetime.combine(date_line.date, time)
    return dt.datetime.combine(date_line.date, time, tzinfo=tz)
