"""Headline analysis and speaker-label grammar, positive and negative cases."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from conftest import SHARED, need
from hypothesis import example, given, settings
from hypothesis import strategies as st

from transcript_model import labels, parse
from transcript_model.dates import _DATE_LINE, _TIME_LINE, MONTHS, looks_like_date_line, parse_date_line
from transcript_model.labels import find_label, label_key
from transcript_model.profiles import GENERIC, PROFILES, VOCABULARY, choose_profile
from transcript_model.titles import PersonRef, find_people, parse_title, split_date_place, split_person


def test_date_and_place_at_the_end() -> None:
    assert split_date_place("Remarks to the press, Geneva, March 14, 2023") == (
        "Remarks to the press",
        "Geneva",
        dt.date(2023, 3, 14),
    )
    assert split_date_place("Interview, New York, 24 September 2022") == (
        "Interview",
        "New York",
        dt.date(2022, 9, 24),
    )


def test_no_place_without_a_date() -> None:
    # "…, Moscow" alone could be part of a phrase: only "…, Place, Date" is the publisher's form.
    assert split_date_place("Meeting with students, Moscow") == ("Meeting with students, Moscow", None, None)


def test_impossible_date_is_not_taken() -> None:
    assert split_date_place("Statement, Moscow, February 30, 2022") == (
        "Statement, Moscow, February 30, 2022",
        None,
        None,
    )


def test_split_person() -> None:
    assert split_person("Foreign Minister Sergey Lavrov", VOCABULARY) == PersonRef(
        "Sergey Lavrov", "Foreign Minister", None
    )
    assert split_person("US Secretary of State Antony Blinken", VOCABULARY) == PersonRef(
        "Antony Blinken", "US Secretary of State", "United States"
    )
    assert split_person("Maria Zakharova", VOCABULARY) == PersonRef("Maria Zakharova", None, None)
    assert split_person("Minister", VOCABULARY) is None


def test_find_people_needs_a_job_title() -> None:
    text = "talks with Deputy Foreign Minister Sergey Ryabkov and New York officials"
    assert [p.name for p in find_people(text, VOCABULARY)] == ["Sergey Ryabkov"]
    assert find_people("a visit to New York City", VOCABULARY) == []


def test_parse_title_genres() -> None:
    t = parse_title("Deputy Foreign Minister Sergey Ryabkov's interview with Izvestia, Moscow, May 5, 2021", VOCABULARY)
    assert t.genre == "interview"
    assert t.author == PersonRef("Sergey Ryabkov", "Deputy Foreign Minister", None)
    assert t.occasion == "with Izvestia"
    assert (t.place, t.date) == ("Moscow", dt.date(2021, 5, 5))
    t = parse_title("Press release on the visit of a delegation", VOCABULARY)
    assert t.author is None and t.place is None and t.date is None


@pytest.mark.parametrize(
    ("paragraph", "label"),
    [
        ("Question: Has Moscow responded?", "Question"),
        ("Sergey Lavrov: Today, we heard", "Sergey Lavrov"),
        ("Question (retranslated): What now?", "Question (retranslated)"),
        ("MODERATOR: Thank you.", "MODERATOR"),
        ("President of Russia Vladimir Putin: Good afternoon.", "President of Russia Vladimir Putin"),
        ("Сергей Лавров: Добрый день.", "Сергей Лавров"),
        ("Elena Sorokina:\nThe talks were long.", "Elena Sorokina"),
        ("MS. PSAKI:  Hi, everyone.", "MS. PSAKI"),
        ("SENIOR ADMINISTRATION OFFICIAL:  Thanks.", "SENIOR ADMINISTRATION OFFICIAL"),
        ("В.Путин: Добрый день.", "В.Путин"),
        ("Maria Zakharova : The US stance", "Maria Zakharova"),
        ("Hans-Friedrich von Ploetz: Mr President,", "Hans-Friedrich von Ploetz"),
        ("Ebtesam al-Ketbi: Ebtesam Al-Ketbi, Professor", "Ebtesam al-Ketbi"),
        (
            "Research Director of the Valdai Discussion Club, moderator Fyodor Lukyanov: Friends,",
            "Research Director of the Valdai Discussion Club, moderator Fyodor Lukyanov",
        ),
        ("Sergey Lavrov:** We agree.", "Sergey Lavrov"),  # Markdown bold, after the opening ** is stripped
    ],
)
def test_labels_found(paragraph: str, label: str) -> None:
    found = find_label(paragraph, VOCABULARY)
    assert found is not None and found.text == label
    assert paragraph[found.end :].strip() == paragraph.split(":", 1)[1].strip("* \n")


@pytest.mark.parametrize(
    "paragraph",
    [
        "The minister said: we will respond.",
        "Note: the text was updated.",
        "In 2010: the Astana Declaration.",
        "Font size: large",
        "We discussed three issues:",
        "Lavrov: single surnames are labels only once the person is known",
        "Security guarantees in Europe, the indivisibility of security and other issues discussed today: a summary",
        "http://example.org/a:b",
        "Germany: “This is a matter of peoples’ right to self-determination.”",
        "The United Kingdom: “Secession does not contradict international law.”",
        "Meeting of the Valdai International Discussion Club. Photo: RIA Novosti",
        "Answers to media questions:",
        "Q fever is a disease",
        "In 2019: a year of change",
    ],
)
def test_not_labels(paragraph: str) -> None:
    assert find_label(paragraph, VOCABULARY) is None


# the label as first defined: the lazy form, which tried the colon after each of its characters
_LAZY_LABEL = re.compile(r"(?P<label>[^\W\d_][^:\n]{0,199}?)[*_]{0,2}[ \t\u00a0]*:[*_]{0,2}(?:[ \t\u00a0]+|\n|$)")
_LABEL_BITS = ["Lavrov", "A", "é", "1", "*", "_", "**", " ", "\t", "\u00a0", ":", "\n", "x" * 97, "Я", ".", "'"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_LABEL_BITS) | st.text(max_size=2), max_size=14).map("".join))
@example("A" + "b" * 199 + "*: x")  # a label of 200 characters, then 201
@example("A" + "b" * 200 + "*: x")
@example("A" + "b" * 198 + "** **: x")
@example("Name*_ *:\tx")
def test_the_greedy_label_pattern_reads_the_lazy_label(paragraph: str) -> None:
    lazy, greedy = _LAZY_LABEL.match(paragraph), labels._LABEL.match(paragraph)
    assert (lazy is None) == (greedy is None)
    if lazy is not None and greedy is not None:
        assert greedy.end() == lazy.end()
        assert labels._label_before(paragraph, paragraph.index(":")) == lazy["label"]


def test_q_labels_open_with_q() -> None:
    found = find_label("Q:  Thanks.", VOCABULARY)
    assert found is not None and (found.text, found.end) == ("Q", 4)
    assert find_label(" Q: Thanks.", VOCABULARY) is None


def test_surname_label_once_known() -> None:
    found = find_label("Lavrov: Yes.", VOCABULARY, frozenset({"Sergey Lavrov", "Lavrov"}))
    assert found is not None and found.name == "Lavrov"


def test_label_verdicts_are_remembered_per_known_names() -> None:
    """The remembered verdict of a label belongs to the names known when it was made."""
    known = frozenset({"Sergey Lavrov", "Lavrov"})
    for _ in range(2):
        assert find_label("Lavrov: Yes.", VOCABULARY) is None
        assert find_label("Lavrov: Yes.", VOCABULARY, known) is not None
        assert find_label("Lavrov: Yes.", VOCABULARY, frozenset({"Shoigu"})) is None
    other = dataclasses.replace(VOCABULARY, not_labels=VOCABULARY.not_labels | {"sergey lavrov"})
    assert find_label("Sergey Lavrov: Yes.", VOCABULARY) is not None
    assert find_label("Sergey Lavrov: Yes.", other) is None


def test_one_word_label_of_a_speaker_met_in_the_text() -> None:
    """A surname alone is a label once its speaker has spoken (the known names follow the
    speakers as they are added)."""
    text = "Talks in Geneva\n\nQuestion: And the grain deal?\n\nElena Sorokina: It holds.\n\nSorokina: Yes."
    t = parse(text)
    assert [turn.label for turn in t.turns] == ["Question", "Elena Sorokina", "Sorokina"]
    assert t.turns[2].speaker == t.turns[1].speaker == "elena-sorokina"


def test_label_key() -> None:
    assert label_key("Question (retranslated)") == "question"
    assert label_key("MS. PSAKI") == "ms psaki"


def test_profile_choice() -> None:
    assert choose_profile("01.02.2022 19:46\n\n№ 132-01-02-2022\n\nTitle").name == "mid.ru"
    assert choose_profile("https://mid.ru/en/foreign_policy/news/1/\n\nTitle").name == "mid.ru"
    assert choose_profile("see [this](https://mid.ru/en/foreign_policy/news/1/) page").name == "generic"
    assert choose_profile("Remarks by the President") is GENERIC
    assert choose_profile("🎙 Remarks (Moscow, May 1, 2026)\n\n💬 Sergey Lavrov: Hello.").name == "mfa-telegram"
    assert choose_profile("---\ntitle: x\nsource_url: https://www.whitehouse.gov/x\n---\n").name == "whitehouse.gov"
    assert choose_profile("anything", "generic") is GENERIC
    with pytest.raises(ValueError, match=r"unknown profile 'nope'; known profiles: generic, kremlin\.ru, .*mid\.ru"):
        choose_profile("anything", "nope")


def test_q_label_without_colon() -> None:
    found = find_label("Q    Thanks, John.  Two questions.", VOCABULARY)
    assert found is not None and found.text == "Q"
    assert "Q    Thanks"[found.end :] == "Thanks"


@pytest.mark.parametrize(
    ("printed", "clean"),
    [
        ("Defence Minister Sergei Shoigu Shoigu SergeiDefence Minister", "Defence Minister Sergei Shoigu"),
        ("Foreign Minister Sergei Lavrov Lavrov SergeiForeign Minister of Russia", "Foreign Minister Sergei Lavrov"),
        ("Sergey Lavrov", "Sergey Lavrov"),
    ],
)
def test_hover_cards_are_cut_from_labels(printed: str, clean: str) -> None:
    found = find_label(printed + " : Mr President,", VOCABULARY)
    assert found is not None and found.text == printed and found.name == clean


def test_parenthetical_dates_and_places() -> None:
    assert split_date_place("Answer to a question (March 4, 2026, Moscow)") == (
        "Answer to a question",
        "Moscow",
        dt.date(2026, 3, 4),
    )
    assert split_date_place("Interview with LBC (25 February 2026)") == (
        "Interview with LBC",
        None,
        dt.date(2026, 2, 25),
    )
    assert split_date_place("Department Press Briefing – March 1, 2022") == (
        "Department Press Briefing",
        None,
        dt.date(2022, 3, 1),
    )


def test_authors_by_possessive_and_by() -> None:
    t = parse_title(
        "Foreign Minister Sergey Lavrov’s remarks and answers to media questions, Moscow, January 17, 2020", VOCABULARY
    )
    assert t.author == PersonRef("Sergey Lavrov", "Foreign Minister", None)
    t = parse_title("Briefing by Foreign Ministry Spokeswoman Maria Zakharova, Moscow, May 15, 2024", VOCABULARY)
    assert t.author == PersonRef("Maria Zakharova", "Foreign Ministry Spokeswoman", None)
    assert t.genre == "briefing"
    t = parse_title("Background Press Call by a Senior Administration Official on the call", VOCABULARY)
    assert t.author is None


def test_russian_titles() -> None:
    t = parse_title("Заявление МИД России о введении персональных санкций", VOCABULARY)
    assert t.genre == "statement"
    t = parse_title("Ответы на вопросы представителей СМИ", VOCABULARY)
    assert t.genre == "answer to a media question"


def test_organisations_are_not_people() -> None:
    assert split_person("Governor of the Northern Region Ivan Sidorov", VOCABULARY) == PersonRef(
        "Ivan Sidorov", "Governor of the Northern Region", None
    )
    assert split_person(
        "Chairman of the Board of the Valdai Discussion Club Andrei Bystritsky", VOCABULARY
    ) == PersonRef("Andrei Bystritsky", "Chairman of the Board of the Valdai Discussion Club", None)
    assert split_person("Governor of the Northern Region", VOCABULARY) is None
    assert split_person("Hans-Friedrich von Ploetz", VOCABULARY) == PersonRef("Hans-Friedrich von Ploetz", None, None)


_DATE_PIECES = [
    *sorted(MONTHS), "SEPTEMBER", "Февраля", "ſeptember", "Sept.", "1", "14", "2023", "19", " ", ",", ".", ":",
    "13:45", "5:41 P.M. EST", "года", "г.", "*", "_", "x", "Q", "№", "٣",
]  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_DATE_PIECES), max_size=7).map("".join))
@example("ſeptember 14, 2023")  # a long s is an s to the case-insensitive month pattern
@example("  **1 March 2023**  ")
def test_date_lines_are_told_as_the_patterns_tell_them(text: str) -> None:
    """The quick look at a line's first character turns away only what the patterns would."""
    stripped = text.strip().strip("*_ ").strip()
    by_pattern = bool(_DATE_LINE.fullmatch(stripped) or _TIME_LINE.fullmatch(stripped))
    assert looks_like_date_line(text) == by_pattern
    if not by_pattern:
        assert parse_date_line(text) is None


