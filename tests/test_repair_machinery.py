"""The machinery every repair rule shares, checked against plain definitions.

``apply_changes`` and the index of a paragraph's edits answer each question in logarithmic
time (asking every edit about every change made a paragraph of 8,000 edits take 10 s);
``changed_runs`` compares a text with its encoding fix in linear time (difflib took 30 s on
a 40 KB document). Here each is compared with the simple quadratic definition it replaces,
on random inputs, and long damaged paragraphs are repaired exactly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

import ftfy.bad_codecs  # noqa: F401 - registers "sloppy-windows-1252"
from hypothesis import example, given, settings
from hypothesis import strategies as st

import exporters
import transcript_model
from exporters.validation import errors
from transcript_model.model import Edit, Paragraph, Repair, Span
from transcript_model.repairs import (
    _CONTROL,
    _HOVER_CARD,
    _HYPHEN,
    _LINE_BREAK,
    _MD_ESCAPE,
    _MOJIBAKE_SIGN,
    _ODD_SPACE,
    _ODD_SPACE_CHARS,
    _SIGN_REACH,
    _SPACE_PUNCT,
    _SUSPECT,
    _UNUSUAL,
    _WIDGET,
    _WIDGET_HINTS,
    HINTS,
    REASONS,
    RULES,
    Change,
    RuleContext,
    _Edits,
    _ends_sentence,
    _ftfy,
    _ftfy_is_bad,
    _has_control,
    _has_space_before_punctuation,
    _looks_like_heading,
    _may_be_mojibake,
    _norm,
    _touches,
    _words,
    apply_changes,
    changed_runs,
    is_internal,
    mojibake,
    quiet_rules,
    run_rules,
)

# --- the plain definitions ---------------------------------------------------------------


def free_by_definition(para: Paragraph, start: int, end: int) -> bool:
    return not any(_touches(e, start, end) for e in para.edits)


def source_offset_by_definition(para: Paragraph, pos: int) -> int:
    shift = sum(len(e.original) - (e.end - e.start) for e in para.edits if is_internal(e, para) and e.end <= pos)
    return para.span.start + pos + shift


def apply_by_definition(
    para: Paragraph, changes: Iterable[Change], rule: str, ctx: RuleContext, *, paragraph: int, made: int
) -> tuple[Paragraph, list[Repair]]:
    """Each change applied in turn to the whole text; every edit asked about every change."""
    accepted = sorted((c for c in changes if free_by_definition(para, c[0], c[1])), key=lambda c: c[0])
    if not accepted:
        return para, []
    text, delta = para.text, 0
    new_edits: list[Edit] = []
    repairs: list[Repair] = []
    for start, end, replacement in accepted:
        src_start = source_offset_by_definition(para, start)
        src = Span(src_start, src_start + (end - start))
        s = start + delta
        text = text[:s] + replacement + text[end + delta :]
        original = para.text[start:end]
        new_edits.append(Edit(s, s + len(replacement), original, src, ctx.first_index + made + len(repairs)))
        repairs.append(
            Repair(rule, REASONS[rule], ctx.turn, paragraph, s, s + len(replacement), src, original, replacement)
        )
        delta += len(replacement) - (end - start)

    def moved(e: Edit) -> Edit:
        d = sum(len(r) - (b - a) for a, b, r in accepted if b <= e.start and not (a == b == e.start))
        return replace(e, start=e.start + d, end=e.end + d)

    edits = sorted([moved(e) for e in para.edits] + new_edits, key=lambda e: (e.start, e.end, e.repair))
    return Paragraph(text, para.span, tuple(edits), ()), repairs


# --- random paragraphs with edits, and random changes ------------------------------------------


@st.composite
def changes_for(draw: st.DrawFn, para: Paragraph, *, at_edges: bool = False) -> list[Change]:
    """Non-overlapping changes of a paragraph's text: replacements, deletions and insertions.

    Left out: two changes starting at one point, and, unless ``at_edges``, an insertion
    where an edit starts or ends (which goes first is a convention; no rule makes either)."""
    cuts = sorted(draw(st.lists(st.integers(0, len(para.text)), max_size=12)))
    edges = set() if at_edges else {e.start for e in para.edits} | {e.end for e in para.edits}
    out: list[Change] = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=False):  # an odd cut is left over
        replacement = draw(st.sampled_from(["", " ", "X", "long replacement"]))
        if (a == b and (not replacement or a in edges)) or (out and out[-1][0] == a):
            continue
        out.append((a, b, replacement))
    return draw(st.permutations(out))


@st.composite
def edited_paragraphs(draw: st.DrawFn) -> Paragraph:
    """A paragraph after a few rounds of changes, sometimes keeping a dropped paragraph."""
    text = draw(st.text(alphabet="ab \n", min_size=0, max_size=60))
    start = draw(st.integers(0, 50))
    para = Paragraph(text, Span(start, start + len(text)))
    for round_ in range(draw(st.integers(0, 3))):
        ctx = RuleContext("", 0, round_ * 20)
        para, _ = apply_by_definition(para, draw(changes_for(para)), "hard-wrap", ctx, paragraph=0, made=0)
    if draw(st.booleans()):
        at = draw(st.integers(0, len(para.text)))
        dropped = Edit(at, at, "a dropped paragraph", Span(500, 519), 99)
        para = replace(para, edits=tuple(sorted((*para.edits, dropped), key=lambda e: (e.start, e.end, e.repair))))
    return para


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_the_edit_index_answers_as_every_edit_would(data: st.DataObject) -> None:
    para = data.draw(edited_paragraphs())
    index = _Edits(para)
    for _ in range(10):
        a = data.draw(st.integers(0, len(para.text)))
        b = data.draw(st.integers(a, len(para.text)))
        assert index.free(a, b) == free_by_definition(para, a, b), (para, a, b)
        if free_by_definition(para, a, a):
            assert index.source_offset(a) == source_offset_by_definition(para, a)


def outcome(apply: object, *args: object, **kwargs: object) -> object:
    try:
        return apply(*args, **kwargs)  # type: ignore[operator]
    except ValueError as exc:  # an impossible span: both must refuse it alike
        return ("ValueError", str(exc))


@settings(max_examples=500, deadline=None)
@given(st.data())
def test_apply_changes_does_what_the_definition_does(data: st.DataObject) -> None:
    para = data.draw(edited_paragraphs())
    # here insertions may also sit where an edit starts or ends: the definition says where
    changes = data.draw(changes_for(para, at_edges=True))
    ctx = RuleContext("", 2, 40)
    got = outcome(apply_changes, para, changes, "unicode-spaces", ctx, paragraph=3, made=1)
    assert got == outcome(apply_by_definition, para, changes, "unicode-spaces", ctx, paragraph=3, made=1)


# --- the diff of an encoding fix --------------------------------------------------------------


def applied(a: str, changes: Sequence[Change]) -> str:
    out, pos = [], 0
    for start, end, replacement in changes:
        assert pos <= start <= end <= len(a)
        out += [a[pos:start], replacement]
        pos = end
    return "".join([*out, a[pos:]])


TEXT = st.text(alphabet="ab .«»ÐÑ°Ã©éдн\n", max_size=80)
NON_ASCII = st.text(alphabet="«»ÐÑ°Ã©éдн", max_size=6)


@st.composite
def text_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """Two texts: unrelated, or the second with some of the first's non-ASCII runs replaced."""
    a = draw(TEXT)
    if draw(st.booleans()):
        return a, draw(TEXT)
    parts = re.split(r"([^\x00-\x7f]+)", a)
    return a, "".join(draw(NON_ASCII) if k % 2 and draw(st.booleans()) else p for k, p in enumerate(parts))


