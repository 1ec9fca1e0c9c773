"""The tolerant parser: source text → blocks → profile → header and turns → repairs → Transcript.

Data flows one way through the stages below; each stage is a function of what the
previous one produced. Input the parser cannot understand never raises: it becomes a
:class:`~transcript_model.model.Diagnostic`. Only text with nothing in it raises
:class:`~transcript_model.errors.UnreadableInputError`.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Collection, Iterable, Sequence
from typing import Final
from zoneinfo import ZoneInfo

from .blocks import split_blocks
from .dates import parse_iso_datetime
from .errors import UnreadableInputError
from .frontmatter import FrontMatter, read_front_matter
from .layout import Layout, combine, read_layout, split_header_lines, split_one_line, valid_url
from .model import Block, BlockKind, Diagnostic, Metadata, Note, Repair, Severity, Span, Transcript, Turn
from .people import People, person_id
from .profiles import Profile, Vocabulary, choose_profile, profile_for_url
from .reading import has_nul, normalise_newlines, remove_xml_forbidden
from .repairs import RULES, RuleContext, is_internal, quiet_rules, run_rules
from .scans import LETTER_COUNTS
from .titles import TitleInfo, find_people, name_comma_role, parse_title
from .turns import TurnDraft, read_turns, with_incidents
from .webpage import looks_like_html, render

__all__ = ["detect_language", "parse", "parse_batch", "person_id"]

_LANGUAGE_SAMPLE: Final = 4000
# a word and the words hyphenated to it ("self-defence"): the same matches as the two
# alternatives "\w+(?:-\w+)+|\w+", without trying the first at every word and falling back
_WORDS: Final = re.compile(r"\w+(?:-\w+)*")
_HYPHEN_AT_LINE_END: Final = re.compile(r"-[ \t]*\n")
_LINE_END_SPLIT: Final = re.compile(r"\b\w+-[ \t]*\n[ \t]*\w+")


def parse(
    text: str,
    *,
    source: str | None = None,
    profile: str | Profile | None = None,
    repairs: Collection[str] | None = None,
) -> Transcript:
    """Parse a transcript from its text.

    ``source`` names the input in diagnostics and metadata; ``profile`` forces a publisher
    profile by name (see :data:`transcript_model.profiles.PROFILES`; default: chosen from
    the text); ``repairs`` lists the repair rules to run (default: all of
    :data:`transcript_model.repairs.RULES`).

    A saved HTML page is read from its structure (:mod:`transcript_model.webpage`); the
    spans then point into the page's text rendition.

    Raises :class:`UnreadableInputError` only when ``text`` has no text in it.
    """
    state = _read_header(text, source, profile, repairs)
    for stage in _STAGES:
        stage(state)
    return _finish(state)


def parse_batch(
    items: Iterable[tuple[str, str | None]],
    *,
    profile: str | Profile | None = None,
    repairs: Collection[str] | None = None,
) -> list[tuple[Transcript | UnreadableInputError, float]]:
    """Parse several texts, given as ``(text, source)``, a stage at a time: all headers
    first, then all titles and speakers, all turns, all repairs, then the transcripts.

    For each text, in order: what :func:`parse` gives it alone (the :class:`Transcript`,
    or the :class:`UnreadableInputError` it would raise), and the seconds its stages took.
    A corpus run parses this way: one stage's code stays in the processor's caches from
    one text to the next (``benchmarks/README.md``). An unknown repair rule raises
    ``ValueError`` at once, as :func:`parse` does.

    >>> [(type(r).__name__, s > 0) for r, s in parse_batch([("Title\\n\\nQuestion: Why?", "a"), ("", "b")])]
    [('Transcript', True), ('UnreadableInputError', True)]
    """
    clock = time.perf_counter
    enabled = _enabled_rules(repairs)  # an unknown rule: at once; the set, once for all the texts
    states: list[_Parse | UnreadableInputError] = []
    seconds: list[float] = []
    for text, source in items:
        start = clock()
        try:
            states.append(_read_header(text, source, profile, repairs, enabled))
        except UnreadableInputError as exc:
            states.append(exc)
        seconds.append(clock() - start)
    for stage in _STAGES:
        for k, state in enumerate(states):
            if isinstance(state, _Parse):
                start = clock()
                stage(state)
                seconds[k] += clock() - start
    results: list[tuple[Transcript | UnreadableInputError, float]] = []
    for state, spent in zip(states, seconds, strict=True):
        if isinstance(state, _Parse):
            start = clock()
            results.append((_finish(state), spent + clock() - start))
        else:
            results.append((state, spent))
    return results


def _enabled_rules(repairs: Collection[str] | None) -> frozenset[str]:
    """The rules to run, as a set: each turn asks it of every rule (a tuple was 80 K
    instructions a document)."""
    unknown = sorted(set(repairs or ()) - set(RULES))
    if unknown:
        raise ValueError(f"unknown repair rule(s): {', '.join(unknown)}; known: {', '.join(RULES)}")
    return frozenset(RULES) if repairs is None else frozenset(r for r in RULES if r in repairs)


class _Parse:
    """One transcript between the parser's stages: what each stage reads and leaves."""

    def __init__(
        self,
        *,
        text: str,
        source: str | None,
        enabled: frozenset[str],
        front: FrontMatter | None,
        chosen: Profile,
        diagnostics: list[Diagnostic],
        lay: Layout,
    ) -> None:
        self.text = text
        self.source = source
        self.enabled = enabled
        self.front = front
        self.chosen = chosen
        self.diagnostics = diagnostics
        self.lay = lay
        self.info: TitleInfo | None = None
        self.lead_text: str | None = None
        self.people: People | None = None  # read with the title
        self.drafts: list[TurnDraft] = []
        self.turn_blocks: list[Block] = []
        self.turns: list[Turn] = []
        self.repairs: tuple[Repair, ...] = ()