def test_every_month_opens_a_date_line() -> None:
    for month in MONTHS:
        for text in (f"{month} 1, 2023", f"{month.upper()} 14 2023", f"{month.title()}. 3, 2020 13:45"):
            assert looks_like_date_line(text), text
            assert parse_date_line(text) is not None, text


# --- possessives ---------------------------------------------------------------------------------

POSSESSIVE_PIECES = ["'s", "’s", "'", "’", "s", "S", " ", "\t", "\n", "\u00a0", "\u2009", "a", "1", "_", ".", "-", "’t"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(POSSESSIVE_PIECES), max_size=12).map("".join))
@example("Sergey Lavrov 's remarks")
@example("a\u00a0’s")
@example("a 's 's")
def test_spaced_possessives_are_joined_as_the_pattern_joins_them(text: str) -> None:
    from transcript_model.titles import _SPACED_POSSESSIVE, _join_spaced_possessives  # noqa: PLC0415

    assert _join_spaced_possessives(text) == _SPACED_POSSESSIVE.sub(r"\1\2", text), text
    for word in text.split():  # find_people's test of a word, as the pattern ['’]s$ was
        ends = re.compile(r"['’]s$")
        assert word.endswith(("'s", "’s")) == (ends.search(word) is not None)
        assert (word[:-2] if word.endswith(("'s", "’s")) else word) == ends.sub("", word)


