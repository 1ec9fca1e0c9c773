"""The body: blocks → speaker turns with paragraphs and stage directions.

A turn starts at a speaker label, at a question marker (``❓``), or where quoted text
begins after unquoted text (a Markdown repost quoting a transcript). Paragraphs without a
label continue the current turn; text before any label is an unattributed turn (or the
headline author's, in a monologue).
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from .blocks import RawBlock
from .dates import looks_like_date_line
from .labels import find_label
from .layout import is_chrome, strip_markers, url_of
from .model import Block, BlockKind, Diagnostic, Incident, Paragraph, Severity, Span, TurnKind
from .people import People
from .profiles import Profile, Vocabulary


@dataclass(slots=True)
class TurnDraft:
    speaker: str | None
    label: str | None
    label_span: Span | None
    kind: TurnKind | None
    paragraphs: list[Paragraph]

    def __init__(
        self,
        speaker: str | None,
        label: str | None,
        label_span: Span | None,
        kind: TurnKind | None,
        paragraphs: list[Paragraph],
    ) -> None:
        self.speaker = speaker
        self.label = label
        self.label_span = label_span
        self.kind = kind
        self.paragraphs = paragraphs


def find_incidents(text: str, vocab: Vocabulary) -> tuple[Incident, ...]:
    """Stage directions printed in a paragraph, in order.

    >>> from transcript_model.profiles import VOCABULARY as V
    >>> find_incidents("Thank you.  (Laughter.)", V)
    (Incident(kind='vocal', start=12, end=23, text='(Laughter.)'),)
    """
    return _incidents(text, vocab, _any_of(vocab.stage_paragraphs), _any_of(vocab.stage_directions))


def _incidents(text: str, vocab: Vocabulary, whole: Joined | None, inside: Joined | None) -> tuple[Incident, ...]:
    """:func:`find_incidents`, given the vocabulary's joined patterns (looked up once per
    turn, not per paragraph)."""
    stripped = text.strip()
    if whole is None or (
        len(stripped) <= whole.widest and whole.may_start(stripped, 0) and whole.pattern.fullmatch(stripped)
    ):
        for pattern, kind in vocab.stage_paragraphs:
            if pattern.fullmatch(stripped):
                return (Incident(kind, 0, len(text), text),)
    if inside is not None and not inside.occurs_in(text):  # most paragraphs: one scan, not seven
        return ()
    found = [
        Incident(kind, m.start(), m.end(), m.group())
        for pattern, kind in vocab.stage_directions
        for m in pattern.finditer(text)
    ]
    found.sort(key=lambda i: i.start)
    out: list[Incident] = []
    for inc in found:
        if not out or inc.start >= out[-1].end:
            out.append(inc)
    return tuple(out)


class Joined:
    """One pattern that matches wherever one of several does (:func:`_any_of`), with what
    its parse says: the widest match (:func:`_widest`) and the characters every match starts
    with (:func:`_first_chars`), read once per vocabulary, not once per paragraph."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        tree = _parsed(pattern)  # parsed once for all three (a millisecond)
        self.pattern: Final = pattern
        self.widest: Final = _widest(pattern, tree)
        self.firsts: Final = _first_chars(pattern, tree)
        self.prefixes: Final = _prefix_pattern(pattern, tree, PREFIX)
        self.verdicts: Final[dict[str, bool]] = {}

    def may_start(self, text: str, pos: int) -> bool:
        """Whether a match of the pattern can start at ``pos``, by the :data:`PREFIX`
        characters there (the pattern still decides): asked of a prefix once, then looked
        up. "(item 4)" opens no stage direction, which its first three characters say; the
        pattern's alternatives, with case folded, took 4,000 instructions to say it."""
        prefixes = self.prefixes
        if prefixes is None:
            return True
        key = text[pos : pos + PREFIX]
        found = self.verdicts.get(key)
        if found is None:
            found = prefixes.fullmatch(key) is not None
            if len(self.verdicts) < 4096:
                self.verdicts[key] = found
        return found

    def occurs_in(self, text: str) -> bool:
        r"""Whether the pattern matches anywhere in ``text``: tried only where one of the
        characters a match starts with stands (found by substring search), where that is
        known. A stage direction opens with "(", which most paragraphs lack or hold once:
        the regex engine tried the pattern's alternatives at every character (4,700
        instructions for a paragraph of 170 characters).

        >>> j = Joined(re.compile(r"\((?:laughter|applause)\)|\[pause\]", re.IGNORECASE))
        >>> j.firsts, j.occurs_in("Thank you (LAUGHTER)."), j.occurs_in("(item 4) [pause"), j.occurs_in("[Pause]")
        ('([', True, False, True)
        """
        firsts = self.firsts
        if firsts is None:
            return self.pattern.search(text) is not None
        match = self.pattern.match
        for ch in firsts:
            pos = text.find(ch)
            while pos >= 0:
                if self.may_start(text, pos) and match(text, pos) is not None:
                    return True
                pos = text.find(ch, pos + 1)
        return False


