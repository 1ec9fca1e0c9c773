"""What a pattern's parse says of its matches, read once and asked as a look-up.

A profile's or vocabulary's patterns are asked of every block or paragraph, and most
texts open no match: the regex engine still tries each alternative (with case folded,
thousands of instructions a text). The regex engine's own parser says, once per pattern,
how long a match can be and which characters it can open with; a text that cannot open
one is turned away by a dictionary look-up. Every gate admits at least the texts its
pattern matches (tests check that on random texts): the pattern still decides.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable
from typing import Any, Final, TypeVar

T = TypeVar("T")


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
        return prefixes is None or _admitted(prefixes, self.verdicts, text[pos : pos + PREFIX])

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


_MOST_VERDICTS: Final = 4096


def _admitted(prefixes: re.Pattern[str], verdicts: dict[str, bool], key: str) -> bool:
    """Whether ``prefixes`` fully matches ``key``: asked once, then kept in ``verdicts``
    (at most :data:`_MOST_VERDICTS` of them)."""
    found = verdicts.get(key)
    if found is None:
        found = prefixes.fullmatch(key) is not None
        if len(verdicts) < _MOST_VERDICTS:
            verdicts[key] = found
    return found


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
    found = _read_cased(pattern, tree, _firsts)
    return None if found is None else "".join(sorted(found))


def _read_cased(pattern: re.Pattern[str], tree: Any, reader: Callable[[list[Any], int, Any, Any], T]) -> T | None:
    """``reader`` of ``pattern``'s parse, given its flags, the parser's names and the regex
    engine's test of whether a character has case; ``None`` where it cannot be read."""
    try:
        ops = _regex_parser()
        engine: Any = importlib.import_module("_sre")
        tree = tree or ops.parse(pattern.pattern, pattern.flags)
        return reader(list(tree), int(tree.state.flags), ops, engine.unicode_iscased)
    except Exception:  # a private module: any change leaves the pattern to decide
        return None


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


def _prefix_pattern(pattern: re.Pattern[str], tree: Any, size: int, *, whole: bool = False) -> re.Pattern[str] | None:
    r"""A pattern, with ``pattern``'s flags, that fully matches the first ``size`` characters
    of every match of ``pattern``, read from its parse (:func:`_prefixes`); ``None`` where a
    match may be shorter, its parse holds anything else, or it cannot be read.

    With ``whole``, for a pattern asked to match a whole text: it also fully matches every
    match shorter than ``size`` (the whole text, then).

    >>> _prefix_pattern(re.compile(r"\((?:laugh(?:ter|s)|applause)[^()]*\)", re.I), None, 3).pattern
    '\\(ap|\\(la'
    >>> [_prefix_pattern(re.compile(p), None, 3) for p in ("ab", "a(?:bc|d)", r"(a)\1bc")]
    [None, None, None]
    >>> _prefix_pattern(re.compile("ab|(?-i:c)de", re.I), None, 3, whole=True).pattern
    '(?-i:c)de|ab'
    >>> _prefix_pattern(re.compile(".{0,9}photo", re.S), None, 3) is None  # it opens with anything
    True
    """
    try:
        ops = _regex_parser()
        found = _prefixes(list(tree or ops.parse(pattern.pattern, pattern.flags)), size, ops)
    except Exception:  # a private module: any change leaves the pattern to decide
        return None
    if found is None or not found or (not whole and any(n < size for _, n in found)):
        return None
    if any(p == "." * n for p, n in found):
        return None  # a way that opens with any characters: no text would be turned away
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
        inner = _prefixes(list(sub), size, ops)
        if inner is None or not (add or remove):
            return inner
        scope = _scope(add, remove)  # "(?-i:[Ss])hare": the letter read as it is said
        return None if scope is None else [(f"(?{scope}:{p})" if p else p, n) for p, n in inner]
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


_SCOPED_FLAGS: Final = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"))


def _scope(add: int, remove: int) -> str | None:
    """The inline flags of a group that adds ``add`` and removes ``remove`` (``i-s``), or
    ``None`` where it changes any flag but these three.

    >>> _scope(0, re.IGNORECASE), _scope(re.IGNORECASE | re.DOTALL, 0), _scope(re.VERBOSE, 0)
    ('-i', 'is', None)
    """
    known = re.IGNORECASE | re.MULTILINE | re.DOTALL
    if (add | remove) & ~known:
        return None
    on = "".join(letter for flag, letter in _SCOPED_FLAGS if add & flag)
    off = "".join(letter for flag, letter in _SCOPED_FLAGS if remove & flag)
    return on + ("-" + off if off else "")


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


_OPENING_GATES: Final[dict[int, OpeningGate]] = {}
"""Opening gates by the identity of their pattern (kept in the gate, so that its id is never
reused), asked once per document."""


def opening_gate(pattern: re.Pattern[str]) -> OpeningGate:
    """``pattern``'s :class:`OpeningGate`, read once."""
    gate = _OPENING_GATES.get(id(pattern))
    if gate is not None and gate.pattern is pattern:
        return gate
    if len(_OPENING_GATES) > 64:  # profiles are few; patterns built at run time are not kept forever
        _OPENING_GATES.clear()
    gate = _OPENING_GATES[id(pattern)] = OpeningGate(pattern)
    return gate