@settings(max_examples=800, deadline=None)
@given(text_pairs())
@example(("«ÐÐ» x", "«Ð» x"))  # what a run keeps at its start and at its end must not overlap
def test_changed_runs_turn_one_text_into_the_other(pair: tuple[str, str]) -> None:
    a, b = pair
    changes = changed_runs(a, b)
    assert applied(a, changes) == b
    assert all(a[s:e] != r for s, e, r in changes)


@settings(max_examples=200, deadline=None)
@given(text_pairs())
def test_changed_runs_of_long_texts_turn_one_into_the_other(pair: tuple[str, str]) -> None:
    """Texts too long for difflib over characters (over 500 characters each here) are
    compared word by word first."""
    a, b = (" " + pair[0]) * (520 // (len(pair[0]) + 1) + 1), (" " + pair[1]) * (520 // (len(pair[1]) + 1) + 1)
    assert len(a) * len(b) > 250_000  # spaces first, too
    assert applied(a, changed_runs(a, b)) == b


def test_where_the_ascii_text_differs_difflib_decides() -> None:
    # not " abc" -> " xbz" as one change: the unchanged "b" stays out of the changes
    assert changed_runs("Ã© abc", "é xbz") == [(0, 2, "é"), (3, 4, "x"), (5, 6, "z")]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Сергей", "Лавров", "said", "«да»", "café", "—", "ok.", "", "2024"]), max_size=30))
def test_a_mojibake_fix_changes_only_runs_of_mojibake(words: list[str]) -> None:
    clean = " ".join(words)
    broken = " ".join(w.encode().decode("cp1252", "replace") if k % 2 else w for k, w in enumerate(words))
    changes = changed_runs(broken, clean)
    assert applied(broken, changes) == clean
    for start, end, _ in changes:
        assert start < end and all(ord(c) > 127 for c in broken[start:end])


def test_a_long_mojibake_paragraph_is_repaired_word_by_word() -> None:
    words = [f"слово{k}" if k % 3 else f"word{k}" for k in range(6000)]  # 4,000 Cyrillic words
    clean = " ".join(words) + "."
    broken = clean.encode().decode("sloppy-windows-1252")  # as ftfy names it: every byte kept
    (fixed,), repairs = mojibake([Paragraph(broken, Span(0, len(broken)))], RuleContext(broken, 0, 0))
    assert fixed.text == clean
    assert len(repairs) == 4000
    assert {r.replacement for r in repairs} == {"слово"}
    assert all(broken[r.source.start : r.source.end] == r.original for r in repairs)


def test_a_paragraph_with_thousands_of_repairs_exports_valid_files() -> None:
    body = "\n".join(f"We discussed the interna-\ntional situation\u00a0{k} and agreed" for k in range(1500))
    t = transcript_model.parse(f"Talks, Moscow, May 1, 2024\n\nSergey Lavrov: {body}.")
    assert len(t.turns) == 1 and len(t.turns[0].paragraphs) == 1
    assert [r.rule for r in t.repairs].count("hyphenation") == 1500
    assert [r.rule for r in t.repairs].count("unicode-spaces") == 1500
    assert [r.rule for r in t.repairs].count("hard-wrap") == 1499  # the line breaks between the lines
    text = t.turns[0].paragraphs[0].text
    assert "\n" not in text and "\u00a0" not in text and text.count("the international situation ") == 1500
    assert errors(exporters.validate_tei(exporters.to_tei(t))) == []
    assert errors(exporters.validate_jsonld(exporters.to_jsonld(t))) == []


def test_a_long_paragraph_whose_ascii_changed_too_is_repaired_in_small_pieces() -> None:
    # "à" is C3 A0 in UTF-8: read as Windows-1252, "Ã" and a no-break space, which pages
    # often turn into a plain one; ftfy takes "Ã " back to "à", so the ASCII differs and
    # the paragraph (11,000 characters) is too long to compare character by character
    clean = " ".join(f"It’s the {k}th time – déjà vu." for k in range(300))
    broken = clean.encode().decode("sloppy-windows-1252").replace("\u00a0", " ")
    (fixed,), repairs = mojibake([Paragraph(broken, Span(0, len(broken)))], RuleContext(broken, 0, 0))
    assert fixed.text == clean
    assert len(repairs) >= 1200  # four in each sentence: ’ – é à
    assert all(len(r.original) <= 3 for r in repairs)
    assert all(broken[r.source.start : r.source.end] == r.original for r in repairs)


# --- the quick checks that pass over most paragraphs ------------------------------------------


def test_quick_checks_say_what_their_patterns_say() -> None:
    space_punct = re.compile("[ \u00a0][,;:!?.]")
    for cp in [*range(0x3000), 0xFEFF, 0xFFFD, 0x1F600]:
        for text in (chr(cp), f"a{chr(cp)}b", f"{chr(cp)} ,", f" {chr(cp)}.", f"Я{chr(cp)}"):
            assert _has_control(text) == (_CONTROL.search(text) is not None), repr(text)
            assert _has_space_before_punctuation(text) == (space_punct.search(text) is not None), repr(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \u00a0,;:!?.aZ\x07\x85\x7f\t\n\u200bЯ’", max_size=40))
def test_quick_checks_on_random_text(text: str) -> None:
    assert _has_control(text) == (_CONTROL.search(text) is not None)
    assert _has_space_before_punctuation(text) == (re.search("[ \u00a0][,;:!?.]", text) is not None)


def test_rules_that_pass_over_ascii_text_look_for_non_ascii_only() -> None:
    """mojibake, unicode-spaces and the Cyrillic widget hints skip ASCII paragraphs at once:
    true only while what they look for is outside ASCII."""
    ascii_chars = [chr(b) for b in range(128)]
    assert not any(_SUSPECT.search(c) or _ODD_SPACE.search(c) for c in ascii_chars)
    assert not any(c.isascii() for c in _ODD_SPACE_CHARS)
    assert all(h.isascii() for h in _WIDGET_HINTS[:2]) and not any(h.isascii() for h in _WIDGET_HINTS[2:])


def test_a_match_of_ftfys_test_reaches_no_further_than_the_stretch_asked() -> None:
    from ftfy.badness import BADNESS_RE  # noqa: PLC0415

    parser = getattr(re, "_parser", None) or __import__("sre_parse")  # Python 3.11 / 3.10
    assert parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags).getwidth()[1] <= _SIGN_REACH + 1


def test_ftfys_test_finds_no_mojibake_made_of_ascii_and_russian_letters() -> None:
    """Every alternative of ftfy's pattern consumes, where it must consume something, a
    character outside ASCII and the Russian alphabet (one _UNUSUAL finds): read from the
    pattern itself, each item compiled alone and tried on every such character, so that a
    new version of ftfy is checked too."""
    from ftfy.badness import BADNESS_RE  # noqa: PLC0415

    parser = getattr(re, "_parser", None) or __import__("sre_parse")  # Python 3.11 / 3.10
    compiler = getattr(re, "_compiler", None) or __import__("sre_compile")
    const = getattr(re, "_constants", None) or __import__("sre_constants")
    plain = [c for c in map(chr, range(0x460)) if not _UNUSUAL.match(c)]
    assert len(plain) == 128 + 66 and _UNUSUAL.match("ґ") and not _UNUSUAL.match("ё")
    tree = parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags)

    def can_be_plain(item: tuple[object, object]) -> bool:
        one = compiler.compile(parser.SubPattern(tree.state, [item]), BADNESS_RE.flags)
        return any(one.fullmatch(c) for c in plain)

    ((op, (_, alternatives)),) = tree.data
    assert op is const.BRANCH and len(alternatives) > 30
    for alternative in alternatives:
        needed = []
        for op, av in alternative.data:
            if op is const.AT:
                continue  # consumes nothing
            if op in (const.MAX_REPEAT, const.MIN_REPEAT):
                if av[0] > 0:  # else it may consume nothing
                    needed.extend(av[2].data)
            else:
                needed.append((op, av))
        assert needed and not all(can_be_plain(item) for item in needed), alternative
    assert can_be_plain((const.LITERAL, ord("ж"))) and not can_be_plain((const.LITERAL, ord("’")))