@pytest.mark.parametrize(
    "text",
    ["14.03.2023 16:05", "March 14, 2023", "14 марта 2023 года", "2023-03-14", "5:41 P.M. EST", "March 14, 2023 5 pm"],
)
def test_a_group_is_read_as_groupdict_reads_it(text: str) -> None:
    from transcript_model.dates import _group  # noqa: PLC0415

    for pattern in (_DATE_LINE, _TIME_LINE, re.compile(r"(?P<d1>\d+)")):
        m = pattern.search(text)
        if m is None:
            continue
        for name in [*pattern.groupindex, "y4", "hour", "nothing"]:
            assert _group(m, name) == m.groupdict().get(name), (pattern.pattern[:30], text, name)


# --- stage directions that are whole paragraphs: the widest the pattern can match -----------------

from transcript_model import gates, turns  # noqa: E402

_WHOLE = turns._any_of(VOCABULARY.stage_paragraphs)


def _incidents_by_definition(text: str) -> tuple[turns.Incident, ...]:
    """What _incidents gives without the joined pattern: each whole-paragraph pattern tried."""
    return turns._incidents(text, VOCABULARY, None, turns._any_of(VOCABULARY.stage_directions))


@settings(max_examples=500, deadline=None)
@given(
    st.from_regex(_WHOLE.pattern, fullmatch=True) if _WHOLE is not None else st.just(""),
    st.sampled_from(["", " ", "\n"]),
)
def test_no_whole_paragraph_direction_is_wider_than_its_pattern_says(text: str, pad: str) -> None:
    assert _WHOLE is not None
    assert len(text) <= _WHOLE.widest
    padded = pad + text + pad
    assert turns.find_incidents(padded, VOCABULARY) == _incidents_by_definition(padded)