def _read_header(
    text: str,
    source: str | None,
    profile: str | Profile | None,
    repairs: Collection[str] | None,
    enabled: frozenset[str] | None = None,
) -> _Parse:
    """The first stage: the text cleaned, the profile chosen, the blocks and the header's layout.

    ``enabled`` is what :func:`_enabled_rules` gives ``repairs``, where the caller has it
    (a batch asks once for all its texts); else it is asked once the text is known to be
    readable.
    """
    text = normalise_newlines(text)
    if has_nul(text):
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise UnreadableInputError("binary data (NUL character): expected text", source=source, line=line)
    if looks_like_html(text):
        text = render(text)
    text, removed = remove_xml_forbidden(text)
    if not text.strip():
        raise UnreadableInputError("the input is empty: expected transcript text", source=source)
    if enabled is None:
        enabled = _enabled_rules(repairs)
    front = read_front_matter(text)
    chosen = choose_profile(text, profile)
    if profile is None and front is not None:
        chosen = profile_for_url(front.fields.get("source_url")) or chosen
    start = front.span.end if front else 0
    raw = split_blocks(text, start)
    if chosen.one_line:
        raw = split_one_line(raw, chosen)
    raw = split_header_lines(raw, chosen)
    diagnostics: list[Diagnostic] = [
        Diagnostic(
            Severity.WARNING, "removed-control-character", f"removed {chars} (XML 1.0 cannot carry it)", None, line
        )
        for line, chars in removed
    ]
    lay = read_layout(raw, chosen, diagnostics, title=front.fields.get("title") if front else None)
    if front is not None:
        lay.blocks.append(Block(BlockKind.FRONT_MATTER, front.span, front.span.slice(text)))
    return _Parse(
        text=text, source=source, enabled=enabled, front=front, chosen=chosen, diagnostics=diagnostics, lay=lay
    )


def _read_title(p: _Parse) -> None:
    """The headline read, and the people it and the lead name."""
    vocab = p.chosen.vocabulary
    lay = p.lay
    p.info = parse_title(lay.title, vocab) if lay.title else None
    p.lead_text = "\n\n".join(b.text for b in lay.lead) or None
    context = [*find_people(p.lead_text, vocab)] if p.lead_text else []
    context += [ref for b in lay.lead if (ref := name_comma_role(b.text, vocab)) is not None]
    p.people = People(vocab, p.info, tuple(context))