_UNBOUNDED: Final = sys.maxsize


def _parsed(pattern: re.Pattern[str]) -> Any:
    """``pattern`` as the regex engine's parser reads it (a private module), or ``None``."""
    try:
        return _regex_parser().parse(pattern.pattern, pattern.flags)
    except Exception:  # a private module: any change leaves the pattern to decide
        return None


def _regex_parser() -> Any:
    return importlib.import_module("re._parser" if sys.version_info >= (3, 11) else "sre_parse")


def _widest(pattern: re.Pattern[str], tree: Any = None) -> int:
    """The most characters a match of ``pattern`` can span, as the regex engine reckons it
    (its parser's ``getwidth``, which sizes look-behinds); :data:`_UNBOUNDED` where it is not
    bounded or cannot be read. Whole-paragraph stage directions are short: a paragraph
    longer than any is no such direction, said without trying the pattern's alternatives
    (3,300 instructions a paragraph, with case folded).

    >>> _widest(re.compile("(?:applause|laughter)[.]?")), _widest(re.compile("a+")) == _UNBOUNDED
    (9, True)
    """
    try:
        parser = _regex_parser()
        widest = int((tree or parser.parse(pattern.pattern, pattern.flags)).getwidth()[1])
        if widest >= int(parser.MAXREPEAT):  # what it says of a repetition without a bound
            widest = _UNBOUNDED
    except Exception:  # a private module: any change leaves the pattern to decide
        widest = _UNBOUNDED
    return widest


def _first_chars(pattern: re.Pattern[str], tree: Any = None) -> str | None:
    r"""The characters every match of ``pattern`` starts with, in order, where its parse (the
    regex engine's parser, as :func:`_widest` reads it) says they are a few literals (a
    match cannot be empty, and with case folded they are characters without case); ``None``
    where it does not say, or cannot be read.

    >>> _first_chars(re.compile(r"\((?:a|b)\)|[\[{]x+", re.I)), _first_chars(re.compile("a|(?:b)+c"))
    ('([{', 'ab')
    >>> _first_chars(re.compile("a", re.I)), _first_chars(re.compile("a*b")), _first_chars(re.compile("[^a]"))
    (None, None, None)
    >>> _first_chars(re.compile("(?:b)?c")), _first_chars(re.compile("(?i:x)y")), _first_chars(re.compile("a|"))
    (None, None, None)
    """
    try:
        parser = _regex_parser()
        engine: Any = importlib.import_module("_sre")
        tree = tree or parser.parse(pattern.pattern, pattern.flags)
        found = _firsts(list(tree), int(tree.state.flags), parser, engine.unicode_iscased)
    except Exception:  # a private module: any change leaves the pattern to decide
        return None
    return None if found is None else "".join(sorted(found))