def test_a_paragraph_wider_than_any_direction_is_none() -> None:
    assert _WHOLE is not None and _WHOLE.widest < 200
    long = "(The briefing concluded" + " x" * 100 + ")"
    assert turns.find_incidents(long, VOCABULARY) == _incidents_by_definition(long)
    assert gates._widest(re.compile("a+")) == gates._UNBOUNDED


# --- stage directions inside paragraphs: tried only where their first character stands ------------

_INSIDE = turns._any_of(VOCABULARY.stage_directions)
_DIRECTION_BITS = [
    "(",
    ")",
    "(laughter",
    "(Applause.)",
    "(смех)",
    "(item 4)",
    "((",
    " ",
    "x",
    "\n",
    "[",
    "(as interpreted)",
]


def test_the_stage_directions_open_with_a_parenthesis() -> None:
    assert _INSIDE is not None and _INSIDE.firsts == "("


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_DIRECTION_BITS) | st.text(max_size=3), max_size=12).map("".join))
def test_a_direction_is_found_where_the_pattern_finds_one(text: str) -> None:
    assert _INSIDE is not None
    assert _INSIDE.occurs_in(text) == (_INSIDE.pattern.search(text) is not None)


@pytest.mark.parametrize(
    ("pattern", "flags", "firsts"),
    [
        (r"\((?:a|b)\)|\[x\]", re.IGNORECASE, "(["),
        (r"(?:\(|«)x", 0, "(«"),
        (r"[({]x+", 0, "({"),
        (r"(?:ab)+c|d", 0, "ad"),
        (r"a", 0, "a"),
        (r"a", re.IGNORECASE, None),  # with case folded: A too
        (r"[ab]", re.IGNORECASE, None),
        (r"k", re.IGNORECASE, None),  # and the Kelvin sign
        (r"(?i:\()x", 0, None),  # flags changed inside: not read
        (r"(?:a)?b", 0, None),  # may start with b
        (r"a*b", 0, None),
        (r"a|", 0, None),  # may be empty
        (r"", 0, None),
        (r"[^a]", 0, None),
        (r"[a-c]", 0, None),
        (r"\d", 0, None),
        (r".", 0, None),
        (r"(?=a)a", 0, None),
        (r"(?<=x)a", 0, None),
        (r"^a", re.MULTILINE, None),
    ],
)
def test_the_first_characters_of_a_pattern(pattern: str, flags: int, firsts: str | None) -> None:
    compiled = re.compile(pattern, flags)
    assert gates._first_chars(compiled) == firsts
    if firsts is not None:  # every match starts with one of them, in texts of them all
        text = "".join(f"{c}{pattern}ab)c]x(k(A" for c in "xaAbB([{«(")
        starts = {text[m.start()] for m in compiled.finditer(text) if m.end() > m.start()}
        assert starts <= set(firsts)
        joined = gates.Joined(compiled)
        for cut in range(len(text)):
            assert joined.occurs_in(text[cut:]) == (compiled.search(text[cut:]) is not None)


