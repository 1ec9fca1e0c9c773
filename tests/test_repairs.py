"""The duplicated-broken-sentence repair: where it must fire, where it must not, and that
its records let the source be replayed."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

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
    assert (fix.original, fix.replacement, fix.start, fix.end) == ("The experts will meet in", "", 0, 0)
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
    assert list(RULES) == [
        "duplicated-broken-sentence",
        "repeated-paragraph",
        "broken-paragraph",
        "hover-card",
        "widget-text",
        "markdown-escape",
        "mojibake",
        "control-characters",
        "unicode-spaces",
        "hyphenation",
        "hard-wrap",
        "space-before-punctuation",
    ]


# --- one case that must fire and cases that must not, per rule ---------------------------------

from transcript_model.repairs import (  # noqa: E402
    apply_plan,
    broken_paragraph,
    control_characters,
    hard_wrap,
    hover_card,
    hyphenation,
    markdown_escape,
    mojibake,
    repeated_paragraph,
    space_before_punctuation,
    unicode_spaces,
    widget_text,
)

ROLE_WORDS = frozenset({"president", "minister", "президент"})


def one(text: str) -> list[Paragraph]:
    return [Paragraph(text, Span(0, len(text)))]


def run_inline(rule, text: str, **ctx: object) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    paras, repairs = rule(one(text), RuleContext(text, 0, 0, **ctx))
    return paras[0].text, len(repairs)


@pytest.mark.parametrize(
    ("rule", "dirty", "clean"),
    [
        (hover_card, "talks with Barack Obama Obama Barack and others", "talks with Barack Obama and others"),
        (
            hover_card,
            "won Trump Trump DonaldPresident of the United States of America the election",
            "won Trump the election",
        ),
        (
            hover_card,
            "Александр Лукашенко Лукашенко Александр Григорьевич Президент Республики Беларусь выступили",
            "Александр Лукашенко выступили",
        ),
        (widget_text, "We agreed. See also Trip to Vologda March 7, 2013 Then we left.", "We agreed. Then we left."),
        (
            markdown_escape,
            r"Our speaker is \[senior official\] and \_x\_.",
            "Our speaker is [senior official] and _x_.",
        ),
        (mojibake, "It doesnâ€™t matter â€“ really.", "It doesn’t matter – really."),
        (control_characters, "a\x85b\x7fc", "abc"),
        (unicode_spaces, "Mr\u00a0Smith\u200b said", "Mr Smith said"),
        (hyphenation, "the interna-\ntional order", "the international order"),
        (hyphenation, "a right of self-\ndefence", "a right of self-defence"),
        (hyphenation, "the Non-\nProliferation Treaty", "the Non-Proliferation Treaty"),
        (
            hard_wrap,
            "A reminder that this call will be on\nbackground, as always.",
            "A reminder that this call will be on background, as always.",
        ),
        (space_before_punctuation, "On the one hand , we did . And Syria !", "On the one hand, we did. And Syria!"),
    ],
)
def test_inline_rule_fires(rule, dirty: str, clean: str) -> None:  # type: ignore[no-untyped-def]
    text, n = run_inline(rule, dirty, role_words=ROLE_WORDS)
    assert text == clean and n >= 1


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (hover_card, "Barack Obama and Vladimir Putin met."),
        (hover_card, "We said that that was wrong, Mr Smith Smith."),  # doubled words, no card
        (widget_text, "See also the appendix."),
        (markdown_escape, r"C:\Users is a path"),
        (mojibake, "Café, naïve, Сергей Лавров, “quotes” — all fine."),
        (control_characters, "tab\tseparated"),
        (unicode_spaces, "plain spaces only"),
        (hyphenation, "a well-known fact"),
        (hard_wrap, "Names:\nJohn Smith;\nJane Doe;"),  # a list, one per line
        (hard_wrap, "Short line\nanother"),
        (hard_wrap, "- first item that is long enough to wrap\n- second item"),
        (space_before_punctuation, "Wait ... and see. Then: go"),
    ],
)
def test_inline_rule_does_not_fire(rule, text: str) -> None:  # type: ignore[no-untyped-def]
    assert run_inline(rule, text, role_words=ROLE_WORDS) == (text, 0)


def test_repeated_paragraph_fires_on_pull_quotes_only() -> None:
    a = "We regard Turkey as a very important partner, and we are interested in a dialogue. We met often."
    b = "We regard Turkey as a very important partner, and we are interested in a dialogue."
    src = a + "\n\n" + b
    kept, repairs = repeated_paragraph(paragraphs(src), RuleContext(src, 0, 0))
    assert [p.text for p in kept] == [a] and len(repairs) == 1
    assert kept[0].edits[0].original == b and kept[0].edits[0].source == Span(len(a) + 2, len(src))
    for second in (
        "Thank you.",
        "thank you very much for this question, it is important to all of us",
        "A different text.",
    ):
        src = "Thank you very much for this question, it is important to all of us.\n\n" + second
        kept, repairs = repeated_paragraph(paragraphs(src), RuleContext(src, 0, 0))
        assert repairs == () and len(kept) == 2


_WORDS = [
    "we",
    "We",
    "WE",
    "regard",
    "Turkey",
    "as",
    "a",
    "partner",
    "Straße",
    "STRASSE",
    "İstanbul",
    "istanbul",
    "Лавров",
    "лавров",
    "dialogue",
    "important",
    "U.S.",
    "x_y",
    "2022",
]


def _repeats_by_definition(paras: list[Paragraph]) -> list[bool]:
    """Which paragraphs ``repeated_paragraph`` drops, read from its definition: not the
    first kept, no lower-case start, at least eight words, its folded words inside those of
    one of the three paragraphs kept before it."""

    def norm(text: str) -> str:
        return " ".join(re.findall(r"\w+", text)).casefold()

    kept: list[str] = []
    dropped = []
    for p in paras:
        words = norm(p.text)
        drop = (
            bool(kept)
            and not p.text[:1].islower()
            and len(p.text) >= 16
            and len(words.split()) >= 8
            and any(words in norm(q) for q in kept[-3:])
        )
        dropped.append(drop)
        if not drop:
            kept.append(p.text)
    return dropped


_NINE = [("We", ""), ("Straße", ""), *[("a", "")] * 7]


@settings(max_examples=300, deadline=None)
@example([_NINE], [(0, 0, 9)])  # the copy says "STRASSE": folded, it is "Straße"
@example([[("We", ""), ("STRASSE", ""), *_NINE[2:]], _NINE], [])  # and the other way round
@example([[("We", ""), ("important", ""), *_NINE[2:]], [("Portant", ""), *_NINE[2:]]], [])  # a word cut
@given(
    st.lists(
        st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(["", ",", ".", " —", "’s"])), max_size=14),
        min_size=1,
        max_size=5,
    ),
    st.lists(st.tuples(st.integers(0, 4), st.integers(0, 14), st.integers(0, 14)), max_size=4),
)
def test_repeated_paragraph_drops_what_its_definition_says(
    texts: list[list[tuple[str, str]]], copies: list[tuple[int, int, int]]
) -> None:
    """The probe that spares most paragraphs their folded words changes no verdict."""
    chunks = [" ".join(w + mark for w, mark in words) for words in texts]
    for k, a, b in copies:  # repeats: slices of earlier paragraphs, recased
        if k < len(texts):
            words = texts[k][min(a, b) : max(a, b)]
            chunks.append(" ".join((w.upper() if i % 2 else w) + mark for i, (w, mark) in enumerate(words)))
    src = "\n\n".join(chunks)
    paras = paragraphs(src)
    kept, repairs = repeated_paragraph(paras, RuleContext(src, 0, 0))
    dropped = _repeats_by_definition(paras)
    assert [r.original for r in repairs] == [p.text for p, d in zip(paras, dropped, strict=True) if d]
    assert [p.text for p in kept] == [p.text for p, d in zip(paras, dropped, strict=True) if not d]


def test_broken_paragraph_joins_only_continuations() -> None:
    src = "The minister said that the talks were\n\nuseful and frank."
    kept, (r,) = broken_paragraph(paragraphs(src), RuleContext(src, 0, 0))
    assert kept[0].text == "The minister said that the talks were useful and frank."
    assert (r.original, r.replacement, r.source) == ("\n\n", " ", Span(37, 39))
    for src in ("A full sentence.\n\nand more", "Dear colleagues\n\nWe start.", "Security guarantees:\n\nfirst, NATO"):
        assert broken_paragraph(paragraphs(src), RuleContext(src, 0, 0))[1] == ()


def test_rules_never_touch_text_inside_an_earlier_edit() -> None:
    src = "One two three four five six\n\none two three four five six seven , eight."
    t = transcript_model.parse("Title\n\nQuestion: x?\n\nSergey Lavrov: " + src)
    spans = sorted((r.source.start, r.source.end) for r in t.repairs)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))  # disjoint: the plan can be replayed


def test_apply_plan_replays_the_repairs_on_the_source() -> None:
    text = (
        "Title\n\nQuestion: Why did the talks\n\nwhy did the talks fail ?\n\n"
        "Sergey Lavrov: They did not fail. We agreed on a\nlong list of measures."
    )
    t = transcript_model.parse(text)
    assert {r.rule for r in t.repairs} == {"duplicated-broken-sentence", "space-before-punctuation", "hard-wrap"}
    replayed = apply_plan(transcript_model.source_text(t), t.repairs)
    assert (
        replayed == "Title\n\nQuestion: Why did the talks fail?\n\n"
        "Sergey Lavrov: They did not fail. We agreed on a long list of measures."
    )
    with pytest.raises(ValueError, match="does not fit"):
        apply_plan("something else entirely", t.repairs)


def test_each_rule_can_be_switched_off() -> None:
    text = "Title\n\nQuestion: Why\u00a0not ?\n\nSergey Lavrov: Because."
    assert {r.rule for r in transcript_model.parse(text).repairs} == {"unicode-spaces", "space-before-punctuation"}
    t = transcript_model.parse(text, repairs=[r for r in RULES if r != "unicode-spaces"])
    assert {r.rule for r in t.repairs} == {"space-before-punctuation"}
    assert t.turns[0].paragraphs[0].text == "Why\u00a0not?"


# the odd-space pattern as first written: a run of no-break spaces or a run of zero-width ones
_ODD_SPACE_DEFINITION = re.compile(r"[\u00a0\u2007\u202f]+|[\u200b\u2060\ufeff\u00ad]+")


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("\u00a0\u2007\u202f\u200b\u2060\ufeff\u00ad a\n\u2009")), max_size=24))
def test_odd_space_runs_are_found_as_the_alternation_finds_them(text: str) -> None:
    from transcript_model.repairs import _ODD_SPACE  # noqa: PLC0415

    assert [m.span() for m in _ODD_SPACE.finditer(text)] == [m.span() for m in _ODD_SPACE_DEFINITION.finditer(text)]


# --- the fragment's test reads only the first words of the next paragraph: as when it read all ----

from transcript_model.repairs import _ends_sentence, _looks_like_heading, _words  # noqa: E402


def _broken_duplicate_by_definition(fragment: str, following: str) -> bool:
    """is_broken_duplicate as it read the whole next paragraph: its words, all of them."""
    if _ends_sentence(fragment):
        return False
    head = fragment.split(None, 1)[:1]
    if not head or not following.casefold().startswith(head[0].casefold()[:3]):
        return False
    restarted_lower = fragment[:1].isupper() and following[:1].islower()
    if _looks_like_heading(fragment) and not restarted_lower:
        return False
    a, b = _words(fragment), _words(following)
    if len(a) < 3 or len(a) >= len(b):
        return False
    if a[:-1] != b[: len(a) - 1]:
        return False
    return b[len(a) - 1].startswith(a[-1])


_WORD_BITS = ["we", "We", "WE", "also", "discussed", "the", "schedule", "ß", "SS", "ﬁ", "Straße", "İ", "ǅ",
              "мы", "Мы", "обсудили", "x_y", "2023", "—", "’s", ",", ".", " ", "  ", "\n", "\u00a0", "«", "»",
              "?"]  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(st.sampled_from(_WORD_BITS) | st.text(max_size=3), min_size=1, max_size=12),
    st.lists(st.sampled_from(_WORD_BITS) | st.text(max_size=3), max_size=40),
    st.integers(0, 12),
    st.booleans(),
)
def test_the_next_paragraphs_first_words_decide_as_all_of_them(
    cut: list[str], rest: list[str], keep: int, lower: bool
) -> None:
    words = " ".join(cut)
    fragment = words[: len(words) - keep] if keep < len(words) else words  # cut inside a word, at times
    following = (words[:1].lower() + words[1:] if lower else words) + " " + " ".join(rest)
    for a, b in ((fragment, following), (fragment, " ".join(rest)), (" ".join(rest), fragment)):
        assert is_broken_duplicate(a, b) == _broken_duplicate_by_definition(a, b), (a, b)


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(st.sampled_from(_WORD_BITS) | st.text(max_size=3), max_size=15).map("".join),
    st.integers(0, 8),
    st.integers(0, 40),
)
def test_the_leading_words_are_the_first_words(text: str, n: int, reach: int) -> None:
    from transcript_model.repairs import _leading_words  # noqa: PLC0415

    found, every = _leading_words(text, n, reach), _words(text)
    assert found == every[: len(found)]
    assert len(found) >= min(n, len(every))