def _firsts(items: list[Any], flags: int, ops: Any, iscased: Any) -> set[str] | None:
    """:func:`_first_chars` of a parsed sequence (``(op, argument)`` pairs)."""
    if not items:
        return None  # an empty match
    op, av = items[0]
    folded = bool(flags & re.IGNORECASE)
    if flags & re.LOCALE:
        return None
    if op is ops.LITERAL:
        return None if folded and iscased(av) else {chr(av)}
    if op is ops.IN:  # a class of literals alone ([({]), not negated, no ranges
        found: set[str] = set()
        for item_op, item in av:
            if item_op is not ops.LITERAL or (folded and iscased(item)):
                return None
            found.add(chr(item))
        return found
    if op is ops.SUBPATTERN:
        _, add, remove, sub = av
        return None if add or remove else _firsts(list(sub), flags, ops, iscased)
    if op is ops.BRANCH:
        found = set()
        for alternative in av[1]:
            part = _firsts(list(alternative), flags, ops, iscased)
            if part is None:
                return None
            found |= part
        return found
    if op in (ops.MAX_REPEAT, ops.MIN_REPEAT) and av[0] >= 1:
        return _firsts(list(av[2]), flags, ops, iscased)
    return None


PREFIX: Final = 3
"""How many characters :meth:`Joined.may_start` reads where a match may start."""


def _prefix_pattern(pattern: re.Pattern[str], tree: Any, size: int) -> re.Pattern[str] | None:
    r"""A pattern, with ``pattern``'s flags, that fully matches the first ``size`` characters
    of every match of ``pattern``, read from its parse (:func:`_prefixes`); ``None`` where a
    match may be shorter, its parse holds anything else, or it cannot be read.

    >>> _prefix_pattern(re.compile(r"\((?:laugh(?:ter|s)|applause)[^()]*\)", re.I), None, 3).pattern
    '\\(ap|\\(la'
    >>> [_prefix_pattern(re.compile(p), None, 3) for p in ("ab", "a(?:bc|d)", r"(a)\1bc")]
    [None, None, None]
    """
    try:
        ops = _regex_parser()
        found = _prefixes(list(tree or ops.parse(pattern.pattern, pattern.flags)), size, ops)
    except Exception:  # a private module: any change leaves the pattern to decide
        return None
    if found is None or not found or any(n < size for _, n in found):
        return None
    return re.compile("|".join(sorted({p for p, _ in found})), pattern.flags)


_MOST_PREFIXES: Final = 256


def _prefixes(items: list[Any], size: int, ops: Any) -> list[tuple[str, int]] | None:
    """For a parsed sequence: each way its matches can open, as the pattern of its first
    characters (at most ``size``) and how many they are (fewer where the sequence ends
    first); look-arounds and anchors are passed over (a match also meets them). ``None``
    where the parse holds anything else, or the ways are too many."""
    ways: list[tuple[str, int]] = [("", 0)]
    for op, av in items:
        longer: list[tuple[str, int]] = []
        for head, n in ways:
            if n == size:
                longer.append((head, n))
                continue
            tails = _prefixes_of(op, av, size - n, ops)
            if tails is None:
                return None
            longer += [(head + tail, n + k) for tail, k in tails]
        if len(longer) > _MOST_PREFIXES:
            return None
        ways = longer
    return ways