# --- where a match may start: its first three characters, read from the pattern's parse ---------

_PREFIX_CASES = [
    (r"\((?:laugh(?:ter|s)|applause)[^()]*\)", re.IGNORECASE, {"\\(la", "\\(ap"}),
    (r"abc|de[fg]h", 0, {"abc", "de[fg]"}),
    (r"(?:ab)+c", 0, {"aba", "abc"}),
    (r"a{2,5}b", 0, {"aaa", "aab"}),
    (r"x?yz", 0, None),  # one way reads two ("yz")
    (r"(?<=q)ab(?=c)c", 0, {"abc"}),  # look-arounds passed over
    (r"\bk\d.", re.IGNORECASE | re.DOTALL, {"k[\\d]."}),
    (r"[^a-c]\s\w", 0, {"[^a-c][\\s][\\w]"}),
    (r"ab", 0, None),  # a match shorter than three
    (r"a(?:bc|d)", 0, None),  # one way reads two
    (r"a*bcd", 0, {"aaa", "aab", "abc", "bcd"}),
    (r"(?:a?)+bcd", 0, None),  # a turn may match nothing
    (r"(a)\1bc", 0, None),  # a back-reference
    (r"(?i:a)bc", 0, {"(?i:a)bc"}),  # flags changed inside: said so in the gate
    (r"(?-i:[Ss])hare|(?s-i:a.)b", re.IGNORECASE, {"(?-i:[Ss])ha", "(?s-i:a.)b"}),
    (r"(?x:a)bc", 0, None),  # a flag the gate does not say
]


@pytest.mark.parametrize(("pattern", "flags", "expected"), _PREFIX_CASES)
def test_the_prefixes_of_a_pattern(pattern: str, flags: int, expected: set[str] | None) -> None:
    compiled = re.compile(pattern, flags)
    gate = gates._prefix_pattern(compiled, None, 3)
    if expected is None:
        assert gate is None
        return
    assert gate is not None and set(gate.pattern.split("|")) == expected