class WholeGate:
    r"""What a pattern asked to match whole texts (``fullmatch``) can match, read from its
    parse once: at most :func:`_widest` characters, holding the character
    :func:`_needed_char` says, opening as :func:`_prefix_pattern` says (with ``whole``:
    shorter matches are whole texts); asked of a text before the pattern is tried, the
    opening's verdict kept for each :data:`PREFIX` characters. A block that opens no site
    chrome (most: "The talks were...", "Question: ...") costs the chrome pattern's
    alternatives about 2,000 instructions with case folded; a look-up, this way. A photo
    credit holds a ":", which a paragraph without one is asked in one ``memchr``.

    >>> g = WholeGate(re.compile(r"share|#\w+|(?-i:[Pp])rint(?: version)?", re.IGNORECASE))
    >>> [g.fullmatch(t) for t in ("SHARE", "#a", "print", "Print Version", "Sharing", "The talks")]
    [True, True, True, True, False, False]
    >>> g.verdicts["The"], g.widest == _UNBOUNDED, g.needs
    (False, True, None)
    >>> g = WholeGate(re.compile(r".{0,20}(?-i:p)hoto: \w{1,20}", re.IGNORECASE | re.DOTALL))
    >>> g.needs, g.prefixes, g.widest, [g.may_match(t) for t in ("Photo: Jane", "Photo Jane")]
    (':', None, 47, [True, False])
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        tree = _parsed(pattern)
        self.pattern: Final = pattern
        self.widest: Final = _widest(pattern, tree)
        self.needs: Final = _needed_char(pattern, tree)
        self.prefixes: Final = _prefix_pattern(pattern, tree, PREFIX, whole=True)
        self.verdicts: Final[dict[str, bool]] = {}

    def may_match(self, text: str) -> bool:
        """Whether the pattern can match all of ``text``, by its length, a character every
        match holds, and its first :data:`PREFIX` characters (the pattern still decides)."""
        if len(text) > self.widest:
            return False
        needs = self.needs
        if needs is not None and needs not in text:  # one character: memchr
            return False
        prefixes = self.prefixes
        return prefixes is None or _admitted(prefixes, self.verdicts, text[:PREFIX])

    def fullmatch(self, text: str) -> bool:
        """Whether the pattern matches all of ``text``."""
        return self.may_match(text) and self.pattern.fullmatch(text) is not None


def _needed_char(pattern: re.Pattern[str], tree: Any = None) -> str | None:
    r"""A character every match of ``pattern`` holds, read from its parse: a literal it
    cannot pass over (outside look-arounds, optional parts and repetitions that may not
    turn; in each alternative of a branch; without case, or with case not folded). The
    least common sort is chosen: a mark before a letter, a letter before a space. ``None``
    where there is none, or the parse cannot be read.

    >>> [_needed_char(re.compile(p, f)) for p, f in [(r"ab(?:c:|:d)e?", 0), ("a b", re.I), ("x?|y", 0)]]
    [':', ' ', None]
    """
    found = _read_cased(pattern, tree, _held)
    if not found:
        return None
    return min(found, key=lambda c: (c.isspace(), c.isalnum(), c))


def _held(items: list[Any], flags: int, ops: Any, iscased: Any) -> set[str]:
    """:func:`_needed_char`'s characters of a parsed sequence."""
    if flags & re.LOCALE:
        return set()
    found: set[str] = set()
    for op, av in items:
        if op is ops.LITERAL:
            if not (flags & re.IGNORECASE and iscased(av)):
                found.add(chr(av))
        elif op is ops.SUBPATTERN:
            _, add, remove, sub = av
            found |= _held(list(sub), (flags | add) & ~remove, ops, iscased)
        elif (op is ops.MAX_REPEAT or op is ops.MIN_REPEAT) and av[0] >= 1:
            found |= _held(list(av[2]), flags, ops, iscased)
        elif op is ops.BRANCH:
            each = [_held(list(alternative), flags, ops, iscased) for alternative in av[1]]
            found |= set.intersection(*each) if each else set()
    return found


class _Last:
    """The last tuple of patterns :func:`whole_gates` was asked for, with its gates (one
    tuple, replaced whole: a thread reads a pair that belongs together)."""

    entry: tuple[tuple[re.Pattern[str], ...], tuple[WholeGate, ...]] = ((), ())


_LAST: Final = _Last()
_WHOLE_GATES: Final[dict[int, tuple[tuple[re.Pattern[str], ...], tuple[WholeGate, ...]]]] = {}
"""Whole gates by the identity of a profile's tuple of patterns (kept in the entry, so its
id is never reused)."""


def whole_gates(patterns: tuple[re.Pattern[str], ...]) -> tuple[WholeGate, ...]:
    """A :class:`WholeGate` for each of ``patterns``, read once per tuple (asked for every
    block of a document, with the same profile's tuple each time: the last is at hand)."""
    entry = _LAST.entry
    if entry[0] is patterns:
        return entry[1]
    found = _WHOLE_GATES.get(id(patterns))
    if found is None or found[0] is not patterns:
        if len(_WHOLE_GATES) > 64:  # profiles are few; tuples built at run time are not kept forever
            _WHOLE_GATES.clear()
        found = _WHOLE_GATES[id(patterns)] = (patterns, tuple(WholeGate(p) for p in patterns))
    _LAST.entry = found
    return found[1]