def test_every_sign_of_mojibake_ftfy_looks_for_is_one_mojibake_sign_finds() -> None:
    """_MOJIBAKE_SIGN passes a text only if it holds a C1 control, Œ, œ, Ã or Â, or two
    characters outside ASCII side by side: ftfy's test must find nothing in a text whose
    only other character outside ASCII stands among ASCII ones."""
    is_bad = _ftfy_is_bad()
    for cp in range(0x80, 0x10000):
        c = chr(cp)
        if 0xD800 <= cp <= 0xDFFF or _MOJIBAKE_SIGN.search(c):
            continue
        for text in (f"a{c}a", f" {c} ", f"\n{c}\n", f".{c}.", f"Z{c}1", f"a {c} a", f"x{c}\n", c):
            assert not is_bad(text), repr(text)
            assert not _may_be_mojibake(text) and _ftfy()(text) == text, repr(text)


# --- hints: a rule passes over a paragraph, or a whole document, that fails its hint ------------

# what each text rule looks for: where the pattern finds nothing, the rule changes nothing
# (mojibake: ftfy decides, and only for text holding a character _SUSPECT finds)
LOOKS_FOR: dict[str, Callable[[str], object]] = {
    "hover-card": _HOVER_CARD.search,
    "widget-text": _WIDGET.search,
    "markdown-escape": _MD_ESCAPE.search,
    "mojibake": lambda text: _SUSPECT.search(text) and _ftfy()(text) != text,
    "control-characters": _CONTROL.search,
    "unicode-spaces": _ODD_SPACE.search,
    "hyphenation": _HYPHEN.search,
    "hard-wrap": _LINE_BREAK.search,
    "space-before-punctuation": _SPACE_PUNCT.search,
}
PIECES = [
    "a", "Z", "Я", "ж", " ", "  ", "\n", "\t", "-", ",", ".", "!", ":", "’", "»", "\\", "*", "[", "\u00a0",
    "\u200b", "\u00ad", "\x07", "\x85", "Ã©", "â€™", "é", "Ã ", "Â ", "\nÃ ", "Ð»Ð¸Ñ", "РџСЂ", "—", "“", "”\u00a0",
    "œ", "Ã\u00a0", "вЂ™", "ГўВЂВ™s", "œ\n", "√±", "Obama Obama Barack", " Obama", "Barack",
    "Путин Путин Владимир", "See also", "SEE ALSO", "Смотрите также", "Talks in Geneva", "March 14, 2023",
    "13 марта 2025 года", "inter", "national", "talks were", "President",
]  # fmt: skip
DOC_TEXT = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)