_PREFIX_PATTERNS = [
    re.compile(p, f)
    for p, f in [
        (r"\((?:laugh(?:ter|s)|applause)[^()]*\)", re.IGNORECASE),
        (r"abc|de[fg]h", 0),
        (r"(?:ab)+c", 0),
        (r"a{2,5}b", 0),
        (r"(?<=q)ab(?=c)c", 0),
        (r"\bk\d.", re.IGNORECASE | re.DOTALL),
        (r"[^a-c]\s\w", 0),
        (r"a*bcd", 0),
        (r"(?:ſa|[Kk]x)yz", re.IGNORECASE),
        (r"(?-i:[Ss])hare|(?-i:K)(?s:.)(?i:x)", re.IGNORECASE),
        (r"(?i:a)bc|(?-s:.)yz", re.DOTALL),
    ]
] + [p for p, _ in (*VOCABULARY.stage_directions, *VOCABULARY.stage_paragraphs)]
_PREFIX_BITS = ["(", ")", "a", "A", "b", "c", "d", "q", "k", "K", "\u212a", "S", "s", "\u017f", "x", "y", "z", "1", " ",
                "\n", "(laughter", "(LAUGHS", "(Applause", "ab", "(item", "(iN", "(IN ", "(смех", "(СМЕХ", "Laughter",
                "applause.", "(The briefing", "Remarks from the floor"]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(st.sampled_from(_PREFIX_PATTERNS), st.lists(st.sampled_from(_PREFIX_BITS) | st.text(max_size=2), max_size=10))
def test_every_match_opens_with_a_prefix_the_gate_admits(pattern: re.Pattern[str], bits: list[str]) -> None:
    gate = gates._prefix_pattern(pattern, None, 3)
    assert gate is not None, pattern.pattern
    text = "".join(bits)
    joined = gates.Joined(pattern)
    for pos in range(len(text) + 1):
        if pattern.match(text, pos) is not None:
            assert gate.fullmatch(text[pos : pos + 3]) is not None, (pattern.pattern, text, pos)
            assert joined.may_start(text, pos)
    assert joined.occurs_in(text) == (pattern.search(text) is not None)


_WHOLE_PATTERNS = [
    re.compile(p, f)
    for p, f in [
        (r"share|#\w+|(?-i:[Pp])rint(?: version)?", re.IGNORECASE),  # "#a": shorter than the prefix
        (r"ab|c?|x{1,2}", 0),  # the empty text, one and two characters
        (r"(?:ab)+c|\d\d", 0),
        (r"(?!.{6})(?:.{0,3}(?-i:p)hoto)", re.IGNORECASE | re.DOTALL),  # bounded: no text over 8
        (r"a.b", 0),  # "." without DOTALL: no line break
    ]
] + list(dict.fromkeys(p for profile in PROFILES.values() for p in profile.chrome))
_WHOLE_BITS = [
    "a", "b", "c", "x", "1", "2", " ", "\n", "#", "share", "SHARE", "ſhare", "Print", "print version", "photo", "PHOTO",
    "Reuters photo: Jane Doe", "Фото: ", "de-DE ", "en-GB1", "K", "İ", "ı", "* * *", "***", "END", " 10:30 a.m. EDT",
    "Содержание", "ᲃодержание", "<!-- x -->", "{{< y >}}", "## Russian", "События", "read more", ".", "x" * 60,
]  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.sampled_from(_WHOLE_PATTERNS), st.lists(st.sampled_from(_WHOLE_BITS) | st.text(max_size=2), max_size=8))
def test_a_whole_gate_admits_every_text_its_pattern_matches(pattern: re.Pattern[str], bits: list[str]) -> None:
    gate = gates.WholeGate(pattern)
    text = "".join(bits)
    for cut in range(len(text) + 1):
        part = text[cut:]
        expected = pattern.fullmatch(part) is not None
        if expected:
            assert gate.may_match(part), (pattern.pattern, part)
        assert gate.fullmatch(part) == expected, (pattern.pattern, part)