def _read_body(p: _Parse) -> None:
    """The turns, before repairs."""
    assert p.people is not None, "the title stage runs first"
    p.drafts, p.turn_blocks = read_turns(p.lay.body, p.chosen, p.people, p.diagnostics)


def _repair_turns(p: _Parse) -> None:
    p.turns, p.repairs = _repair(p.drafts, p.text, p.enabled, p.chosen.vocabulary)


_STAGES: Final = (_read_title, _read_body, _repair_turns)
"""The stages between the header and the transcript, in order (:func:`parse_batch` runs
each over all its texts)."""


def _finish(p: _Parse) -> Transcript:
    """The last stage: the layout completed, the diagnostics anchored, the transcript."""
    text, lay, turns, diagnostics, people = p.text, p.lay, p.turns, p.diagnostics, p.people
    assert people is not None, "the title stage runs first"
    layout = complete_layout(text, [*lay.blocks, *p.turn_blocks], turns)
    if lay.title is None:
        first = next((b.span for b in layout if b.kind is not BlockKind.GAP), None)
        diagnostics.append(
            Diagnostic(
                Severity.WARNING,
                "no-title",
                "no headline found: expected a one-line title near the top, before the first speaker label",
                first,
                None,
            )
        )
    if not turns:
        diagnostics.append(Diagnostic(Severity.WARNING, "no-body", "no transcript body was found after the header"))
    anchored = [_anchor(d, turns) for d in diagnostics]
    metadata = _metadata(
        lay, info=p.info, front=p.front, profile=p.chosen, people=people, text=text, lead_text=p.lead_text
    )
    return Transcript(
        metadata=metadata,
        participants=people.participants(),
        turns=tuple(turns),
        repairs=p.repairs,
        diagnostics=tuple(anchored),
        notes=tuple(Note("description", b.text, b.span) for b in lay.notes),
        layout=layout,
        source_name=p.source,
        profile=p.chosen.name,
    )


_ZONE_CACHE: Final[dict[str, ZoneInfo]] = {}


def _zone(key: str) -> ZoneInfo:
    """``ZoneInfo(key)``, kept: the constructor asks its own cache through a weak dictionary
    written in Python (29,000 instructions a document), for the handful of zones the
    profiles name.

    >>> _zone("Europe/Moscow") is _zone("Europe/Moscow")
    True
    """
    zone = _ZONE_CACHE.get(key)
    if zone is None:
        zone = _ZONE_CACHE[key] = ZoneInfo(key)
    return zone


def _metadata(
    lay: Layout,
    *,
    info: TitleInfo | None,
    front: FrontMatter | None,
    profile: Profile,
    people: People,
    text: str,
    lead_text: str | None,
) -> Metadata:
    fields = front.fields if front else {}
    tz = _zone(profile.timezone) if profile.timezone else None
    event_date = info.date if info else None
    if event_date is None and fields.get("date"):
        parsed = parse_iso_datetime(fields["date"])
        event_date = parsed if isinstance(parsed, dt.date) and not isinstance(parsed, dt.datetime) else None
    if event_date is None and profile.date_is_event and lay.date_line is not None:
        event_date = lay.date_line.date
    published = combine(lay.date_line, lay.time_line, tz)
    event_start = None
    lone_time = lay.time_line.time if lay.time_line is not None and lay.date_line is None else None
    if published is None and front is not None:
        # the publication time comes from front matter; a time line printed alone is when
        # the event started ("5:41 P.M. EST")
        published = parse_iso_datetime(fields.get("published_time") or fields.get("date") or "")
        if event_date is not None and lone_time is not None:
            event_start = dt.datetime.combine(event_date, lone_time, tzinfo=lone_time.tzinfo or tz)
    elif published is None and event_date is not None and lone_time is not None:
        # a time alone above the headline ("13:06"), the day in the headline
        published = dt.datetime.combine(event_date, lone_time, tzinfo=lone_time.tzinfo or tz)
    sample = (lay.title or "") + "\n" + "\n".join(b.text for b in lay.body)[:_LANGUAGE_SAMPLE]
    language = fields.get("lang") or detect_language(sample) or detect_language(text)
    return Metadata(
        title=lay.title,
        lead=lead_text,
        published=published,
        number=lay.number,
        genre=info.genre if info else None,
        occasion=info.occasion if info else None,
        place=lay.place or (info.place if info else None),
        event_date=event_date,
        event_start=event_start,
        language=language,
        publisher=profile.publisher,
        source_url=valid_url(fields.get("source_url")) or lay.source_url,
        mentioned=people.mentioned(),
    )


