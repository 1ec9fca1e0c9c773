"""Repairs: small pure functions over a turn's paragraphs that return what they changed.

Each rule takes the paragraphs of one turn (with their source spans and the edits made so
far) and a :class:`RuleContext`, and returns new paragraphs plus
:class:`~transcript_model.model.Repair` records. Nothing is changed silently: every changed
span of the source is kept as an :class:`~transcript_model.model.Edit` in the paragraph
and described by its ``Repair``, so the original text can always be recovered.

Rules never touch text inside an earlier edit, so the source spans of all repairs are
disjoint and :func:`apply_plan` can replay a plan on the source text. :data:`RULES` is the
catalogue, in the order rules run; ``parse(..., repairs=...)`` chooses which run.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import itertools
import os
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from spellchecker import SpellChecker

from .dates import DATE_RX
from .model import Edit, Paragraph, Repair, Span
from .scans import (
    HAS_CONTROL,
    MAY_HOLD_MOJIBAKE,
    NON_ASCII_WORD_CHARACTER,
    REPEATED_CAPITALISED_WORD,
    SPACE_BEFORE_MARK,
)


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What a rule needs besides the paragraphs: the source text, the turn being repaired,
    the index its first :class:`Repair` will have among the transcript's repairs, and the
    words of the whole document (casefolded), for rules that consult the vocabulary."""

    source: str
    turn: int
    first_index: int
    words: frozenset[str] = frozenset()
    role_words: frozenset[str] = frozenset()

    def __init__(
        self,
        source: str,
        turn: int,
        first_index: int,
        words: frozenset[str] = frozenset(),
        role_words: frozenset[str] = frozenset(),
    ) -> None:
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "turn", turn)
        object.__setattr__(self, "first_index", first_index)
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "role_words", role_words)


RepairRule = Callable[[Sequence[Paragraph], RuleContext], tuple[tuple[Paragraph, ...], tuple[Repair, ...]]]
"""``rule(paragraphs, context) -> (paragraphs, repairs)``: a pure function over one turn."""

REASONS: Final[dict[str, str]] = {
    "duplicated-broken-sentence": "paragraph cut mid-sentence and restarted in the next one: fragment dropped",
    "repeated-paragraph": "paragraph printed again (pull-quote or repost): repeat dropped",
    "broken-paragraph": "paragraph broken mid-sentence and continued in the next: joined",
    "hover-card": "person card text injected by a web page into the sentence: removed",
    "widget-text": "site widget text (see also, related links) injected into the paragraph: removed",
    "markdown-escape": "Markdown escape backslash: removed",
    "mojibake": "text decoded with the wrong encoding (mojibake): fixed with ftfy",
    "control-characters": "control character: removed",
    "unicode-spaces": "no-break or zero-width space: replaced by a plain space or removed",
    "hyphenation": "word hyphenated at a line end: joined",
    "hard-wrap": "line break inside a paragraph (hard wrap): replaced by a space",
    "space-before-punctuation": "space before punctuation left by a removed link: removed",
}
"""Every rule's one-line reason, recorded with each repair it makes."""


# --- shared machinery -----------------------------------------------------------------


def is_internal(edit: Edit, para: Paragraph) -> bool:
    """Whether an edit's original lies inside the paragraph's own span (else it is a
    separate block of the source, such as a dropped fragment)."""
    return para.span.start <= edit.source.start and edit.source.end <= para.span.end


def original_text(para: Paragraph) -> str:
    """The paragraph as the source printed it: its text with internal edits undone.

    >>> p = Paragraph("Hello world", Span(0, 12), (Edit(5, 6, "\\n", Span(5, 6), 0),))
    >>> original_text(p)
    'Hello\\nworld'
    """
    if not para.edits:  # most paragraphs
        return para.text
    out, pos = [], 0
    for e in sorted((e for e in para.edits if is_internal(e, para)), key=lambda e: (e.start, e.end)):
        out.append(para.text[pos : e.start])
        out.append(e.original)
        pos = e.end
    out.append(para.text[pos:])
    return "".join(out)


Change = tuple[int, int, str]
"""``(start, end, replacement)`` in a paragraph's current text."""


def _touches(e: Edit, start: int, end: int) -> bool:
    """Whether the range ``[start, end)`` of a paragraph's text touches the edit ``e``: they
    overlap, or one is empty and strictly inside the other (an empty range may sit at an edge)."""
    return (
        (start < e.end and e.start < end)
        or (start == end and e.start < start < e.end)
        or (e.start == e.end and start < e.start < end)
    )