def test_every_text_rule_has_a_hint() -> None:
    assert set(HINTS) == set(LOOKS_FOR) and set(HINTS) <= set(RULES)


@settings(max_examples=1500, deadline=None)
@given(DOC_TEXT)
@example("Obama Obama Barack")
@example("See also Talks in Geneva March 14, 2023")
def test_a_text_the_rule_would_change_passes_its_hint(text: str) -> None:
    for name, looks_for in LOOKS_FOR.items():
        if looks_for(text):
            assert HINTS[name](text), (name, text)
    if LOOKS_FOR["mojibake"](text):  # the paragraphs' own test, which documents skip
        assert _may_be_mojibake(text), text


@settings(max_examples=1500, deadline=None)
@given(DOC_TEXT, DOC_TEXT, DOC_TEXT)
@example("", "Obama Obama Barack", "")  # a card at the end of a paragraph stays one between spaces
@example("", "See also Talks in Geneva March 14, 2023", "x")
def test_a_hint_that_passes_for_a_text_passes_for_the_document_holding_it(before: str, text: str, after: str) -> None:
    for name, hint in HINTS.items():
        if hint(text):
            assert hint(f"{before} {text} {after}"), (name, text)
            assert name not in quiet_rules([before, text, after]), (name, text)


@settings(max_examples=400, deadline=None)
@given(st.lists(DOC_TEXT.filter(str.strip), min_size=1, max_size=5), st.lists(DOC_TEXT, max_size=3))
# restoring the capital of a restarted sentence makes a hover card no paragraph held
@example(["Obama Obama B", "obama Obama Barack said it."], [])
@example(["Obama obama B", "obama Obama Barack said it."], [])
def test_skipping_quiet_rules_changes_nothing(texts: list[str], others: list[str]) -> None:
    """A turn repaired with the rules its document makes quiet skipped gives what running
    every rule gives (the document's other paragraphs may wake rules up, never silence them)."""
    source, paragraphs = "", []
    for text in texts:
        paragraphs.append(Paragraph(text, Span(len(source), len(source) + len(text))))
        source += text + "\n\n"
    ctx = RuleContext(source, 0, 0, frozenset({"international"}), frozenset({"president"}))
    quiet = quiet_rules([*texts, *others])
    assert run_rules(paragraphs, ctx, list(RULES), quiet) == run_rules(paragraphs, ctx, list(RULES))