def _repair(
    drafts: Sequence[TurnDraft], source: str, enabled: Collection[str], vocab: Vocabulary
) -> tuple[list[Turn], tuple[Repair, ...]]:
    turns: list[Turn] = []
    repairs: list[Repair] = []
    # the document's vocabulary, without the halves of words split at line ends
    words: frozenset[str] = frozenset()
    if "-" in source and _HYPHEN_AT_LINE_END.search(source):  # only hyphenation consults the vocabulary
        words = _vocabulary(set(_WORDS.findall(without_line_end_splits(source))))
    # the text rules that find nothing anywhere in the document (most, in most documents)
    quiet = quiet_rules(p.text for draft in drafts for p in draft.paragraphs)
    for t, draft in enumerate(drafts):
        ctx = RuleContext(source, t, len(repairs), words, vocab.role_words)
        paragraphs, made = run_rules(draft.paragraphs, ctx, enabled, quiet)
        repairs.extend(made)
        paragraphs = with_incidents(paragraphs, vocab)
        turns.append(Turn(draft.speaker, draft.label, draft.label_span, draft.kind, paragraphs))
    return turns, tuple(repairs)


def without_line_end_splits(source: str) -> str:
    r"""``source`` with every word hyphenated at a line end, both halves, replaced by a space:
    what ``_LINE_END_SPLIT.sub(" ", source)`` gives, found from each hyphen at a line end
    (a literal the regex engine skips to) rather than by trying the pattern at every word.

    >>> without_line_end_splits("an inter-\nnational self-\n  defence, a-\nb-\nc")
    'an    ,  -\nc'
    """
    out: list[str] = []
    pos = 0
    for m in _HYPHEN_AT_LINE_END.finditer(source):
        start = m.start()  # back over the word before the hyphen
        while start > pos and _is_word_char(source[start - 1]):
            start -= 1
        if start == m.start() or (start == pos and pos > 0 and _is_word_char(source[pos - 1])):
            continue  # no word before, or only the end of a word already replaced
        end = m.end()
        while end < len(source) and source[end] in " 	":
            end += 1
        after = end
        while end < len(source) and _is_word_char(source[end]):
            end += 1
        if end == after:
            continue  # no word after
        out.append(source[pos:start])
        out.append(" ")
        pos = end
    out.append(source[pos:])
    return "".join(out)


def _is_word_char(ch: str) -> bool:
    r"""Whether the regex engine counts ``ch`` as ``\w`` (str.isalnum is its definition)."""
    return ch.isalnum() or ch == "_"


def _vocabulary(tokens: set[str]) -> frozenset[str]:
    """The tokens and the parts of the hyphenated ones, casefolded: each distinct token once
    (a text repeats most of its words: 13,000 tokens in a 39 KB transcript, 2,000 distinct).

    >>> sorted(_vocabulary({"Self-Defence", "the"}))
    ['defence', 'self', 'self-defence', 'the']
    """
    words = {token.casefold() for token in tokens}
    words.update(part.casefold() for token in tokens if "-" in token for part in token.split("-"))
    return frozenset(words)