_NEEDED_CASES = [
    (r"ab(?:c:|:d)e?", 0, ":"),  # in each alternative
    (r"(?<=:)b", 0, "b"),  # a look-behind's characters are not the match's
    (r"(?=:).", re.DOTALL, None),  # nor a look-ahead's
    (r"a{0,3}:", 0, ":"),
    (r"(?:a:)*b", 0, "b"),  # a repetition that may not turn
    (r"(?:a:)+b", 0, ":"),
    (r"Ab", re.IGNORECASE, None),  # letters with case folded
    (r"A-b", re.IGNORECASE, "-"),
    (r"(?-i:A)b", re.IGNORECASE, "A"),  # case not folded inside
    (r"(?i:A)b", 0, "b"),
    (r"[:;]x", 0, "x"),  # a class: not read ("[:]" is read as the literal it is)
    (r"x|y", 0, None),
    (r"a b", 0, "a"),  # a letter before a space
]


@pytest.mark.parametrize(("pattern", "flags", "expected"), _NEEDED_CASES)
def test_the_character_every_match_holds(pattern: str, flags: int, expected: str | None) -> None:
    assert gates._needed_char(re.compile(pattern, flags)) == expected


@settings(max_examples=1500, deadline=None)
@given(
    st.sampled_from(_WHOLE_PATTERNS + _PREFIX_PATTERNS + [re.compile(p, f) for p, f, _ in _NEEDED_CASES]),
    st.lists(st.sampled_from(_WHOLE_BITS + _PREFIX_BITS + [":", "-", "A"]) | st.text(max_size=2), max_size=8),
)
def test_every_match_holds_the_needed_character(pattern: re.Pattern[str], bits: list[str]) -> None:
    needs = gates._needed_char(pattern)
    text = "".join(bits)
    for pos in range(len(text) + 1):
        found = pattern.match(text, pos)
        if found is not None and needs is not None:
            assert needs in found.group(), (pattern.pattern, text, pos)


def test_the_chrome_patterns_gates() -> None:
    from transcript_model.profiles import _CHROME  # noqa: PLC0415

    menus, credits = gates.whole_gates(_CHROME)
    assert gates.whole_gates(_CHROME)[0] is menus  # read once
    other = (re.compile("x"),)
    assert gates.whole_gates(other)[0].pattern is other[0] and gates._LAST.entry[0] is other
    assert gates.whole_gates(_CHROME) == (menus, credits) and gates._LAST.entry == (_CHROME, (menus, credits))
    assert menus.prefixes is not None and menus.widest == gates._UNBOUNDED
    assert credits.widest == 290  # the longest credit (the pattern says at most 290 characters)
    assert not menus.may_match("The talks were long") and menus.may_match("Share") and menus.may_match("#a")
    assert credits.prefixes is None and credits.needs == ":"  # a credit opens with anything, and holds a ":"
    assert not credits.may_match("Reuters photo Jane Doe") and credits.may_match("Reuters photo: Jane Doe")
    assert not credits.may_match(":" * 291) and credits.may_match(":" * 290)
    fresh = gates.WholeGate(menus.pattern)  # the shared gate's verdicts may be full (4,096)
    assert not fresh.may_match("The talks") and fresh.verdicts == {"The": False}


def test_the_vocabularys_directions_have_prefixes() -> None:
    assert _INSIDE is not None and _INSIDE.prefixes is not None
    assert _WHOLE is not None and _WHOLE.prefixes is not None
    assert not _INSIDE.may_start("(item 4)", 0) and _INSIDE.may_start("(Inaudible)", 0)
    assert _INSIDE.verdicts["(it"] is False  # kept


def test_stage_directions_in_the_development_corpus_are_found_as_before() -> None:
    assert _INSIDE is not None
    corpus = need(SHARED / "corpus", "development corpus")
    paragraphs = [p for f in sorted(corpus.glob("*/*.txt")) for p in f.read_text(encoding="utf-8").split("\n\n")]
    found = [p for p in paragraphs if _INSIDE.pattern.search(p)]
    assert found, "the corpus has stage directions"
    assert [p for p in paragraphs if _INSIDE.occurs_in(p)] == found


# --- a headline's date and place tails: tried where they can start, as the patterns' search -------

from transcript_model import titles  # noqa: E402

_TAIL_BITS = [
    ",", ", ", "(", ")", " (", ") .", "-", " -", " – ", "—", "\u00a0", "\t", "\n", " ", ".", "Moscow", "Geneva",
    "1", "14", "2023", "12.03.2023", "2023-03-12", "March", "MARCH", "марта", "февраля", "года", "г.", "Feb.", "x",
]  # fmt: skip