def _prefixes_of(op: Any, av: Any, size: int, ops: Any) -> list[tuple[str, int]] | None:
    """:func:`_prefixes` of one parsed item."""
    if op is ops.AT or op is ops.ASSERT or op is ops.ASSERT_NOT:
        return [("", 0)]
    if op is ops.SUBPATTERN:
        _, add, remove, sub = av
        return None if add or remove else _prefixes(list(sub), size, ops)
    if op is ops.BRANCH:
        found: list[tuple[str, int]] = []
        for alternative in av[1]:
            part = _prefixes(list(alternative), size, ops)
            if part is None:
                return None
            found += part
        return found
    if op is ops.MAX_REPEAT or op is ops.MIN_REPEAT:
        least, most, sub = av
        once = _prefixes(list(sub), size, ops)
        if once is None or any(n == 0 for _, n in once):
            return None  # a turn may match nothing: the turns cannot be counted
        # each turn reads a character or more: turns past ``size`` read none of the prefix
        found = []
        for turns in range(min(least, size), min(most, size) + 1):
            part = _prefixes(list(sub) * turns, size, ops)
            if part is None:
                return None
            found += part
        return found
    one, may_be_empty = _opening_of(op, av, ops)
    if one is None or may_be_empty or len(one) != 1:  # one character, read
        return None
    return [(one[0], 1)]


