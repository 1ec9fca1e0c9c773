"""Repairs: small pure functions over a turn's paragraphs that return what they changed.

Each rule takes the paragraphs of one turn (with their source spans) and a
:class:`RuleContext`, and returns new paragraphs plus
:class:`~transcript_model.model.Repair` records. Nothing is changed silently: every changed
span of the source is kept as an :class:`~transcript_model.model.Edit` in the paragraph and
described by its ``Repair``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .model import Edit, Paragraph, Repair, Span


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What a rule needs besides the paragraphs: the source text, the turn being repaired,
    and the index its first :class:`Repair` will have among the transcript's repairs (so the
    :class:`Edit` records it makes can point at it)."""

    source: str
    turn: int
    first_index: int


RepairRule = Callable[[Sequence[Paragraph], RuleContext], tuple[tuple[Paragraph, ...], tuple[Repair, ...]]]
"""``rule(paragraphs, context) -> (paragraphs, repairs)``: a pure function over one turn."""

_TERMINAL = re.compile(r"[.!?…:;)\]\"'”»’]\s*$")
_WORD = re.compile(r"\w+", re.UNICODE)
_MIN_FRAGMENT_WORDS = 3


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _looks_like_heading(text: str) -> bool:
    """Title-case text (most words of four or more letters capitalised) is a heading."""
    long_words = [w for w in _WORD.findall(text) if len(w) >= 4]
    if not long_words:
        return True
    capitalised = sum(1 for w in long_words if w[0].isupper())
    return capitalised / len(long_words) > 0.6


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
    if _TERMINAL.search(fragment) or _looks_like_heading(fragment):
        return False
    a, b = _words(fragment), _words(following)
    if len(a) < _MIN_FRAGMENT_WORDS or len(a) >= len(b):
        return False
    if a[:-1] != b[: len(a) - 1]:
        return False
    return b[len(a) - 1].startswith(a[-1])


def duplicated_broken_sentence(
    paragraphs: Sequence[Paragraph], ctx: RuleContext
) -> tuple[tuple[Paragraph, ...], tuple[Repair, ...]]:
    """Drop a paragraph cut mid-sentence whose words restart the next paragraph.

    The full version is kept; if the scraper lower-cased its first letter, the fragment's
    capital is restored. One :class:`Repair` per dropped fragment; its ``original`` runs from
    the fragment to the restored letter in the source, so replaying it is one substitution.
    """
    out: list[Paragraph] = []
    fixes: list[Repair] = []
    pending: Paragraph | None = None  # a fragment waiting for its full version
    for i, current in enumerate(paragraphs):
        para = current
        if pending is not None:
            para, fix = _absorb(pending, current, ctx, len(fixes), len(out))
            fixes.append(fix)
            pending = None
        following = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
        if following is not None and _is_candidate(para) and is_broken_duplicate(para.text, following.text):
            pending = para
            continue
        out.append(para)
    return tuple(out), tuple(fixes)


def _is_candidate(para: Paragraph) -> bool:
    return not para.edits and bool(para.text)


def _absorb(
    fragment: Paragraph, full: Paragraph, ctx: RuleContext, made: int, position: int
) -> tuple[Paragraph, Repair]:
    index = ctx.first_index + made
    edits = [Edit(0, 0, fragment.text, fragment.span, index)]
    text = full.text
    end = 0
    src_end = full.span.start
    first, lead = fragment.text[:1], text[:1]
    if first.isupper() and lead.islower() and first.casefold() == lead.casefold():
        text = first + text[1:]
        edits.append(Edit(0, 1, lead, Span(full.span.start, full.span.start + 1), index))
        end = 1
        src_end += 1
    span = Span(fragment.span.start, src_end)
    fix = Repair(
        rule="duplicated-broken-sentence",
        reason="paragraph cut mid-sentence and restarted in the next one: fragment dropped",
        turn=ctx.turn,
        paragraph=position,
        start=0,
        end=end,
        source=span,
        original=span.slice(ctx.source),
        replacement=text[:end],
    )
    return Paragraph(text, full.span, (*edits, *full.edits)), fix


RULES: dict[str, RepairRule] = {"duplicated-broken-sentence": duplicated_broken_sentence}
"""The catalogue of repair rules, in the order they run."""


def run_rules(
    paragraphs: Sequence[Paragraph], source: str, turn: int, first_index: int, enabled: Sequence[str]
) -> tuple[tuple[Paragraph, ...], tuple[Repair, ...]]:
    """Run the enabled rules in catalogue order over one turn's paragraphs."""
    paras = tuple(paragraphs)
    repairs: tuple[Repair, ...] = ()
    for name, rule in RULES.items():
        if name in enabled:
            paras, new = rule(paras, RuleContext(source, turn, first_index + len(repairs)))
            repairs += new
    return paras, repairs
