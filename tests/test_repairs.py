"""The duplicated-broken-sentence repair: where it must fire, where it must not, and that
its records let the source be replayed."""

from __future__ import annotations

import pytest

import transcript_model
from transcript_model.model import Paragraph, Span
from transcript_model.repairs import RULES, RuleContext, duplicated_broken_sentence, is_broken_duplicate


def paragraphs(source: str) -> list[Paragraph]:
    out, pos = [], 0
    for chunk in source.split("\n\n"):
        out.append(Paragraph(chunk, Span(pos, pos + len(chunk))))
        pos += len(chunk) + 2
    return out


def replay(source: str, repairs: tuple[transcript_model.Repair, ...]) -> str:
    """Apply each repair's source substitution, last first."""
    for r in sorted(repairs, key=lambda r: r.source.start, reverse=True):
        assert source[r.source.start : r.source.end] == r.original
        source = source[: r.source.start] + r.replacement + source[r.source.end :]
    return source


def test_fires_and_restores_the_capital() -> None:
    src = (
        "First paragraph.\n\nWe will insist on honest conversations and\n\n"
        "we will insist on honest conversations and explanations."
    )
    paras, fixes = duplicated_broken_sentence(paragraphs(src), RuleContext(src, 0, 0))
    assert [p.text for p in paras] == ["First paragraph.", "We will insist on honest conversations and explanations."]
    (fix,) = fixes
    assert fix.rule == "duplicated-broken-sentence"
    assert (fix.paragraph, fix.start, fix.end) == (1, 0, 1)
    assert fix.original == "We will insist on honest conversations and\n\nw"
    assert fix.replacement == "W"
    assert src[fix.source.start : fix.source.end] == fix.original
    surplus, case = paras[1].edits
    assert (surplus.start, surplus.end, surplus.original) == (0, 0, "We will insist on honest conversations and")
    assert (case.start, case.end, case.original) == (0, 1, "w")


def test_fires_without_case_change() -> None:
    src = "The experts will meet in\n\nThe experts will meet in Geneva in April."
    paras, fixes = duplicated_broken_sentence(paragraphs(src), RuleContext(src, 0, 5))
    assert [p.text for p in paras] == ["The experts will meet in Geneva in April."]
    (fix,) = fixes
    assert (fix.original, fix.replacement, fix.start, fix.end) == ("The experts will meet in\n\n", "", 0, 0)
    assert paras[0].edits[0].repair == 5


def test_fragment_cut_inside_a_word() -> None:
    assert is_broken_duplicate(
        "The minister cited a document of the 1990 OSCE sum",
        "The minister cited a document of the 1990 OSCE summit in Paris.",
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # a heading followed by text that starts with the same words
        ("Security Guarantees In Europe", "Security guarantees in Europe are the key issue today."),
        # a list intro ending in ':'
        ("We discussed the following issues:", "We discussed the following issues: trade and visas."),
        # two sentences that merely start alike
        ("We are concerned about the exercises.", "We are concerned about the exercises near our borders."),
        ("We are concerned about NATO expansion", "We are concerned about the exercises near our borders."),
        # too short to tell
        ("We are", "We are also concerned."),
        # the same paragraph twice is not a broken one
        ("We will see how it goes", "We will see how it goes"),
        # the next paragraph is shorter
        ("We will see how it goes and then decide", "We will see how it goes."),
    ],
)
def test_does_not_fire(first: str, second: str) -> None:
    assert not is_broken_duplicate(first, second)
    src = first + "\n\n" + second
    paras, fixes = duplicated_broken_sentence(paragraphs(src), RuleContext(src, 0, 0))
    assert fixes == () and [p.text for p in paras] == [first, second]


def test_last_paragraph_never_fires() -> None:
    src = "A complete sentence here.\n\nAnd a paragraph cut in the middle of"
    paras, fixes = duplicated_broken_sentence(paragraphs(src), RuleContext(src, 0, 0))
    assert fixes == () and len(paras) == 2


def test_in_a_parse_the_plan_replays_on_the_source() -> None:
    src = (
        "Question: Why?\n\nSergey Lavrov: First we will insist on honest conversations\n\n"
        "first we will insist on honest conversations with everyone.\n\n"
        "Then we will see what the answer is\n\nthen we will see what the answer is going to be."
    )
    t = transcript_model.parse(src)
    assert [r.rule for r in t.repairs] == ["duplicated-broken-sentence"] * 2
    assert [p.text for p in t.turns[1].paragraphs] == [
        "First we will insist on honest conversations with everyone.",
        "Then we will see what the answer is going to be.",
    ]
    assert [(r.turn, r.paragraph) for r in t.repairs] == [(1, 0), (1, 1)]
    replayed = replay(src, t.repairs)
    assert replayed == (
        "Question: Why?\n\nSergey Lavrov: First we will insist on honest conversations with everyone.\n\n"
        "Then we will see what the answer is going to be."
    )


def test_repairs_can_be_switched_off() -> None:
    src = "Question: Why?\n\nSergey Lavrov: We will insist on honest\n\nwe will insist on honest talks."
    assert len(transcript_model.parse(src).repairs) == 1
    t = transcript_model.parse(src, repairs=())
    assert t.repairs == () and len(t.turns[1].paragraphs) == 2
    with pytest.raises(ValueError, match="unknown repair rule"):
        transcript_model.parse(src, repairs=["no-such-rule"])


def test_catalogue_names_are_stable() -> None:
    assert list(RULES) == ["duplicated-broken-sentence"]