class _Edits:
    """A paragraph's edits, indexed so that each question about a position costs the
    logarithm of their number: a hyphenated and hard-wrapped paragraph of 300 KB has 8,000
    edits, and asking each new change about every edit took 10 s.

    Edits never overlap (rules do not touch text inside an earlier edit), so in the order
    of their starts their ends do not decrease either; were that ever not so, every edit is
    asked, as before.
    """

    __slots__ = ("base", "by_end", "edits", "ends", "ordered", "shifts", "starts")

    def __init__(self, para: Paragraph) -> None:
        self.edits = sorted(para.edits, key=_edit_order)
        self.starts = [e.start for e in self.edits]
        self.ends = [e.end for e in self.edits]
        self.ordered = all(a <= b for a, b in itertools.pairwise(self.ends))
        internal = sorted((e for e in para.edits if is_internal(e, para)), key=lambda e: e.end)
        self.by_end = [e.end for e in internal]
        # shifts[k]: how much longer the source is than the text before the k-th internal edit's end
        self.shifts = [0, *itertools.accumulate(len(e.original) - (e.end - e.start) for e in internal)]
        self.base = para.span.start

    def free(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` of the text touches no edit (see :func:`_touches`)."""
        edits = self.edits
        if self.ordered:  # only edits reaching ``start`` and starting by ``end`` can touch it
            edits = edits[bisect.bisect_left(self.ends, start) : bisect.bisect_right(self.starts, end)]
        return not any(_touches(e, start, end) for e in edits)

    def source_offset(self, pos: int) -> int:
        """The source offset of position ``pos`` of the text (outside any edit)."""
        return self.base + pos + self.shifts[bisect.bisect_right(self.by_end, pos)]


def apply_changes(
    para: Paragraph, changes: Iterable[Change], rule: str, ctx: RuleContext, *, paragraph: int, made: int
) -> tuple[Paragraph, list[Repair]]:
    """Apply non-overlapping changes to a paragraph, one :class:`Repair` per change.

    Changes that overlap an earlier edit are skipped. Existing edits and the new ones keep
    pointing at the right places of the new text. The time grows with the number of
    changes and edits times its logarithm.
    """
    index = _Edits(para) if para.edits else None
    accepted = sorted((c for c in changes if index is None or index.free(c[0], c[1])), key=lambda c: c[0])
    if not accepted:
        return para, []
    old = para.text
    pieces: list[str] = []
    repairs: list[Repair] = []
    new_edits: list[Edit] = []
    pos = delta = 0
    for start, end, replacement in accepted:
        src_start = index.source_offset(start) if index is not None else para.span.start + start
        src = Span(src_start, src_start + (end - start))
        number = ctx.first_index + made + len(repairs)
        s = start + delta
        pieces += (old[pos:start], replacement)
        pos = end
        new_edits.append(Edit(s, s + len(replacement), old[start:end], src, number))
        repairs.append(
            Repair(rule, REASONS[rule], ctx.turn, paragraph, s, s + len(replacement), src, old[start:end], replacement)
        )
        delta += len(replacement) - (end - start)
    pieces.append(old[pos:])
    shifted = _shifted(para.edits, accepted)
    return Paragraph("".join(pieces), para.span, tuple(sorted(shifted + new_edits, key=_edit_order)), ()), repairs


def _edit_order(e: Edit) -> tuple[int, int, int]:
    return (e.start, e.end, e.repair)


def _shifted(edits: Sequence[Edit], changes: Sequence[Change]) -> list[Edit]:
    """Move each edit to where its text is after ``changes`` (each wholly before or after
    it; an empty change at an edit's start goes after it)."""
    if not edits:
        return []
    by_end = sorted(changes, key=lambda c: c[1])
    ends = [end for _, end, _ in by_end]
    grown = [0, *itertools.accumulate(len(r) - (end - start) for start, end, r in by_end)]
    at_point: dict[int, int] = {}  # empty changes by position: what they add there
    for start, end, r in changes:
        if start == end:
            at_point[start] = at_point.get(start, 0) + len(r)
    out: list[Edit] = []
    for e in edits:
        delta = grown[bisect.bisect_right(ends, e.start)] - at_point.get(e.start, 0)
        out.append(Edit(e.start + delta, e.end + delta, e.original, e.source, e.repair) if delta else e)
    return out


def _outside_edits(para: Paragraph, pattern: re.Pattern[str]) -> Iterable[re.Match[str]]:
    if not para.edits:
        yield from pattern.finditer(para.text)
        return
    index = _Edits(para)
    for m in pattern.finditer(para.text):
        if index.free(m.start(), m.end()):
            yield m


ChangeFinder = Callable[[Paragraph, RuleContext], list[Change]]
Hint = Callable[[str], bool]

HINTS: Final[dict[str, Hint]] = {}
"""For each rule that changes text inside paragraphs, a cheap test that every text it would
change passes; most texts fail it, and the rule passes them over at once.

A hint that passes for a text passes for any text holding it between spaces (it looks for
characters, substrings or a pattern that a space around the text does not disturb), so it
can be asked once of all of a document's paragraphs joined by spaces: where that fails, the
rule finds nothing in any of them (see :func:`quiet_rules`)."""


def per_paragraph(
    name: str, hint: Hint | None = None, *, document_hint: Hint | None = None
) -> Callable[[ChangeFinder], RepairRule]:
    """Make a rule from a function that finds the changes to make in one paragraph.

    ``hint`` (see :data:`HINTS`) is asked first: a paragraph that fails it is not given to
    the function. ``document_hint``, if given, is a cheaper test that every text passing
    ``hint`` passes, asked instead of a whole document (:func:`quiet_rules`).
    """

    def make(find: ChangeFinder) -> RepairRule:
        def rule(paragraphs: Sequence[Paragraph], ctx: RuleContext) -> tuple[tuple[Paragraph, ...], tuple[Repair, ...]]:
            out: list[Paragraph] = []
            repairs: list[Repair] = []
            for i, para in enumerate(paragraphs):
                if hint is not None and not hint(para.text):  # the common case, in one call
                    out.append(para)
                    continue
                changes = find(para, ctx)
                if not changes:  # the common case: nothing to repair here
                    out.append(para)
                    continue
                new, made = apply_changes(para, changes, name, ctx, paragraph=i, made=len(repairs))
                out.append(new)
                repairs.extend(made)
            return tuple(out), tuple(repairs)

        rule.__name__ = find.__name__
        rule.__doc__ = find.__doc__
        if hint is not None:
            HINTS[name] = document_hint or hint
        return rule

    return make


def _substitution_rule(
    name: str,
    pattern: re.Pattern[str],
    replacement: Callable[[re.Match[str]], str | None],
    hint: Callable[[str], bool] | None = None,
) -> RepairRule:
    """A rule that replaces every match of ``pattern`` by ``replacement(match)`` (``None``: keep).

    ``hint`` (see :data:`HINTS`), if given, is a cheaper test than the pattern that every
    text holding a match passes; else the pattern is looked for.
    """

    def find(para: Paragraph, ctx: RuleContext) -> list[Change]:
        return [(m.start(), m.end(), r) for m in _outside_edits(para, pattern) if (r := replacement(m)) is not None]

    find.__name__ = name.replace("-", "_")
    return per_paragraph(name, hint or (lambda text: pattern.search(text) is not None))(find)


# --- structural rules: paragraphs dropped or joined -------------------------------------

_TERMINAL_MARKS: Final = (".", "!", "?", "…", ":", ";")
_CLOSING_MARKS: Final = "\"'”»’)]"


def _ends_sentence(text: str) -> bool:
    r"""Whether ``text`` ends in terminal punctuation, closing quotes or brackets after it,
    and white space: ``[.!?…:;]["'”»’)\]]*\s*$``, read from the end (the pattern, looked for
    from the start, tried every punctuation mark of the paragraph: five times slower).

    >>> _ends_sentence("He said: «No.»\n"), _ends_sentence("(item 2)"), _ends_sentence("Why? ")
    (True, False, True)
    """
    return text.rstrip().rstrip(_CLOSING_MARKS).endswith(_TERMINAL_MARKS)


_WORD: Final = re.compile(r"\w+", re.UNICODE)
_MIN_FRAGMENT_WORDS: Final = 3
_ASCII_NON_WORD_TO_SPACE: Final = bytes(b if b < 128 and _WORD.match(chr(b)) else 32 for b in range(256))


_NON_ASCII_WORD_CHAR: Final = re.compile(r"[^\W\x00-\x7f]")


def _ascii_words(text: str) -> bool:
    """Whether every word character of ``text`` is ASCII (curly quotes, dashes and no-break
    spaces are no word characters: an English paragraph holding them has ASCII words).
    Asked in one pass in C where it was built, else with the pattern."""
    if text.isascii():
        return True
    if NON_ASCII_WORD_CHARACTER is not None:
        return not NON_ASCII_WORD_CHARACTER(text)
    return _NON_ASCII_WORD_CHAR.search(text) is None


def _words(text: str) -> list[str]:
    """The words of ``text`` (``\\w+``), case-folded.

    A text whose words are ASCII is read in C string operations, three times faster than
    the pattern: every character that is not a word character becomes a space (outside
    ASCII, through the ``?`` that encoding gives it), and the rest split at spaces (in
    ASCII, folding case is lowering it).

    >>> _words("Mr_Smith’s 2 cats, (Ünal)."), _words("Mr_Smith's 2 cats — “x”.")
    (['mr_smith', 's', '2', 'cats', 'ünal'], ['mr_smith', 's', '2', 'cats', 'x'])
    """
    if _ascii_words(text):
        data = text.encode("ascii", "replace")  # outside ASCII: "?", no word character
        return data.translate(_ASCII_NON_WORD_TO_SPACE).decode("ascii").lower().split()
    return [w.casefold() for w in _WORD.findall(text)]


def _leading_words(text: str, n: int, reach: int) -> list[str]:
    """The words of ``text`` as :func:`_words` reads them, at least its first ``n`` where it has
    them: read from its first ``reach`` characters where those hold ``n`` whole words (a cut
    shortens only the word it falls in, the last read), else from all of it.

    >>> _leading_words("One two three four five", 2, 9), _leading_words("One two three", 5, 4)
    (['one', 'two'], ['one', 'two', 'three'])
    """
    if reach < len(text):
        words = _words(text[:reach])
        if len(words) > n:
            return words[:-1]  # the last may be cut
    return _words(text)


def _has_words(text: str, n: int) -> bool:
    """Whether ``text`` has at least ``n`` words (stops counting there)."""
    return next(itertools.islice(_WORD.finditer(text), n - 1, None), None) is not None


def _looks_like_heading(text: str) -> bool:
    """Title-case text (most words of three or more letters capitalised) is a heading.

    The words of a text whose words are ASCII are read as :func:`_words` reads them (four
    times faster than the pattern), without folding case.

    >>> _looks_like_heading("Relations With The United States"), _looks_like_heading("We met the USA’s team")
    (True, False)
    """
    if _ascii_words(text):
        found = text.encode("ascii", "replace").translate(_ASCII_NON_WORD_TO_SPACE).decode("ascii").split()
    else:
        found = _WORD.findall(text)
    words = [w for w in found if len(w) >= 3]
    if not words:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised / len(words) > 0.6


def is_broken_duplicate(fragment: str, following: str) -> bool:
    """True when ``fragment`` stops mid-sentence and restarts as ``following``.

    Its words must be a prefix of the next paragraph's words (ignoring case and
    punctuation; the last word may be cut short), it must have no terminal punctuation,
    at least three words, and not read as a heading.

    >>> is_broken_duplicate("We are also concerned over the position of other NATO countries for",
    ...                     "we are also concerned over the position of other NATO countries, for instance, France.")
    True
    >>> is_broken_duplicate("We are concerned.", "We are concerned about NATO.")
    False
    >>> is_broken_duplicate("Relations With The United States", "Relations with the United States are poor.")
    False
    >>> is_broken_duplicate("The following points:", "The following points: one, two.")
    False
    """
    if _ends_sentence(fragment):
        return False
    head = fragment.split(None, 1)[:1]
    # casefold maps each character on its own: the first three characters, folded, open
    # the folded paragraph (folding it all cost a pass over the paragraph)
    if not head or not following[:3].casefold().startswith(head[0].casefold()[:3]):
        return False  # cheap: the next paragraph does not even start with the same word
    a = _words(fragment)
    if len(a) < _MIN_FRAGMENT_WORDS:
        return False
    b = _leading_words(following, len(a) + 1, 2 * len(fragment) + 32)
    if len(a) >= len(b) or a[:-1] != b[: len(a) - 1] or not b[len(a) - 1].startswith(a[-1]):
        return False
    # a heading followed by text starting with its words is no artifact; but a restart in
    # lower case ("Meeting of the" / "meeting of the Valdai Club.") is one. Asked last: most
    # paragraphs sharing a first word share no more, and the question cost as much as the words
    restarted_lower = fragment[:1].isupper() and following[:1].islower()
    return restarted_lower or not _looks_like_heading(fragment)


def _attach_dropped(host: Paragraph, dropped: Paragraph, at: int, index: int) -> Paragraph:
    """Keep a dropped paragraph as a surplus edit of ``host`` at offset ``at``."""
    edit = Edit(at, at, original_text(dropped), dropped.span, index)
    return Paragraph(host.text, host.span, tuple(sorted((*host.edits, edit), key=_edit_order)))


def duplicated_broken_sentence(
    paragraphs: Sequence[Paragraph], ctx: RuleContext
) -> tuple[tuple[Paragraph, ...], tuple[Repair, ...]]:
    """Drop a paragraph cut mid-sentence whose words restart the next paragraph.

    The full version is kept; if the scraper lower-cased its first letter, the fragment's
    capital is restored. One :class:`Repair` per dropped fragment; its ``original`` runs from
    the fragment to the restored letter in the source, so replaying it is one substitution.

    >>> src = "We will insist on honest\\n\\nwe will insist on honest talks."
    >>> paras = [Paragraph(src[:24], Span(0, 24)), Paragraph(src[26:], Span(26, len(src)))]
    >>> kept, (r,) = duplicated_broken_sentence(paras, RuleContext(src, 0, 0))
    >>> kept[0].text, r.original, r.replacement
    ('We will insist on honest talks.', 'We will insist on honest\\n\\nw', 'W')
    """
    out: list[Paragraph] = []
    repairs: list[Repair] = []
    pending: Paragraph | None = None  # a fragment waiting for its full version
    for i, current in enumerate(paragraphs):
        para = current
        if pending is not None:
            para, repair = _absorb(pending, current, ctx, len(repairs), len(out))
            repairs.append(repair)
            pending = None
        following = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
        if (
            following is not None
            and not para.edits
            and not following.edits
            and not ctx.source[para.span.end : following.span.start].strip()
            and is_broken_duplicate(para.text, following.text)
        ):
            pending = para
            continue
        out.append(para)
    return tuple(out), tuple(repairs)


def _absorb(
    fragment: Paragraph, full: Paragraph, ctx: RuleContext, made: int, position: int
) -> tuple[Paragraph, Repair]:
    index = ctx.first_index + made
    edits = [Edit(0, 0, fragment.text, fragment.span, index)]
    text = full.text
    end = 0
    src_end = fragment.span.end  # the repair spans its edits: the fragment (and the letter restored)
    first, lead = fragment.text[:1], text[:1]
    if first.isupper() and lead.islower() and first.casefold() == lead.casefold():
        text = first + text[1:]
        edits.append(Edit(0, 1, lead, Span(full.span.start, full.span.start + 1), index))
        end = 1
        src_end = full.span.start + 1
    span = Span(fragment.span.start, src_end)
    rule = "duplicated-broken-sentence"
    repair = Repair(rule, REASONS[rule], ctx.turn, position, 0, end, span, span.slice(ctx.source), text[:end])
    return Paragraph(text, full.span, tuple(edits)), repair


_REPEAT_WINDOW: Final = 3
_MIN_REPEAT_WORDS: Final = 8


def _norm(text: str) -> str:
    """The words of ``text``, case-folded, one space apart (casefold maps each character on
    its own, so folding the joined words is folding each word, in one call)."""
    if _ascii_words(text):
        return " ".join(_words(text))
    return " ".join(_WORD.findall(text)).casefold()


def _norm_of(paragraphs: list[Paragraph], norms: dict[int, str], k: int) -> str:
    """The folded words of ``paragraphs[k]``, kept in ``norms`` (a function of its own, not a
    closure: compiled, a closure and its frame refer to each other, and every paragraph it
    saw would wait for the cyclic collector)."""
    if k not in norms:
        norms[k] = _norm(paragraphs[k].text)
    return norms[k]


_EDGE_MARKS: Final = ".,;:!?\"'«»“”„‘’()[]{}<>—–-…/*"


def _probe(text: str) -> str | None:
    """The longest word among the first eight blank-separated tokens of ``text`` that are
    one word each once marks are stripped from their ends, case-folded (None if none is).

    Each word of a repeat (its first and last perhaps cut) is in the folded text of the
    paragraph it repeats, so a paragraph whose folded text lacks the probe cannot hold the
    repeat: a split and a few string searches spare most paragraphs their folded words
    (``_norm``; finding the words with the pattern cost as much as folding them).

    >>> _probe("We regard Turkey as a very important partner."), _probe("U.S.-made (i.e.)")
    ('important', None)
    >>> _probe("«Absolutely», she said, (twice)."), _probe("snake_case words")
    ('absolutely', 'words')
    """
    best = ""
    for token in text.split(None, _MIN_REPEAT_WORDS)[:_MIN_REPEAT_WORDS]:
        # \w+ but "_", which isalnum refuses; a token that is one already has no mark to
        # strip (most: stripping a set of thirty marks cost 490 instructions a token)
        if token.isalnum():
            word = token
        else:
            word = token.strip(_EDGE_MARKS)
            if not word.isalnum():
                continue
        if len(word) > len(best):
            best = word
    if not best:
        return None
    return best.lower() if best.isascii() else best.casefold()


def _folded_of(paragraphs: list[Paragraph], folded: dict[int, str], k: int) -> str:
    """``paragraphs[k]``'s text case-folded (lowered if ASCII: the same, faster), kept in
    ``folded``: the folding of each character on its own, so the folded words of the
    paragraph are in it."""
    if k not in folded:
        text = paragraphs[k].text
        folded[k] = text.lower() if text.isascii() else text.casefold()
    return folded[k]


def repeated_paragraph(
    paragraphs: Sequence[Paragraph], ctx: RuleContext
) -> tuple[tuple[Paragraph, ...], tuple[Repair, ...]]:
    """Drop a paragraph that repeats (whole, or as one of its sentences) one of the three
    paragraphs before it: a Kremlin pull-quote, or a post pasted twice.

    At least eight words must repeat, so "Thank you." said twice is never touched.

    >>> a = "We regard Turkey as a very important partner, and we are interested in a dialogue. We met often."
    >>> b = "We regard Turkey as a very important partner, and we are interested in a dialogue."
    >>> paras = [Paragraph(a, Span(0, len(a))), Paragraph(b, Span(len(a) + 2, len(a) + 2 + len(b)))]
    >>> kept, (r,) = repeated_paragraph(paras, RuleContext(a + "\\n\\n" + b, 0, 0))
    >>> len(kept), r.replacement
    (1, '')
    """
    out: list[Paragraph] = []
    norms: dict[int, str] = {}  # computed only for paragraphs a candidate is compared with
    folded: dict[int, str] = {}  # likewise, for the paragraphs a probe is looked for in
    repairs: list[Repair] = []
    for para in paragraphs:
        candidate = (
            out
            and not para.edits
            and not para.text[:1].islower()  # a lower-case start continues a sentence
            and len(para.text) >= 2 * _MIN_REPEAT_WORDS  # cheap: too short to hold eight words
        )
        norm = ""
        repeats = False
        if candidate:
            probe = _probe(para.text)
            for k in range(max(0, len(out) - _REPEAT_WINDOW), len(out)):
                if probe is None or probe in _folded_of(out, folded, k):
                    norm = norm or _norm(para.text)
                    if norm.count(" ") + 1 < _MIN_REPEAT_WORDS:
                        break
                    if norm in _norm_of(out, norms, k):
                        repeats = True
                        break
        if not repeats:
            if norm:  # the next paragraphs compare with it: fold it once
                norms[len(out)] = norm
            out.append(para)
            continue
        host = out[-1]
        index = ctx.first_index + len(repairs)
        out[-1] = _attach_dropped(host, para, len(host.text), index)
        rule = "repeated-paragraph"
        repairs.append(
            Repair(
                rule, REASONS[rule], ctx.turn, len(out) - 1, len(host.text), len(host.text), para.span, para.text, ""
            )
        )
    return tuple(out), tuple(repairs)


def broken_paragraph(
    paragraphs: Sequence[Paragraph], ctx: RuleContext
) -> tuple[tuple[Paragraph, ...], tuple[Repair, ...]]:
    """Join a paragraph that stops mid-sentence to the next one when that one continues the
    sentence (starts with a lower-case letter); the blank line becomes a space.

    >>> src = "The minister said that the talks were\\n\\nuseful and frank."
    >>> paras = [Paragraph(src[:37], Span(0, 37)), Paragraph(src[39:], Span(39, len(src)))]
    >>> kept, (r,) = broken_paragraph(paras, RuleContext(src, 0, 0))
    >>> kept[0].text, r.original
    ('The minister said that the talks were useful and frank.', '\\n\\n')
    """
    out: list[Paragraph] = []
    repairs: list[Repair] = []
    for para in paragraphs:
        prev = out[-1] if out else None
        if (
            prev is not None
            and not prev.edits
            and not para.edits
            and not ctx.source[prev.span.end : para.span.start].strip()
            and para.text[:1].islower()
            and not _ends_sentence(prev.text)
            and _has_words(prev.text, 3)
        ):
            gap = Span(prev.span.end, para.span.start)
            index = ctx.first_index + len(repairs)
            at = len(prev.text)
            edit = Edit(at, at + 1, gap.slice(ctx.source), gap, index)
            out[-1] = Paragraph(prev.text + " " + para.text, Span(prev.span.start, para.span.end), (edit,))
            rule = "broken-paragraph"
            repairs.append(Repair(rule, REASONS[rule], ctx.turn, len(out) - 1, at, at + 1, gap, edit.original, " "))
            continue
        out.append(para)
    return tuple(out), tuple(repairs)


# --- inline rules: text inside a paragraph ----------------------------------------------

_CAP: Final = r"[A-ZА-ЯЁ]"
_LOW: Final = r"[a-zа-яё'’-]"
_ROLE_RUN: Final = rf"{_CAP}{_LOW}*(?:'(?![sS]\b)|’(?![sS]\b))?(?:(?: (?:of|the|по))* {_CAP}[\w-]*(?<![’'][sS])){{0,7}}"
# "a word starts here" is said after the capital ((?<!\w{_CAP}), not \b before it): a pattern
# that opens with a character set lets the regex engine skip to the capitals (2.4x faster)
_HOVER_CARD: Final = re.compile(
    rf"(?P<last>{_CAP}(?<!\w{_CAP}){_LOW}+)(?P<card> (?P=last) (?P<first>{_CAP}[a-zа-яё-]+?)"
    rf"(?: {_CAP}[a-zа-яё]+(?:вич|вна|ична|ич))?"  # patronymic
    rf"(?P<glued>(?<=[a-zа-яё]){_ROLE_RUN})?"
    rf"(?: (?P<role>{_ROLE_RUN}))?)(?=[’']s\b|[\s,.;:!?)\]]|$)"
)


def _has_hover_card(text: str) -> bool:
    return _HOVER_CARD.search(text) is not None


def _may_have_hover_card(text: str) -> bool:
    """What every text holding a hover card holds, asked of a whole document: a capitalised
    word, a space, the word again, a space and a capital ("Obama Obama Barack"). In one
    pass in C where it was built (the pattern, tried at every capital, was the parser's
    costliest question: 330,000 instructions for a reference-sized document), else the
    pattern itself.

    >>> _may_have_hover_card("president Obama Obama Barack said"), _may_have_hover_card("Obama Obama.")
    (True, False)
    """
    if REPEATED_CAPITALISED_WORD is not None:
        return REPEATED_CAPITALISED_WORD(text)
    return _has_hover_card(text)


@per_paragraph("hover-card", _has_hover_card, document_hint=_may_have_hover_card)
def hover_card(para: Paragraph, ctx: RuleContext) -> list[Change]:
    """Remove a person card a web page injected after a name: the surname again, the given
    name and the job title ("Barack Obama Obama Barack" → "Barack Obama").

    >>> p = Paragraph("talks with former president Obama Obama Barack and others", Span(0, 57))
    >>> hover_card([p], RuleContext("", 0, 0, role_words=frozenset({"president"})))[0][0].text
    'talks with former president Obama and others'
    """
    changes: list[Change] = []
    index: _Edits | None = None  # built at the first card of a paragraph with edits
    for m in _HOVER_CARD.finditer(para.text):
        end = m.end()
        if m["role"] is not None and m["role"].split()[0].casefold() not in ctx.role_words:
            end = m.start("role") - 1  # capitalised words after the card go on with the sentence
        if para.edits:
            index = index or _Edits(para)
            if not index.free(m.start("card"), end):
                continue
        changes.append((m.start("card"), end, ""))
    return changes


_WIDGET: Final = re.compile(
    rf"\s?(?:Смотрите также|See also|Дополнительно)\s+.{{3,240}}?\s(?:{DATE_RX})(?:,\s*\d{{1,2}}:\d{{2}})?",
    re.IGNORECASE,
)

_WIDGET_HINTS: Final = ("ee also", "EE ALSO", "Смотрите также", "Дополнительно")


def _has_widget_heading(text: str) -> bool:
    """Whether ``text`` holds a widget's heading (the regex is slow to scan for nothing)."""
    hints = _WIDGET_HINTS[:2] if text.isascii() else _WIDGET_HINTS  # the others are Cyrillic
    return any(h in text for h in hints)


@per_paragraph("widget-text", _has_widget_heading)
def widget_text(para: Paragraph, ctx: RuleContext) -> list[Change]:
    return [(m.start(), m.end(), "") for m in _outside_edits(para, _WIDGET)]


widget_text.__doc__ = """Remove a "See also" / "Смотрите также" widget (related-item title and date) that a
scraper inlined into the text.

>>> p = Paragraph("Мы договорились. Смотрите также Переговоры 13 марта 2025 года Дальше текст.", Span(0, 74))
>>> widget_text([p], RuleContext("", 0, 0))[0][0].text
'Мы договорились. Дальше текст.'
"""

_MD_ESCAPE: Final = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")


def _has_markdown_escape(text: str) -> bool:
    """Whether ``text`` holds a Markdown escape: most texts hold no backslash, which a search
    for the one character says (the pattern, skipping to each backslash, read about five
    instructions a character; this, a fraction of one)."""
    return "\\" in text and _MD_ESCAPE.search(text) is not None


markdown_escape = _substitution_rule("markdown-escape", _MD_ESCAPE, lambda m: m.group(1), hint=_has_markdown_escape)
markdown_escape.__doc__ = """Remove Markdown's escape backslashes: ``\\[senior official\\]`` → ``[senior official]``.

>>> p = Paragraph(r"Our speaker is \\[senior official\\].", Span(0, 35))
>>> markdown_escape([p], RuleContext("", 0, 0))[0][0].text
'Our speaker is [senior official].'
"""


@functools.cache
def _ftfy() -> Callable[[str], str]:
    """ftfy's encoding fix alone, imported on the first suspect paragraph (ftfy takes 25 ms
    to import, a tenth of a command's start-up, and most runs never need it)."""
    import ftfy  # noqa: PLC0415 - deferred on purpose, see the docstring

    config = ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        fix_surrogates=False,
        remove_control_chars=False,
        normalization=None,
        explain=False,
    )
    return functools.partial(ftfy.fix_text, config=config)


# a raw string: the regex engine reads the escapes (mypyc compiles no surrogates in literals)
_XML_FORBIDDEN: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SUSPECT: Final = re.compile(r"[\u0080-\u00ff\u0100-\u017f\u0400-\u04ff\u2018-\u2122\ufffd]")


@functools.cache
def _ftfy_is_bad() -> Callable[[str], bool]:
    """ftfy's test for signs of mojibake (``ftfy.badness.is_bad``), imported on first need."""
    from ftfy.badness import is_bad  # noqa: PLC0415 - deferred with ftfy, see _ftfy

    return is_bad


_FTFY_SEGMENT: Final = 1_000_000
"""The longest piece of a line ftfy fixes at once (its ``max_decode_length``)."""

# What every sign of mojibake ftfy's test looks for holds: a C1 control, "Œ", "œ", "Ã" or
# "Â", or two characters outside ASCII side by side (tests/test_repair_machinery.py checks
# it against ftfy's test, character by character). A curly quote or a dash between ASCII
# letters and spaces, as most real paragraphs have them, is no sign of anything. Said as
# "a character outside ASCII, then one of the five or another outside ASCII": a pattern
# opening with one character set lets the regex engine skip from one character outside
# ASCII to the next (four times faster than the two alternatives side by side).
_MOJIBAKE_SIGN: Final = re.compile(r"[^\x00-\x7f](?:(?<=[\x80-\x9f\u0152\u0153\u00c3\u00c2])|[^\x00-\x7f])")


def _may_hold_mojibake(text: str) -> bool:
    """The first, cheap part of :func:`_may_be_mojibake`, asked of whole documents: the
    rest asks ftfy's test of the text around every sign, and every pair of letters of a
    Russian text is one (asked of whole documents too, it made Russian documents up to a
    third slower than before). In one pass in C where it was built (the patterns scanned an
    English document with curly quotes character by character), else by
    :func:`_may_hold_mojibake_python`.

    >>> _may_hold_mojibake("It doesn’t matter."), _may_hold_mojibake("It doesnâ€™t matter.")
    (False, True)
    """
    if MAY_HOLD_MOJIBAKE is not None:
        return MAY_HOLD_MOJIBAKE(text)
    return _may_hold_mojibake_python(text)


def _may_hold_mojibake_python(text: str) -> bool:
    return not text.isascii() and _MOJIBAKE_SIGN.search(text) is not None and _SUSPECT.search(text) is not None


_SIGN_REACH: Final = 6
"""How far a match of ftfy's test reaches beyond the sign it holds: its longest match is
seven characters (checked by a test)."""
# ASCII and the 66 letters of the Russian alphabet: ftfy's test finds no mojibake made of
# these alone (every one of its alternatives needs a character outside them: checked by a
# test on the pattern), so each match holds a character this finds
_UNUSUAL: Final = re.compile("[^\x00-\x7f\u0410-\u044f\u0401\u0451]")


def _may_be_mojibake(text: str) -> bool:
    """Whether ftfy, as :func:`mojibake` calls it, could change ``text`` (holding a
    character ``_SUSPECT`` finds, as before).

    ftfy fixes text a line at a time (each line with its line break, a long one in pieces
    of :data:`_FTFY_SEGMENT`), and leaves alone a line in ASCII or one in which its own test
    for signs of mojibake (``ftfy.badness.is_bad``, a regular expression without
    look-arounds) finds none: its encoding fixes start with that test, and the one other fix
    enabled, of C1 control characters, acts on characters the test counts as signs.

    Every match of the test holds a character :data:`_UNUSUAL` finds (outside ASCII and the
    Russian alphabet) and a sign :data:`_MOJIBAKE_SIGN` finds, and reaches at most
    :data:`_SIGN_REACH` characters beyond either: the test is asked of the stretches of a
    line around the unusual characters that have a sign that near. ftfy took 56 µs, its
    test alone 46, for a paragraph of 330 characters with a curly quote or a dash, which
    most real paragraphs hold; in Russian text every pair of letters is a sign, and the
    test took 140 ns a character, where the unusual characters (quotes, dashes) are a few
    in a hundred. The one sign anchored at a line's start ("Ã " or "Â ") is looked for
    anywhere, so that a text holding this one between spaces passes too.

    >>> _may_be_mojibake("It doesn’t matter – really."), _may_be_mojibake("It doesnâ€™t matter.")
    (False, True)
    >>> _may_be_mojibake("Сергей Лавров – «Добрый день»"), _may_be_mojibake("Р’Р»Р°РґРёРјРёСЂ")
    (False, True)
    """
    if not _may_hold_mojibake(text):
        return False
    if "\u00c3 " in text or "\u00c2 " in text or len(text) > _FTFY_SEGMENT:
        return True  # a line's start, where ftfy's test looks for these, or where ftfy cuts
    is_bad = _ftfy_is_bad()
    lo = hi = -1  # the stretch of text around the unusual characters so far, not yet asked
    for m in _UNUSUAL.finditer(text):
        start, end = max(0, m.start() - _SIGN_REACH), m.end() + _SIGN_REACH
        if start < hi:  # overlaps the stretch: extend it (a wider stretch asks no less)
            hi = end
            continue
        if _MOJIBAKE_SIGN.search(text, start, end) is None:
            continue  # no match of the test holds this character
        if hi >= 0 and _bad_stretch(text, lo, hi, is_bad):
            return True
        lo, hi = start, end
    return hi >= 0 and _bad_stretch(text, lo, hi, is_bad)


def _bad_stretch(text: str, lo: int, hi: int, is_bad: Callable[[str], bool]) -> bool:
    """Whether ftfy's test finds a sign in ``text[lo:hi]``, asked line by line as ftfy asks
    it (a line break ends the line it closes)."""
    hi = min(hi, len(text))
    while lo < hi:
        end = min(text.find("\n", lo, hi) + 1 or hi, hi)
        if is_bad(text[lo:end]):
            return True
        lo = end
    return False


@per_paragraph("mojibake", _may_be_mojibake, document_hint=_may_hold_mojibake)
def mojibake(para: Paragraph, ctx: RuleContext) -> list[Change]:
    """Fix text decoded with the wrong encoding, with ftfy (``doesnâ€™t`` → ``doesn’t``).

    ftfy decides; this rule records each changed run as one repair.

    >>> mojibake([Paragraph("It doesnâ€™t matter.", Span(0, 19))], RuleContext("", 0, 0))[0][0].text
    'It doesn’t matter.'
    """
    fixed = _ftfy()(para.text)
    if fixed == para.text:
        return []
    # never trade text for characters XML cannot carry ("À\n" read as UTF-8 gives a NUL)
    return [c for c in _merge_adjacent(changed_runs(para.text, fixed)) if not _XML_FORBIDDEN.search(c[2])]


_NON_ASCII_RUNS: Final = re.compile(r"([^\x00-\x7f]+)")
_DIFF_CELLS: Final = 250_000
"""The largest ``len(a) * len(b)`` given to difflib, whose matcher takes time in proportion
to it: a paragraph of 55,000 characters, mojibake throughout, took it 9 s."""


def changed_runs(a: str, b: str) -> list[Change]:
    """Where ``b`` differs from ``a``: ``(start, end, replacement)`` over ``a``, in order.

    Mojibake is made of characters outside ASCII, and fixing it changes only those. When
    ``a`` and ``b`` have the same ASCII text between their runs of other characters, each
    pair of runs that differ is one change, less what they share at either end: the time
    grows with the text, and a run is replaced whole (difflib would match a ``»`` of
    ``Ð»`` to the text's closing quote). Otherwise (ftfy also turns ``"Ã "``, whose no-break
    space a page lost, back into ``"à"``) difflib compares the texts' characters; or, when
    they are too long for that (see ``_DIFF_CELLS``), their words first, then the
    characters of each stretch of words that differs.

    >>> changed_runs("It doesnâ€™t matter â€“ really.", "It doesn’t matter – really.")
    [(8, 11, '’'), (20, 23, '–')]
    >>> changed_runs("«Ð»Ð¸Ñ\x81Ñ\x82Ð°Â»", "«листа»")
    [(1, 12, 'листа')]
    >>> changed_runs("dÃ©jÃ  vu", "déjà vu")  # the ASCII differs: difflib decides
    [(1, 3, 'é'), (4, 6, 'à')]
    """
    if len(a) * len(b) <= _DIFF_CELLS:
        return _run_changes(a, b, 0)
    aligned = _aligned_run_changes(a, b, 0)
    if aligned is not None:
        return aligned
    words_a, words_b = _TOKENS.findall(a), _TOKENS.findall(b)
    at_a = [0, *itertools.accumulate(map(len, words_a))]
    at_b = [0, *itertools.accumulate(map(len, words_b))]
    changes: list[Change] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=words_a, b=words_b).get_opcodes():
        if tag != "equal":
            changes += _run_changes(a[at_a[i1] : at_a[i2]], b[at_b[j1] : at_b[j2]], at_a[i1])
    return changes


_TOKENS: Final = re.compile(r"\S+\s*|\s+")
"""Words with the spaces after them, and the spaces a text opens with: together the whole
text, so the tokens' lengths give their offsets. Compared with difflib, a word found in more
than 1% of the fixed text anchors nothing (its autojunk), so the time stays near the number
of words."""


def _run_changes(a: str, b: str, offset: int) -> list[Change]:
    """The changes of ``a`` into ``b`` at ``offset``: run by run where the ASCII is the same,
    else difflib over characters, or one change when that is too long for it."""
    aligned = _aligned_run_changes(a, b, offset)
    if aligned is not None:
        return aligned
    if len(a) * len(b) <= _DIFF_CELLS:
        matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
        opcodes = matcher.get_opcodes()
        return [(offset + i1, offset + i2, b[j1:j2]) for tag, i1, i2, j1, j2 in opcodes if tag != "equal"]
    return [_trimmed_change(a, b, offset)]


def _aligned_run_changes(a: str, b: str, offset: int) -> list[Change] | None:
    """Each differing pair of non-ASCII runs as one change, when the ASCII text between the
    runs is the same in ``a`` and ``b``; else ``None``."""
    parts_a, parts_b = _NON_ASCII_RUNS.split(a), _NON_ASCII_RUNS.split(b)
    if len(parts_a) != len(parts_b) or parts_a[::2] != parts_b[::2]:
        return None
    changes: list[Change] = []
    pos = offset
    for x, y in zip(parts_a, parts_b, strict=True):
        if x != y:  # only runs of non-ASCII characters can differ here
            changes.append(_trimmed_change(x, y, pos))
        pos += len(x)
    return changes


def _trimmed_change(a: str, b: str, offset: int) -> Change:
    """``a`` replaced by ``b`` at ``offset``, less the characters they share at either end."""
    # commonprefix compares strings character by character: what is wanted here
    head = len(os.path.commonprefix([a, b]))  # noqa: RUF071
    tail = len(os.path.commonprefix([a[head:][::-1], b[head:][::-1]]))  # noqa: RUF071
    return (offset + head, offset + len(a) - tail, b[head : len(b) - tail])


def _merge_adjacent(changes: list[Change]) -> list[Change]:
    merged: list[Change] = []
    for c in changes:
        if merged and merged[-1][1] == c[0]:
            s, _, r = merged[-1]
            merged[-1] = (s, c[1], r + c[2])
        else:
            merged.append(c)
    return merged


_CONTROL: Final = re.compile(r"[\u0080-\u009f\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f]+")
_ASCII_KEPT: Final = bytes(b for b in range(128) if not _CONTROL.match(chr(b)))
# every byte but the ASCII controls _CONTROL matches (bytes from 0x80 are UTF-8's own)
_ALL_BUT_ASCII_CONTROLS: Final = _ASCII_KEPT + bytes(range(128, 256))
# U+0080 to U+009F in UTF-8: 0xC2 (never a continuation byte) and 0x80 to 0x9F
_UTF8_C1: Final = re.compile(rb"\xc2[\x80-\x9f]")


def _has_control(text: str) -> bool:
    """Whether ``text`` holds a character ``_CONTROL`` matches: in one pass in C where it was
    built, else by :func:`_has_control_python`.

    >>> _has_control("tab\\tand line\\nfeed"), _has_control("bell\\x07"), _has_control("C1\\x85")
    (False, True, True)
    """
    if HAS_CONTROL is not None:
        return HAS_CONTROL(text)
    return _has_control_python(text)


def _has_control_python(text: str) -> bool:
    """Whether ``text`` holds a character ``_CONTROL`` matches, asked of its bytes in C
    string operations: whether deleting every other byte leaves any ASCII control, and
    whether the UTF-8 of a C1 control is there. Four times faster than the regular
    expression on ASCII text, six times on a document with curly quotes (UCS-2 to the
    regex engine, which checks a character set at every character).

    >>> _has_control_python("tab\\tand line\\nfeed"), _has_control_python("C1\\x85")
    (False, True)
    """
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _ASCII_KEPT))
    data = text.encode("utf-8", "surrogatepass")
    if data.translate(None, _ALL_BUT_ASCII_CONTROLS):
        return True
    return b"\xc2" in data and _UTF8_C1.search(data) is not None


control_characters = _substitution_rule("control-characters", _CONTROL, lambda m: "", hint=_has_control)
control_characters.__doc__ = """Remove control characters (C1 controls that survive ftfy, DEL).

>>> control_characters([Paragraph("a\\x85b", Span(0, 3))], RuleContext("", 0, 0))[0][0].text
'ab'
"""

# A run of no-break spaces or a run of zero-width ones: r"[\u00a0\u2007\u202f]+|[\u200b\u2060\ufeff\u00ad]+",
# said opening with one class of all seven, which the regex engine skips to (it tried both
# alternatives at every character: 6.6 times as long over the corpus's paragraphs that hold
# one); the look-behind says which run it is. tests/test_repairs.py compares the two forms.
_ODD_SPACE: Final = re.compile(
    r"[\u00a0\u2007\u202f\u200b\u2060\ufeff\u00ad](?:(?<=[\u00a0\u2007\u202f])[\u00a0\u2007\u202f]*"
    r"|(?<=[\u200b\u2060\ufeff\u00ad])[\u200b\u2060\ufeff\u00ad]*)"
)
_ODD_SPACE_CHARS: Final = frozenset("\u00a0\u2007\u202f\u200b\u2060\ufeff\u00ad")
_ODD_SPACE_CHARS_LISTED: Final = tuple(sorted(_ODD_SPACE_CHARS))


def _has_odd_space(text: str) -> bool:
    """Whether ``text`` holds one of :data:`_ODD_SPACE_CHARS` (none is ASCII): seven
    searches for one character, in C, rather than a set lookup of every character of the
    text (4 to 7 times faster on a paragraph of 400 to 500 characters that holds none).

    >>> _has_odd_space("plain"), _has_odd_space("no\u00a0break"), _has_odd_space("curly ’ quote")
    (False, True, False)
    """
    return not text.isascii() and any(ch in text for ch in _ODD_SPACE_CHARS_LISTED)


@per_paragraph("unicode-spaces", _has_odd_space)
def unicode_spaces(para: Paragraph, ctx: RuleContext) -> list[Change]:
    zero_width = "\u200b\u2060\ufeff\u00ad"
    return [(m.start(), m.end(), "" if m.group()[0] in zero_width else " ") for m in _outside_edits(para, _ODD_SPACE)]


unicode_spaces.__doc__ = """No-break spaces become plain spaces; zero-width spaces and soft hyphens go.

>>> unicode_spaces([Paragraph("Mr\\u00a0Smith\\u200b said", Span(0, 15))], RuleContext("", 0, 0))[0][0].text
'Mr Smith said'
"""

# \b: the same matches, without trying every position inside a word (40% less time)
_HYPHEN: Final = re.compile(r"\b(?P<left>\w+)-[ \t]*\n[ \t]*(?P<right>\w+)")
_HYPHEN_BREAK: Final = re.compile(r"-[ \t]*\n")
# prefixes written with a hyphen in the press ("non-nuclear", "co-authored", "socio-economic")
_PREFIXES: Final = frozenset("non anti co socio self ex vice semi quasi pseudo neo counter cross multi mid".split())
_RATIO: Final = 0.001  # a joined word this much rarer than its rarer part is a compound spelt as one


@functools.cache
def _dictionary(language: str) -> Mapping[str, int]:
    """Word frequencies of a language (pyspellchecker's lists), loaded once, on first need."""
    frequency = SpellChecker(language=language).word_frequency
    return {word: frequency[word] for word in frequency}


def _frequency(word: str) -> int:
    language = "ru" if re.search("[\u0400-\u04ff]", word) else "en"
    return _dictionary(language).get(word.casefold(), 0)


def _hyphen_change(m: re.Match[str], ctx: RuleContext) -> Change:
    """Join ``left-\nright``: keep the hyphen for a compound, drop it for a split word.

    The document's own spelling decides first (does it write "self-defence" or
    "international" elsewhere?), then pyspellchecker's word frequencies: a joined word that
    is common for its parts ("somehow") was split; one the dictionary does not know, after a
    first part that is a word ("data-driven", "self-defence"), is a compound.
    """
    left, right = m["left"], m["right"]
    joined = (left + right).casefold()
    if f"{left}-{right}".casefold() in ctx.words:
        keep = True
    elif joined in ctx.words:
        keep = False
    elif right[:1].isupper() or any(ch.isdigit() for ch in left + right) or left.casefold() in _PREFIXES:
        keep = True
    else:
        f_joined, f_left, f_right = _frequency(joined), _frequency(left), _frequency(right)
        if f_joined > 0:
            # "somehow" is a word of its own; "follow-up" is rarer joined than its parts
            keep = f_joined < _RATIO * min(f_left, f_right)
        else:
            # no such word joined: a compound when its first part is a word ("self-defence")
            keep = f_left > 0 or left.casefold() in ctx.words
    start = m.end("left") + (1 if keep else 0)
    return (start, m.start("right"), "")


def _has_hyphen_break(text: str) -> bool:
    """Whether ``text`` holds a hyphen at a line end (the word pattern is slow to scan for
    nothing). Most texts hold no line break, which a search for the one character says
    before the pattern is asked."""
    return "\n" in text and _HYPHEN_BREAK.search(text) is not None


@per_paragraph("hyphenation", _has_hyphen_break)
def hyphenation(para: Paragraph, ctx: RuleContext) -> list[Change]:
    """Join a word hyphenated at a line end. The hyphen goes when it only split the word
    ("interna-\\ntional"); it stays, and only the line break goes, in a compound
    ("self-\\ndefence", "Non-\\nProliferation"), as the document's own vocabulary tells.

    >>> p = Paragraph("the interna-\\ntional order and self-\\ndefence", Span(0, 44))
    >>> hyphenation([p], RuleContext("", 0, 0, words=frozenset({"international"})))[0][0].text
    'the international order and self-defence'
    """
    return [_hyphen_change(m, ctx) for m in _outside_edits(para, _HYPHEN)]


_LINE_BREAK: Final = re.compile(r"[ \t\u00a0]*\n[ \t\u00a0]*")
_LIST_ITEM: Final = re.compile(r"(?:[*•]\s|\d{1,3}[.)]\s)")
_DASH_ITEM: Final = re.compile(r"[-–—]\s")
_MIN_WRAPPED_LINE: Final = 30


def _wrap_change(text: str, m: re.Match[str]) -> str | None:
    line_start = text.rfind("\n", 0, m.start()) + 1
    line = text[line_start : m.start()].strip()
    # the next line is matched in place: copying the rest of the text at every line break
    # made a paragraph's time grow with the square of its length
    if len(line) < _MIN_WRAPPED_LINE or line.endswith((";", ":")) or _LIST_ITEM.match(text, m.end()):
        return None
    if _DASH_ITEM.match(text, m.end()) and _DASH_ITEM.match(line):
        return None  # "- item" lines: a dashed list, not a dash carried to the next line
    return " "


def _has_line_break(text: str) -> bool:
    return "\n" in text  # every line break pattern holds one


@per_paragraph("hard-wrap", _has_line_break)
def hard_wrap(para: Paragraph, ctx: RuleContext) -> list[Change]:
    """Replace a line break inside a paragraph by a space where the line was wrapped for
    width: the line before it is long and does not end a list item (";" or ":"), and the
    next line is not a list item. Lists of names, one per line, stay as they are.

    >>> p = Paragraph("A reminder that this call will be on\\nbackground.", Span(0, 48))
    >>> hard_wrap([p], RuleContext("", 0, 0))[0][0].text
    'A reminder that this call will be on background.'
    """
    return [
        (m.start(), m.end(), r)
        for m in _outside_edits(para, _LINE_BREAK)
        if (r := _wrap_change(para.text, m)) is not None
    ]


_SPACE_PUNCT: Final = re.compile(r"(?<=\w)[ \u00a0]+(?=[,;:!?](?:\s|$|[\"”»’)])|\.(?:\s|$|[\"”»’)]))")

# every match ends with a space right before the punctuation: that pair is quick to look for
# (the pattern's look-behind makes the regex engine try every position). A pattern that
# opens with a literal lets the engine skip from one space to the next: 0.4 µs a paragraph,
# 4 µs a document's paragraphs joined, against 1.3 and 21 for the six pairs as substrings
_SPACE_THEN_MARK: Final = re.compile(" [,;:!?.]")
_NO_BREAK_SPACE_THEN_MARK: Final = re.compile("\u00a0[,;:!?.]")


def _has_space_before_punctuation(text: str) -> bool:
    """Whether a space or a no-break space comes before a mark: in one pass in C where it
    was built, else by :func:`_has_space_before_punctuation_python`.

    >>> [_has_space_before_punctuation(text) for text in ("a ,b", "a\u00a0!", "a, b")]
    [True, True, False]
    """
    if SPACE_BEFORE_MARK is not None:
        return SPACE_BEFORE_MARK(text)
    return _has_space_before_punctuation_python(text)


def _has_space_before_punctuation_python(text: str) -> bool:
    if _SPACE_THEN_MARK.search(text) is not None:
        return True
    return not text.isascii() and _NO_BREAK_SPACE_THEN_MARK.search(text) is not None


space_before_punctuation = _substitution_rule(
    "space-before-punctuation", _SPACE_PUNCT, lambda m: "", hint=_has_space_before_punctuation
)
space_before_punctuation.__doc__ = """Remove the space a removed link left before punctuation ("Syria ." → "Syria.").

>>> space_before_punctuation([Paragraph("On the one hand , we did .", Span(0, 26))], RuleContext("", 0, 0))[0][0].text
'On the one hand, we did.'
"""

RULES: Final[dict[str, RepairRule]] = {
    "duplicated-broken-sentence": duplicated_broken_sentence,
    "repeated-paragraph": repeated_paragraph,
    "broken-paragraph": broken_paragraph,
    "hover-card": hover_card,
    "widget-text": widget_text,
    "markdown-escape": markdown_escape,
    "mojibake": mojibake,
    "control-characters": control_characters,
    "unicode-spaces": unicode_spaces,
    "hyphenation": hyphenation,
    "hard-wrap": hard_wrap,
    "space-before-punctuation": space_before_punctuation,
}
"""The catalogue of repair rules, in the order they run: structural rules first (they
move whole paragraphs), then the rules that change text inside a paragraph."""


def quiet_rules(texts: Iterable[str], among: Iterable[str] = HINTS) -> frozenset[str]:
    """The rules (of ``among``) whose hint (:data:`HINTS`) fails for all of ``texts`` (asked
    once, of the texts joined by spaces): they would change none of them.

    >>> sorted(set(HINTS) - quiet_rules(["A plain paragraph.", "Another one,\\nwrapped ."]))
    ['hard-wrap', 'space-before-punctuation']
    """
    joined = " ".join(texts)
    return frozenset(name for name in among if not HINTS[name](joined))


def run_rules(
    paragraphs: Sequence[Paragraph], ctx: RuleContext, enabled: Collection[str], quiet: Collection[str] = ()
) -> tuple[tuple[Paragraph, ...], tuple[Repair, ...]]:
    """Run the enabled rules in catalogue order over one turn's paragraphs (``enabled`` is
    asked of every rule: a set is cheapest).

    Later rules move text around earlier repairs (a join renumbers paragraphs, a removed
    space shifts offsets), so each repair's place is read back from its edits at the end.

    ``quiet`` names rules known to change none of ``paragraphs`` (:func:`quiet_rules`):
    they are skipped. Once a rule has repaired something, the paragraphs it made are asked
    again, so that a quiet rule wakes up where a repair made work for it (a rule that
    repairs nothing changes nothing and returns the paragraphs it was given).
    """
    paras = tuple(paragraphs)
    repairs: tuple[Repair, ...] = ()
    context = ctx  # each rule numbers its repairs after those made before it
    for name, rule in RULES.items():
        if name in enabled and name not in quiet:
            asked = paras  # kept alive: the identities below are theirs
            paras, new = rule(paras, context)
            if new:
                repairs += new
                context = RuleContext(ctx.source, ctx.turn, ctx.first_index + len(repairs), ctx.words, ctx.role_words)
                kept = {id(p) for p in asked}
                quiet = quiet_rules((p.text for p in paras if id(p) not in kept), among=quiet)
    if not repairs:
        return paras, ()
    places = _places(paras)
    return paras, tuple(_placed(r, places.get(ctx.first_index + k), paras) for k, r in enumerate(repairs))


def _places(paragraphs: Sequence[Paragraph]) -> dict[int, tuple[int, int, int]]:
    """For each repair index, the first paragraph holding its edits, and the range they
    cover there: ``{repair: (paragraph, start, end)}``, in one pass."""
    found: dict[int, tuple[int, int, int]] = {}
    for i, para in enumerate(paragraphs):
        for e in para.edits:
            place = found.get(e.repair)
            if place is None:
                found[e.repair] = (i, e.start, e.end)
            elif place[0] == i:
                found[e.repair] = (i, min(place[1], e.start), max(place[2], e.end))
    return found


def _placed(repair: Repair, place: tuple[int, int, int] | None, paragraphs: Sequence[Paragraph]) -> Repair:
    """The repair with its paragraph and offsets taken from where its edits are now."""
    if place is None:
        return repair
    i, start, end = place
    # the constructor, not dataclasses.replace (3 µs a call, five times the constructor)
    r = repair
    return Repair(r.rule, r.reason, r.turn, i, start, end, r.source, r.original, paragraphs[i].text[start:end])


def apply_plan(source: str, plan: Iterable[Repair]) -> str:
    """Replay a plan of repairs on the source text: each repair's ``original`` at its
    ``source`` span becomes its ``replacement``. Like ftfy's ``apply_plan``.

    >>> r = Repair("hard-wrap", REASONS["hard-wrap"], 0, 0, 5, 6, Span(5, 6), "\\n", " ")
    >>> apply_plan("Hello\\nworld", [r])
    'Hello world'
    """
    out: list[str] = []
    pos = 0
    for r in sorted(plan, key=lambda r: (r.source.start, r.source.end)):
        if r.source.start < pos or source[r.source.start : r.source.end] != r.original:
            raise ValueError(f"repair {r.rule} at {r.source.start}-{r.source.end} does not fit the source text")
        out.append(source[pos : r.source.start])
        out.append(r.replacement)
        pos = r.source.end
    out.append(source[pos:])
    return "".join(out)