def _anchor(d: Diagnostic, turns: Sequence[Turn]) -> Diagnostic:
    """Point a diagnostic about text before the first label at that turn's first paragraph
    as it is after repairs."""
    if d.code == "unattributed-text" and turns and turns[0].paragraphs:
        return Diagnostic(d.severity, d.code, d.message, turns[0].paragraphs[0].span, d.line)
    return d


def complete_layout(source: str, blocks: Sequence[Block], turns: Sequence[Turn]) -> tuple[Block, ...]:
    """Every piece of the source that is not a paragraph of a turn, in order, with the gaps
    between pieces (blank lines, markers, the colon after a label) as ``GAP`` blocks, so
    that layout, paragraphs and dropped fragments together cover the source exactly.

    Everything that covers the source (the blocks, the paragraphs, the dropped fragments) is
    sorted once, by start and end (blocks alike in both in the order given), and read in
    that order: a gap is where nothing covers the source before the next piece, so blocks
    and gaps come out in order (sorting them again, by a key function called back for each
    block, cost 47,000 instructions a document).

    >>> lay = complete_layout("Title\\n\\nText.", [Block(BlockKind.TITLE, Span(0, 5), "Title")], [])
    >>> [(b.kind.value, b.text) for b in lay]
    [('title', 'Title'), ('gap', '\\n\\nText.')]
    """
    # the index after start and end makes every row different: a block is never compared
    rows: list[tuple[int, int, int, Block | None]] = [
        (b.span.start, b.span.end, k, b) for k, b in enumerate(blocks) if b.kind is not BlockKind.PARAGRAPH
    ]
    k = len(blocks)
    for turn in turns:
        for p in turn.paragraphs:
            rows.append((p.span.start, p.span.end, k, None))
            k += 1
            for e in p.edits:
                if not is_internal(e, p):
                    rows.append((e.source.start, e.source.end, k, None))
                    k += 1
    rows.sort()
    out: list[Block] = []
    pos = 0
    for start, end, _, block in rows:
        if start > pos:
            out.append(Block(BlockKind.GAP, Span(pos, start), source[pos:start]))
        if block is not None:
            out.append(block)
        pos = max(pos, end)
    if pos < len(source):
        out.append(Block(BlockKind.GAP, Span(pos, len(source)), source[pos:]))
    return tuple(out)


_NOT_LATIN: Final = bytes(b for b in range(256) if not (0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A))
# every byte but UTF-8's first bytes of U+0400 to U+04FF (D0 to D3)
_NOT_CYRILLIC_LEAD: Final = bytes(b for b in range(256) if not 0xD0 <= b <= 0xD3)


def detect_language(text: str) -> str | None:
    """``"ru"`` when Cyrillic letters (U+0400 to U+04FF) outnumber Latin ones (A-Z, a-z),
    ``"en"`` when Latin ones do.

    Counted in one pass in C where ``transcript_model/_scan.c`` was built, else in the UTF-8
    bytes: an ASCII letter is one byte, and every character of the Cyrillic block starts
    with one of four bytes no other character starts with (ten times faster than counting
    with regular expressions). Each count is the length of what is left when every other
    byte is deleted (for the four bytes, a third of the time of counting each).

    >>> detect_language("Сергей Лавров: Добрый день"), detect_language("Good day"), detect_language("1917")
    ('ru', 'en', None)
    """
    latin, cyrillic = LETTER_COUNTS(text) if LETTER_COUNTS is not None else _letter_counts_python(text)
    if cyrillic == latin == 0:
        return None
    return "ru" if cyrillic > latin else "en"


def _letter_counts_python(text: str) -> tuple[int, int]:
    """``(Latin letters, characters of the Cyrillic block)`` in ``text``, counted in its UTF-8
    bytes (what ``transcript_model/_scan.c`` counts in one pass where it was built).

    >>> _letter_counts_python("Лавров, Lavrov")
    (6, 6)
    """
    data = text.encode("utf-8", "surrogatepass")
    return len(data.translate(None, _NOT_LATIN)), len(data.translate(None, _NOT_CYRILLIC_LEAD))