def test_a_repair_can_wake_a_quiet_rule() -> None:
    """The second example above: quiet in the document as given (no capitalised word is
    repeated there), the hover-card rule still runs once the turn's first repair has
    restored a capital."""
    texts = ["Obama obama B", "obama Obama Barack said it."]
    source = "\n\n".join(texts)
    paragraphs = [Paragraph(texts[0], Span(0, 13)), Paragraph(texts[1], Span(15, len(source)))]
    assert "hover-card" in quiet_rules(texts)
    kept, made = run_rules(paragraphs, RuleContext(source, 0, 0), list(RULES), quiet_rules(texts))
    assert [r.rule for r in made] == ["duplicated-broken-sentence", "hover-card"]
    assert [p.text for p in kept] == ["Obama said it."]


# --- tests read from the end of a text, and a chrome pattern said without backtracking ----------

TERMINAL = re.compile(r"[.!?…:;][\"'”»’)\]]*\s*$")  # the pattern _ends_sentence replaces


def test_a_sentence_end_is_what_the_pattern_finds() -> None:
    for cp in [*range(0x3000), 0xFEFF, 0x1F600]:
        c = chr(cp)
        for text in (c, f"a.{c}", f"a{c}", f"a?){c}", f"a.{c}\n", f"x{c} ", f"{c}»", f"{c}\n\n"):
            assert _ends_sentence(text) == (TERMINAL.search(text) is not None), repr(text)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=".!?…:;\"'”»’)] \t\n\u00a0\u2028\x1caZ(", max_size=12))