def _same_match(found: re.Match[str] | None, expected: re.Match[str] | None) -> None:
    assert (found is None) == (expected is None)
    if found is not None and expected is not None:
        assert (found.span(), found.groupdict()) == (expected.span(), expected.groupdict())


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_TAIL_BITS) | st.text(max_size=2), max_size=16).map("".join))
@example("Talks (Moscow, March 14, 2023)")
@example("Talks, Moscow, March 14, 2023 .")
@example("Talks - 14 марта 2023 года")
@example("Talks ( a (Geneva, 2023-03-12) )")
def test_headline_tails_are_found_as_the_patterns_search_finds_them(title: str) -> None:
    _same_match(titles._paren_tail(title), titles._PAREN_TAIL.search(title))
    _same_match(titles._date_tail(title), titles._DATE_TAIL.search(title))


def test_headline_tails_in_the_development_corpus() -> None:
    corpus = need(SHARED / "corpus", "development corpus")
    lines = {line for f in sorted(corpus.glob("*/*.txt")) for line in f.read_text(encoding="utf-8").splitlines()}
    lines = {line[:200] for line in lines if line.strip()}
    # and each with a date tail, a place and date in brackets, and a date after a dash
    lines |= {
        line + tail for line in lines for tail in (", Moscow, March 14, 2023", " (Geneva, 2023-03-12)", " – 1.02.2022")
    }
    assert sum(titles._DATE_TAIL.search(line) is not None for line in lines) > 1000
    for line in sorted(lines):
        _same_match(titles._paren_tail(line), titles._PAREN_TAIL.search(line))
        _same_match(titles._date_tail(line), titles._DATE_TAIL.search(line))


def test_a_word_opening_in_lower_case_is_no_name_token() -> None:
    """What the shortcut says of every first character below U+3000, against the pattern."""
    for code in range(0x3000):
        word = chr(code) + "ab"
        if titles._opens_in_lower_case(word):
            assert titles._NAME_TOKEN.match(word) is None, hex(code)
    assert sum(titles._opens_in_lower_case(chr(c)) for c in range(0x3000)) == 26 + 32 + 1


# --- opening gates: the first characters a pattern's match can open with --------------------------

from transcript_model import profiles  # noqa: E402

_GATED = [
    *(p.number_line for p in vars(profiles).values() if isinstance(p, profiles.Profile) and p.number_line is not None),
    re.compile(r"(?:№|No\.?|N)?\s*(?P<number>\d+-\d{2}-\d{2}-\d{4})"),
    re.compile(r"(?:ab|[^\W\d]x|)?(?=[k-m])\w+", re.IGNORECASE),
    re.compile(r"\b[Ss]ee also\s+(?:[^\n]{0,5})", re.IGNORECASE),
    re.compile(r"[^a-c\s]y|\Dz|.{2}|[а-яё]+|(?:k|q)*K", re.IGNORECASE),
    re.compile(r"^(?:[*•]\s|\d{1,3}[.)]\s)", re.MULTILINE),
    re.compile(r".x|\\", re.DOTALL),
    re.compile(r"[^a-c\s]y", re.IGNORECASE),
    re.compile(r"(?:a|)b|c"),
]
_GATE_CODES = [*range(0x3000), *range(0x1C80, 0x1C90), 0x1E9E, 0x2126, 0x212A, 0x212B, 0x1F600]


@pytest.mark.parametrize("pattern", _GATED, ids=lambda p: p.pattern[:30])
def test_an_opening_gate_turns_away_only_what_the_pattern_would(pattern: re.Pattern[str]) -> None:
    gate = gates.OpeningGate(pattern)
    assert gate.opening is not None, "each of these patterns can be gated"
    for code in _GATE_CODES:
        for rest in ("", "o. 1-01-02-2023", "12-01-02-2023", "x", "ee also b", "yz", "Kk", " 1. x", "\n"):
            text = chr(code) + rest
            if pattern.match(text):
                assert gate.may_open(text), (pattern.pattern, text)
    assert not gate.may_open("") or pattern.match("")


def test_the_document_number_gate_turns_prose_away() -> None:
    number_line = profiles.MID_RU.number_line
    assert number_line is not None
    gate = gates.OpeningGate(number_line)
    assert [gate.may_open(t) for t in ("№ 517", "No. 5", "17-01", " 1", "The talks", "Question: x")] == [
        True,
        True,
        True,
        True,
        False,
        False,
    ]
    assert gates.OpeningGate(re.compile(r"\d*")).opening is None  # it may match nothing