class OpeningGate:
    r"""The characters a match of a pattern can open with, read from its parse once
    (:func:`_opening_pattern`), and asked of a text's first character before the pattern is
    tried at its start: the verdict is kept for each first character. The document number
    pattern, asked of every block of a document's body, turns away one opening with a
    letter but N (1,900 instructions a block; this, a dictionary look-up).

    >>> g = OpeningGate(re.compile(r"(?:№|No\.?)?\s*\d+-\d{4}"))
    >>> [g.may_open(t) for t in ("№ 1-2023", "  12-2023", "The talks", "")]
    [True, True, False, False]
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern: Final = pattern
        self.opening: Final = _opening_pattern(pattern)
        self.verdicts: Final[dict[str, bool]] = {}

    def may_open(self, text: str) -> bool:
        """Whether a match of the pattern at the start of ``text`` is possible, by its first
        character (the pattern still decides)."""
        opening = self.opening
        if opening is None:
            return True
        first = text[:1]
        found = self.verdicts.get(first)
        if found is None:
            found = opening.match(first) is not None  # "": no match opens the empty text
            if len(self.verdicts) < 4096:
                self.verdicts[first] = found
        return found


def _opening_pattern(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    r"""A pattern of one character, with ``pattern``'s flags, that matches every character a
    match of ``pattern`` can open with, read from its parse (classes, literals, ``.``; look-
    arounds and anchors are passed over); ``None`` where a match may be empty, or its parse
    holds anything else (flags changed inside, a back-reference) or cannot be read.

    >>> _opening_pattern(re.compile(r"(?:№|No\.?|N)?\s*(?P<n>\d+)")).pattern
    'N|[\\d]|[\\s]|№'
    >>> [_opening_pattern(re.compile(p)) for p in ("a*", r"\bx?", "(?i:a)")]
    [None, None, None]
    """
    tree = _parsed(pattern)
    if tree is None:
        return None
    try:
        parts, may_be_empty = _openings(list(tree), _regex_parser())
    except Exception:  # a private module: any change leaves the pattern to decide
        return None
    if parts is None or may_be_empty:
        return None
    return re.compile("|".join(sorted(set(parts))), pattern.flags)


def _openings(items: list[Any], ops: Any) -> tuple[list[str] | None, bool]:
    """For a parsed sequence: the patterns of one character its matches can open with, and
    whether it can match nothing (``None`` where that cannot be said)."""
    found: list[str] = []
    for op, av in items:
        part, may_be_empty = _opening_of(op, av, ops)
        if part is None:
            return None, False
        found += part
        if not may_be_empty:
            return found, False
    return found, True


_CATEGORIES: Final = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}


def _opening_of(op: Any, av: Any, ops: Any) -> tuple[list[str] | None, bool]:
    """:func:`_openings` of one parsed item."""
    if op is ops.LITERAL:
        return [re.escape(chr(av))], False
    if op is ops.NOT_LITERAL:
        return [f"[^{re.escape(chr(av))}]"], False
    if op is ops.ANY:
        return ["."], False
    if op is ops.IN:
        items: list[str] = []
        for item_op, item in av:
            if item_op is ops.NEGATE and not items:
                items.append("^")
            elif item_op is ops.LITERAL:
                items.append(re.escape(chr(item)))
            elif item_op is ops.RANGE:
                items.append(f"{re.escape(chr(item[0]))}-{re.escape(chr(item[1]))}")
            elif item_op is ops.CATEGORY and str(item) in _CATEGORIES:
                items.append(_CATEGORIES[str(item)])
            else:
                return None, False
        return [f"[{''.join(items)}]"], False
    if op is ops.AT or op is ops.ASSERT or op is ops.ASSERT_NOT:
        return [], True  # zero-width: the next item opens the match
    if op is ops.SUBPATTERN:
        _, add, remove, sub = av
        return (None, False) if add or remove else _openings(list(sub), ops)
    if op is ops.BRANCH:
        found: list[str] = []
        may_be_empty = False
        for alternative in av[1]:
            part, empty = _openings(list(alternative), ops)
            if part is None:
                return None, False
            found += part
            may_be_empty = may_be_empty or empty
        return found, may_be_empty
    if op is ops.MAX_REPEAT or op is ops.MIN_REPEAT:
        least, _, sub = av
        part, empty = _openings(list(sub), ops)
        return part, empty or least == 0
    return None, False


_JOINED: dict[int, tuple[tuple[tuple[re.Pattern[str], str], ...], Joined | None]] = {}
"""Joined patterns by the identity of the profile's tuple (kept in the entry, so its id is
never reused): hashing the tuple of patterns, as a cache keyed by value does, cost 1.4 µs
a paragraph, more than the scan it saves."""


def _any_of(patterns: tuple[tuple[re.Pattern[str], str], ...]) -> Joined | None:
    """One pattern that matches (or fully matches) exactly where one of ``patterns`` does, to
    rule out most paragraphs in one scan; ``None`` where they cannot be joined (different
    flags, back-references, a clash of group names).

    >>> from transcript_model.profiles import VOCABULARY as V
    >>> _any_of(V.stage_directions).occurs_in("Thank you. (Applause.)")
    True
    """
    entry = _JOINED.get(id(patterns))
    if entry is not None and entry[0] is patterns:
        return entry[1]
    if len(_JOINED) > 64:  # profiles are few; vocabularies built at run time are not kept forever
        _JOINED.clear()
    pattern = _join(patterns)
    joined = None if pattern is None else Joined(pattern)
    _JOINED[id(patterns)] = (patterns, joined)
    return joined


_GATES: dict[int, OpeningGate] = {}
"""Opening gates by the identity of their pattern (kept in the gate, so that its id is never
reused), asked once per document."""


def _gate(pattern: re.Pattern[str]) -> OpeningGate:
    gate = _GATES.get(id(pattern))
    if gate is not None and gate.pattern is pattern:
        return gate
    if len(_GATES) > 64:  # profiles are few; patterns built at run time are not kept forever
        _GATES.clear()
    gate = _GATES[id(pattern)] = OpeningGate(pattern)
    return gate


def _join(patterns: tuple[tuple[re.Pattern[str], str], ...]) -> re.Pattern[str] | None:
    if not patterns or len({p.flags for p, _ in patterns}) != 1:
        return None
    if any(re.search(r"\\[1-9]|\(\?P=", p.pattern) for p, _ in patterns):
        return None
    try:
        return re.compile("|".join(f"(?:{p.pattern})" for p, _ in patterns), patterns[0][0].flags)
    except re.error:
        return None


def with_incidents(paragraphs: Sequence[Paragraph], vocab: Vocabulary) -> tuple[Paragraph, ...]:
    """The paragraphs with the stage directions of their (repaired) text; a stage direction
    that overlaps a repair is left unmarked, its text stays in the paragraph."""
    whole, inside = _any_of(vocab.stage_paragraphs), _any_of(vocab.stage_directions)
    return tuple(_with_incidents(para, vocab, whole, inside) for para in paragraphs)


def _with_incidents(para: Paragraph, vocab: Vocabulary, whole: Joined | None, inside: Joined | None) -> Paragraph:
    found = _incidents(para.text, vocab, whole, inside)
    if not found and not para.incidents:  # most paragraphs: none before, none now
        return para
    found = tuple(
        inc
        for inc in found
        if not any((e.start < inc.end and inc.start < e.end) or inc.start < e.start < inc.end for e in para.edits)
    )
    if found == para.incidents:
        return para
    return Paragraph(para.text, para.span, para.edits, found)


def read_turns(
    body: Sequence[RawBlock], profile: Profile, people: People, diagnostics: list[Diagnostic]
) -> tuple[list[TurnDraft], list[Block]]:
    """Turn drafts (before repairs) and the blocks they were read from."""
    vocab = profile.vocabulary
    number = None if profile.number_line is None else _gate(profile.number_line)
    drafts: list[TurnDraft] = []
    blocks: list[Block] = []
    lead: list[Paragraph] = []
    was_quoted = False
    names = people.known_names()  # changes only when a speaker is added: refreshed then
    for raw in body:
        if is_chrome(raw.text, profile) or url_of(raw.text) or looks_like_date_line(raw.text):
            blocks.append(Block(BlockKind.CHROME, raw.span, raw.text))
            continue
        if number is not None and number.may_open(raw.text) and number.pattern.fullmatch(raw.text):
            blocks.append(Block(BlockKind.NUMBER, raw.span, raw.text))
            continue
        skip = strip_markers(raw.text, profile)
        quoted = raw.text.lstrip().startswith(">")
        asks = skip > 0 and any(ch in profile.question_markers for ch in raw.text[:skip])
        text = raw.text[skip:]
        start = raw.span.start + skip
        if not text.strip():
            blocks.append(Block(BlockKind.CHROME, raw.span, raw.text))  # markers alone
            continue
        label = find_label(text, vocab, names)
        if label is None:
            para = Paragraph(text, raw.span if skip == 0 else Span(start, raw.span.end))
            if asks:
                pid = people.anonymous(vocab.anonymous_labels["question"])
                names = people.known_names()
                drafts.append(TurnDraft(pid, None, None, TurnKind.QUESTION, [para]))
            elif quoted and not was_quoted and (drafts or lead):
                drafts.append(TurnDraft(None, None, None, None, [para]))
            elif drafts:
                drafts[-1].paragraphs.append(para)
            else:
                lead.append(para)
            was_quoted = quoted
            continue
        was_quoted = quoted
        speaker, kind = people.speaker_for(label)
        names = people.known_names()
        if kind is None:
            previous = drafts[-1].kind if drafts else None
            kind = TurnKind.ANSWER if previous is TurnKind.QUESTION else TurnKind.STATEMENT
        label_span = Span(start, start + len(label.text))
        blocks.append(Block(BlockKind.LABEL, label_span, label.text))
        rest = text[label.end :]
        paragraphs = []
        if rest.strip():
            rest_start = start + label.end
            paragraphs.append(Paragraph(rest, Span(rest_start, raw.span.end)))
        drafts.append(TurnDraft(speaker, label.text, label_span, kind, paragraphs))
    if lead:
        # text before the first label is the headline author's (opening remarks), else unattributed
        author = people.author_id()
        if drafts and author is None:
            diagnostics.append(
                Diagnostic(
                    Severity.WARNING,
                    "unattributed-text",
                    f"{len(lead)} paragraph(s) before the first speaker label kept as an unattributed turn",
                    lead[0].span,
                    next((r.line for r in body if r.span.end >= lead[0].span.start), None),
                )
            )
        drafts.insert(0, TurnDraft(author, None, None, TurnKind.STATEMENT if author else None, lead))
    return drafts, blocks