def test_a_sentence_end_on_random_text(text: str) -> None:
    assert _ends_sentence(text) == (TERMINAL.search(text) is not None)


PHOTO_BEFORE = re.compile(  # the photo-credit pattern as it was, before it was said without backtracking
    r"(?=.{0,290}\Z)(?=.*[^.]\Z)(?:.{0,200}\bphoto(?: by)?: [^.]{1,80}|.{0,200}\bфото: [^.]{1,80})",
    re.IGNORECASE | re.DOTALL,
)
PHOTO_LITERALS = re.compile(  # as it was next: a scan for each case of the first letter of "photo"
    r"(?!.{291})(?!.*\.\Z)(?:.{0,200}(?-i:p)(?<!\w.)hoto(?: by)?: [^.]{1,80}"
    r"|.{0,200}(?-i:P)(?<!\w.)hoto(?: by)?: [^.]{1,80}"
    r"|.{0,200}(?-i:ф)(?<!\w.)ото: [^.]{1,80}|.{0,200}(?-i:Ф)(?<!\w.)ото: [^.]{1,80})",
    re.IGNORECASE | re.DOTALL,
)
PHOTO_NOW = re.compile(  # one scan, to each ":"
    r"(?!.{291})(?!.*\.\Z).{0,208}:"
    r"(?:(?<!.{207})(?<=(?<!\w)(?-i:[pP])hoto:)"
    r"|(?<!.{210})(?<=(?<!\w)(?-i:[pP])hoto by:)"
    r"|(?<!.{206})(?<=(?<!\w)(?-i:[фФ])ото:))"
    r" [^.]{1,80}",
    re.IGNORECASE | re.DOTALL,
)


def test_the_photo_credit_starts_where_it_did() -> None:
    """ "photo" (or "фото") starts within the first 201 characters, however the credit ends."""
    for n in range(190, 215):
        for credit in ("photo: ", "Photo by: ", "PHOTO BY: ", "фото: ", "Фото: ", "pHOTO: "):
            for before in ("x" * n, "x" * (n - 1) + " ", "x" * (n - 1) + "\n"):
                for after in ("J", "J" * 80, "J" * 81, "J."):
                    text = before + credit + after
                    found = PHOTO_NOW.fullmatch(text) is not None
                    assert found == (PHOTO_BEFORE.fullmatch(text) is not None), (n, credit, before[-1:], after)
                    assert found == (PHOTO_LITERALS.fullmatch(text) is not None), (n, credit, before[-1:], after)


@settings(max_examples=1500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Reuters",
                " photo: ",
                "Photo by: ",
                " фото: ",
                "ФОТО",
                ".",
                " ",
                "\n",
                "x" * 60,
                "x" * 7,
                ":",
                "p",
                "hoto",
                " by",
                "Ф",
                "ото",
                "PHOTO BY",
            ]
        ),
        max_size=12,
    )
)
@example(["x" * 60] * 3 + ["x" * 19, " ", "Photo by: ", "J" * 80])  # 290 characters: the longest credit
@example(["x" * 60] * 3 + ["x" * 19, " ", "Photo by: ", "J" * 81])  # 291: none
@example(["x" * 60] * 3 + ["x" * 20, " ", "photo: ", "J" * 8, "."])  # a final "."
@example(["aphoto: ", "J"])  # "photo" inside a word: no credit
@example(["Фото", ": ", "J"])
def test_the_photo_credit_pattern_says_what_it_said(parts: list[str]) -> None:
    from transcript_model.profiles import _PHOTO_CREDIT  # noqa: PLC0415

    assert PHOTO_NOW.pattern == _PHOTO_CREDIT
    text = "".join(parts)
    assert (PHOTO_NOW.fullmatch(text) is None) == (PHOTO_BEFORE.fullmatch(text) is None), text
    assert (PHOTO_NOW.fullmatch(text) is None) == (PHOTO_LITERALS.fullmatch(text) is None), text


WORD = re.compile(r"\w+")  # the definition _words reads ASCII text without


def heading_by_definition(text: str) -> bool:
    words = [w for w in WORD.findall(text) if len(w) >= 3]
    return bool(words) and sum(1 for w in words if w[0].isupper()) / len(words) > 0.6


def test_words_of_ascii_text_are_the_patterns() -> None:
    for b in range(128):
        for text in (chr(b), f"a{chr(b)}b", f"{chr(b)}Ab{chr(b)}", f"X_{chr(b)}9"):
            assert _words(text) == [w.casefold() for w in WORD.findall(text)], repr(text)
            assert _norm(text) == " ".join(WORD.findall(text)).casefold(), repr(text)
            assert _looks_like_heading(text * 3) == heading_by_definition(text * 3), repr(text)


def test_words_beside_any_character_are_the_patterns() -> None:
    """Every character outside ASCII, among ASCII words: read in C when it is no word
    character (curly quotes, dashes), by the pattern when it is one."""
    for cp in range(0x80, 0x10000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        for text in (f"a{c}b", f"Xy {c}. z", c):
            assert _words(text) == [w.casefold() for w in WORD.findall(text)], repr(text)
            assert _norm(text) == " ".join(WORD.findall(text)).casefold(), repr(text)
        for text in (f"Abc{c}Def gh", f"Abc {c}{c}{c}x"):
            assert _looks_like_heading(text) == heading_by_definition(text), repr(text)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F) | st.sampled_from("éÜßſКк\u00a0\u2028"), max_size=30))
def test_words_on_random_text(text: str) -> None:
    assert _words(text) == [w.casefold() for w in WORD.findall(text)]
    assert _norm(text) == " ".join(WORD.findall(text)).casefold()
    assert _looks_like_heading(text) == heading_by_definition(text)


def test_the_classes_the_repairs_build_field_by_field_are_as_they_expect() -> None:
    """transcript_model.repairs builds edits, paragraphs, repairs and rule contexts with their
    constructors where it copies one with a change (dataclasses.replace cost five times
    more): a field added to one of them must be passed on there too."""
    import dataclasses  # noqa: PLC0415

    expected = {
        Edit: ["start", "end", "original", "source", "repair"],
        Paragraph: ["text", "span", "edits", "incidents"],
        Repair: ["rule", "reason", "turn", "paragraph", "start", "end", "source", "original", "replacement"],
        RuleContext: ["source", "turn", "first_index", "words", "role_words"],
    }
    for cls, names in expected.items():
        assert [f.name for f in dataclasses.fields(cls)] == names, cls.__name__


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="ab- \n\tЯé_1’'-", max_size=30))
def test_the_hyphenation_pattern_finds_what_it_found_without_its_word_boundary(text: str) -> None:
    without = re.compile(r"(?P<left>\w+)-[ \t]*\n[ \t]*(?P<right>\w+)")
    assert [(m.span(), m.groups()) for m in _HYPHEN.finditer(text)] == [
        (m.span(), m.groups()) for m in without.finditer(text)
    ]


# --- the chrome pattern, one alternative a line and each first letter case-sensitive ---------

CHROME_BEFORE = (  # the alternatives as they were grouped, every letter with case folded
    r"(?:[a-z]{2}-[A-Z]{2}\d*\s*){2,}",
    r"asset publisher|advanced settings|view settings|font size:?.{0,40}|print version|версия для печати",
    r"none|\* \* \*|\*\*\*|share|print|read in full|read more.{0,80}|read the full.{0,80}|full text.{0,80}"
    r"|watch the full interview.{0,60}|watch the video.{0,60}|subscribe.{0,60}",
    r"(?:#[\w-]+[ \t]*)+",
    r"table of contents|contents|содержание",
    PHOTO_NOW.pattern,
    r"#{1,6}\s+\S.{0,60}",
    r"\{\{<.{0,300}>\}\}|<!--.{0,300}-->",
    r"END(?:\s+\d{1,2}:\d{2}\s*[AaPp]\.?[Mm]\.?(?:\s+[A-Z]{2,4})?)?",
    r"an official website of the united states government.{0,80}|here'?s how you know.{0,40}",
)


def _grouped(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{a})" for a in alternatives), re.IGNORECASE | re.DOTALL)


CHROME_PIECES = [
    "de-DE1 ", "en-gb ", "ſh-", "İx-", "K", "k", "s", "S", "ſ", "ı", "i", "#tag ", "#", "## ", "Share", "sHARE",
    "ſhare",
    "print", "Print version", "read more", " about it", "END", "end 10:30 a.m. EDT", "<!-- x -->", "{{< y >}}",
    "Содержание", "ᲃодержание", "версия для печати", "ᲀерсия", "Table of Contents", "contents", "none", "* * *", "***",
    "Reuters photo: Jane Doe", "here's how you know", ".", " ", "\n", "x",
]  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(CHROME_PIECES), max_size=6).map("".join))
@example("ſhare")
@example("Kx-DE ab-CD")
@example("İı-AB cd-EF")
@example("ᲃодержание")
def test_the_chrome_pattern_says_what_the_grouped_alternatives_said(text: str) -> None:
    from transcript_model.layout import is_chrome  # noqa: PLC0415
    from transcript_model.profiles import _CHROME, KREMLIN_RU_SCRAPE, MID_RU  # noqa: PLC0415

    before = _grouped(*CHROME_BEFORE).fullmatch(text) is not None
    assert any(p.fullmatch(text) for p in _CHROME) == before, text
    assert is_chrome(text, MID_RU) == (_grouped(*CHROME_BEFORE).fullmatch(text.strip()) is not None), text
    scrape = any(p.fullmatch(text) for p in KREMLIN_RU_SCRAPE.chrome)
    assert scrape == (_grouped("События", *CHROME_BEFORE).fullmatch(text) is not None), text
    assert is_chrome(text, KREMLIN_RU_SCRAPE) == (
        _grouped("События", *CHROME_BEFORE).fullmatch(text.strip()) is not None
    )


def test_the_chrome_pattern_says_what_the_grouped_alternatives_said_after_every_first_character() -> None:
    from transcript_model.layout import is_chrome  # noqa: PLC0415
    from transcript_model.profiles import _CHROME, MID_RU  # noqa: PLC0415

    before = _grouped(*CHROME_BEFORE)
    rests = ["hare", "ONE", "ND", "e-DE fr-FR", "-DE fr-FR", "odержание", "одержание", "ерсия для печати", "tag"]
    for code in [*range(0x3000), 0xFEFF, 0x1F600]:
        for rest in rests:
            text = chr(code) + rest
            assert any(p.fullmatch(text) for p in _CHROME) == (before.fullmatch(text) is not None), (hex(code), rest)
            assert is_chrome(text, MID_RU) == (before.fullmatch(text.strip()) is not None), (hex(code), rest)


def test_the_letters_fold_as_the_chrome_pattern_says() -> None:
    """What each letter of the two alphabets matches with case folded, asked of the engine
    on every character."""
    from transcript_model.profiles import _FOLDED_WITH, _TWO_CASED  # noqa: PLC0415

    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for letter in sorted(_TWO_CASED | set(_FOLDED_WITH)):
        found = set(re.findall(f"(?i:{letter})", every))
        assert found == {letter, letter.upper(), *_FOLDED_WITH.get(letter, "")}, letter


def test_the_chrome_pattern_holds_no_group_it_could_open_with() -> None:
    """Each alternative opens with a literal or a case-sensitive class, as _cased and the
    table make it (the photo credit, said apart, opens with look-aheads)."""
    from transcript_model.profiles import _CHROME_COMMON, _cased  # noqa: PLC0415

    for alternative in _CHROME_COMMON:
        said = _cased(alternative)
        assert said.startswith(("(?-i:[", "\\", "#", "<")), said
