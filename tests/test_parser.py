"""The parser's stages on texts written for the purpose: header, trailer, turns, persons,
and input it does not understand (diagnostics, never a crash)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from conftest import EXAMPLE, SHARED, WRITTEN
from hypothesis import example, given, settings
from hypothesis import strategies as st

import exporters
import transcript_model
from exporters.validation import errors
from transcript_model import BlockKind, Severity, TurnKind, UnreadableInputError
from transcript_model.reading import normalise_newlines, remove_xml_forbidden
from transcript_model.webpage import looks_like_html, render

HEADER = "\n\n05.05.2021 11:30\n\n№ 900-05-05-2021\n\n"


def test_header_blocks_and_kinds() -> None:
    text = (
        HEADER + "Deputy Foreign Minister Sergey Ryabkov's interview with Izvestia, Moscow, May 5, 2021\n\n"
        "Question: Is a summit possible?\n\nSergey Ryabkov: Anything is possible.\n\n"
        "https://mid.ru/en/foreign_policy/news/123/"
    )
    t = transcript_model.parse(text)
    kinds = [b.kind for b in t.layout if b.kind is not BlockKind.GAP]
    assert kinds == [
        BlockKind.DATELINE,
        BlockKind.NUMBER,
        BlockKind.TITLE,
        BlockKind.LABEL,
        BlockKind.LABEL,
        BlockKind.TRAILER,
    ]
    assert transcript_model.source_text(t) == text
    md = t.metadata
    assert md.published == dt.datetime(2021, 5, 5, 11, 30, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert md.number == "900-05-05-2021"
    assert md.genre == "interview"
    assert md.source_url == "https://mid.ru/en/foreign_policy/news/123/"
    assert t.person("sergey-ryabkov").role == "Deputy Foreign Minister"
    assert t.profile == "mid.ru"


def test_moscow_time_before_2014_was_utc_plus_4() -> None:
    t = transcript_model.parse("\n01.02.2013 10:00\n\n№ 1-01-02-2013\n\nTitle\n\nQuestion: Why?")
    assert t.metadata.published is not None
    assert t.metadata.published.utcoffset() == dt.timedelta(hours=4)


def test_unlabelled_paragraphs_continue_the_turn() -> None:
    t = transcript_model.parse("Title line\n\nQuestion: One?\n\nMaria Zakharova: First.\n\nSecond.\n\nThird.")
    assert [len(turn.paragraphs) for turn in t.turns] == [1, 3]
    assert t.turns[1].kind is TurnKind.ANSWER


def test_colon_inside_a_sentence_is_not_a_turn() -> None:
    t = transcript_model.parse(
        "Title\n\nSergey Lavrov: We said the following.\n\nThe minister put it plainly: no deal.\n\nQuestion: Why?"
    )
    assert [turn.label for turn in t.turns] == ["Sergey Lavrov", "Question"]
    assert len(t.turns[0].paragraphs) == 2


def test_one_person_across_label_variants() -> None:
    t = transcript_model.parse(
        "Title\n\nPresident of Russia Vladimir Putin: Good afternoon.\n\nQuestion: A question.\n\n"
        "Vladimir Putin: An answer.\n\nPutin: A short label."
    )
    speakers = [turn.speaker for turn in t.turns]
    assert speakers == ["vladimir-putin", "questioner", "vladimir-putin", "vladimir-putin"]
    assert t.person("vladimir-putin").role == "President of Russia"
    assert [turn.kind for turn in t.turns] == [
        TurnKind.STATEMENT,
        TurnKind.QUESTION,
        TurnKind.ANSWER,
        TurnKind.STATEMENT,
    ]


def test_monologue_is_one_turn_by_the_author() -> None:
    t = transcript_model.parse(
        "Foreign Minister Sergey Lavrov's statement on the anniversary, Moscow, June 1, 2021\n\n"
        "Today we mark an anniversary.\n\nIt matters to us all."
    )
    assert len(t.turns) == 1
    assert t.turns[0].speaker == "sergey-lavrov" and t.turns[0].label is None
    assert t.turns[0].kind is TurnKind.STATEMENT and len(t.turns[0].paragraphs) == 2
    assert t.diagnostics == ()


def test_monologue_without_known_author_is_unattributed() -> None:
    t = transcript_model.parse("Press release\n\nThe ministry announces a visit.\n\nDetails follow.")
    assert len(t.turns) == 1 and t.turns[0].speaker is None and t.participants == ()


def test_text_before_the_first_label_is_flagged() -> None:
    t = transcript_model.parse("Title\n\nSome introduction.\n\nQuestion: Why?\n\nMaria Zakharova: Because.")
    assert t.turns[0].speaker is None
    assert [d.code for d in t.diagnostics] == ["unattributed-text"]
    assert t.diagnostics[0].line == 3


def test_bad_date_line_is_a_diagnostic() -> None:
    t = transcript_model.parse("\n31.02.2022 19:46\n\n№ 1-31-02-2022\n\nTitle\n\nQuestion: Why?")
    assert t.metadata.published is None
    (d,) = t.diagnostics
    assert d.code == "bad-date" and d.severity is Severity.WARNING and d.line == 2


def test_gibberish_gives_diagnostics_not_a_crash() -> None:
    t = transcript_model.parse("\n".join(["::::", "1234", "\u2028 \u2029", "x" * 5000]))
    assert isinstance(t, transcript_model.Transcript)


def test_header_only_is_a_diagnostic() -> None:
    t = transcript_model.parse("01.02.2022 19:46")
    assert t.turns == ()
    assert {d.code for d in t.diagnostics} == {"no-title", "no-body"}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
@example("<!DOCTYPE HTML")  # found by hypothesis: an HTML page with no document in it
def test_any_text_parses_to_valid_exports_or_raises_the_one_exception(text: str) -> None:
    try:
        t = transcript_model.parse(text)
    except UnreadableInputError:
        return
    assert errors(exporters.validate_tei(exporters.to_tei(t))) == []
    assert errors(exporters.validate_jsonld(exporters.to_jsonld(t))) == []
    assert transcript_model.source_text(t) == normalised(text)


def normalised(text: str) -> str:
    text = normalise_newlines(text)
    return remove_xml_forbidden(render(text) if looks_like_html(text) else text)[0]


def test_a_line_may_open_a_date_line_where_the_pattern_says() -> None:
    """The verdict kept per first two characters is the pattern's, for every character of the
    first planes and those case folding relates to Latin and Cyrillic letters, each followed
    by the second letters of the months (in both cases) and others, whichever is asked first;
    and every date line opens as the pattern says."""
    from transcript_model import dates  # noqa: PLC0415

    codes = [*range(0x3000), *range(0x1C80, 0x1C90), 0x1E9E, 0x2126, 0x212A, 0x212B, 0xFB05, 0xFB06, 0x1F600]
    seconds = sorted({m[1] for m in dates.MONTHS} | {m[1].upper() for m in dates.MONTHS} | set("1 .xſ\u1c82"))
    dates._OPENS_DATE_LINE.clear()
    try:
        for code in [*codes, *reversed(codes)]:  # asked once to keep, then kept
            for second in seconds if chr(code).isalpha() else "1":
                text = chr(code) + second + "1 March"
                assert dates._may_open_date_line(text) == (dates._DATE_LINE_START.match(text) is not None), text
        for text in ("5", "J", "", "ſeptember 1, 2020", "ОКТЯБРЯ"):  # shorter than two, and folded
            assert dates._may_open_date_line(text) == (dates._DATE_LINE_START.match(text) is not None), text
        assert not dates._may_open_date_line("")
    finally:
        dates._OPENS_DATE_LINE.clear()


def test_date_without_time_is_a_date() -> None:
    t = transcript_model.parse("\n01.02.2022\n\n№ 1-01-02-2022\n\nTitle\n\nQuestion: Why?")
    assert t.metadata.published == dt.date(2022, 2, 1)
    assert not isinstance(t.metadata.published, dt.datetime)


def test_event_date_is_only_what_the_title_prints() -> None:
    t = transcript_model.parse("\n01.02.2022 10:00\n\n№ 1-01-02-2022\n\nStatement by the Ministry\n\nText.")
    assert t.metadata.event_date is None and t.metadata.place is None


@pytest.mark.parametrize("name", ["Priѐce Smith", "Ĳsbrand Ŀlop", "Ѐмма Ѝванова", "Ⅻ King", "ǅemal Bijedić"])
def test_person_ids_are_xml_names(name: str) -> None:
    """Found by fuzzing: U+0450 is a Cyrillic letter libxml2 does not accept in an XML name."""
    t = transcript_model.parse(f"Title\n\n{name}: Hello.\n\nQuestion: Why?")
    assert errors(exporters.validate_tei(exporters.to_tei(t))) == []


def test_historic_zone_offsets_export_as_utc() -> None:
    """Found by fuzzing: in 1011 Moscow kept local mean time, UTC+02:30:17, which ISO 8601
    cannot write; the instant is written in UTC instead."""
    t = transcript_model.parse("14.03.1011 16:05\n\n№ 517-14-03-1011\n\nTitle\n\nQuestion: Why?")
    tei = exporters.to_tei(t)
    assert b'when="1011-03-14T13:34:43+00:00"' in tei
    assert errors(exporters.validate_tei(tei)) == [] and exporters.from_tei(tei) == t


def test_malformed_url_is_not_taken_as_the_source() -> None:
    """Found by fuzzing: "[" is not allowed in a URL path, so such a line is not a URL."""
    t = transcript_model.parse("Title\n\nQuestion: Why?\n\nhttps://www.mid.ru/en/asset_p[blisher/1")
    assert t.metadata.source_url is None
    assert errors(exporters.validate_tei(exporters.to_tei(t))) == []
    assert errors(exporters.validate_jsonld(exporters.to_jsonld(t))) == []


@settings(max_examples=1500, deadline=None)
@example("Source: https://www.mid.ru/en/1")
@example(" www.example.org/x. ")
@example("Link: http://example.org/a")
@example("Ссылка на материал:\n https://mid.ru/x")
@given(
    st.lists(
        st.sampled_from(
            [
                "http",
                "s",
                "://",
                "www",
                ".",
                "Source:",
                "http://",
                "https://",
                "www.example.org",
                "URL:",
                " ",
                "\n",
                "a",
                "/",
                "[",
                "ht",
                "example.org",
                "Ссылка на материал:",
                "Ссылка на материал",
                "Link:",
                "Link",
                "Source",
                ":",
                "\t",
                "\u00a0",
                "\u2028",
            ]
        )
    ).map("".join)
)
def test_a_url_line_is_what_the_pattern_says(text: str) -> None:
    """The openings that spare most blocks the URL pattern change no answer."""
    from transcript_model.layout import _URL_LINE, url_of, valid_url  # noqa: PLC0415

    m = _URL_LINE.fullmatch(text.strip())
    url = None if m is None else m["url"].rstrip(".,;)")
    assert url_of(text) == (None if url is None else valid_url(url if url.startswith("http") else "https://" + url))


def test_mojibake_repair_never_produces_xml_forbidden_characters() -> None:
    """Found by hypothesis: ftfy reads "À\\n" as UTF-8 and gets a NUL; that fix is not taken."""
    t = transcript_model.parse("à\xa0\x80À\n0")
    assert "\x00" not in t.turns[0].paragraphs[0].text
    assert errors(exporters.validate_tei(exporters.to_tei(t))) == []


# --- the document's vocabulary, for hyphenation -------------------------------------------------


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="ab- \n\tЯé_1’'-", max_size=30))
@example("an inter-\nnational self-\n  defence, a-\nb-\nc")
@example("a-\nb-\nc d-\n e")
def test_line_end_splits_are_removed_as_the_pattern_removes_them(text: str) -> None:
    from transcript_model.parsing import _LINE_END_SPLIT, without_line_end_splits  # noqa: PLC0415

    assert without_line_end_splits(text) == _LINE_END_SPLIT.sub(" ", text)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="ab- \n\tЯé_1’'-", max_size=30))
def test_words_are_what_the_two_alternatives_find(text: str) -> None:
    import re  # noqa: PLC0415

    from transcript_model.parsing import _WORDS  # noqa: PLC0415

    assert _WORDS.findall(text) == re.findall(r"\w+(?:-\w+)+|\w+", text)


# --- publisher signatures, said from the start of the text ---------------------------------------

OLD_SIGNATURES = {  # as first written: the same verdicts, found by trying every character
    "mid.ru": re.compile(
        r"^\s*https?://(?:www\.)?mid\.ru/\S*\s*$|^\s*№\s*\d+-\d{2}-\d{2}-\d{4}\s*$|^\s*\d{3,5}-\d{2}-\d{2}-\d{4}\s*$",
        re.M,
    ),
    "kremlin.ru": re.compile(
        r"\A(?:[^\n]*\n){0,12}?\s*(?:January|February|March|April|May|June|July|August|September|October|November"
        r"|December) \d{1,2}, \d{4}\n\n\d{1,2}:\d{2}\n|kremlin\.ru/",
    ),
}
SIGNATURE_PIECES = [
    "\n", "\n\n", " ", "\t", "a", "1", "-", "№", "№ ", "mid.ru/", "https://", "http://www.", "kremlin.ru/",
    "March 3, 2024\n\n12:30\n", "132-01-02-2022", "12-01-02-2022", "x\n", "Title\n",
]  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(SIGNATURE_PIECES), max_size=16).map("".join))
@example("\n\n  № 132-01-02-2022  \n")
@example("see en.kremlin.ru/events")
def test_signatures_give_the_verdicts_of_their_first_form(text: str) -> None:
    from transcript_model.profiles import PROFILES  # noqa: PLC0415

    for name, old in OLD_SIGNATURES.items():
        signature = PROFILES[name].signature
        assert signature is not None
        assert (signature.search(text) is not None) == (old.search(text) is not None), (name, text)


# --- a block that repeats the title -----------------------------------------------------------

# characters whose case folding grows (ß, ﬁ) or adds a combining mark (İ, ǰ), word and not
TITLE_PIECES = [*"ß SS ss s İ i̇ ǰ J̌ ﬁ fi _ 1 Ё ё ’ . : a A".split(), " ", "\n"]


@settings(max_examples=3000, deadline=None)
@given(*[st.lists(st.sampled_from(TITLE_PIECES), max_size=8).map("".join)] * 2)
@example("ß title", "SS TITLE")
@example("...", "")
@example("ǰa", "J̌A")
def test_the_title_check_gives_the_verdict_of_comparing_normalised_texts(text: str, title: str) -> None:
    from transcript_model.layout import _normalised, _same_as_title  # noqa: PLC0415

    assert _same_as_title(text, title) == (_normalised(text) == _normalised(title)), (text, title)
    assert not _same_as_title(text, None)


# --- the language, from the letters -------------------------------------------------------------

LETTER_PIECES = ["a", "Z", "Я", "ё", "Ѐ", "ӿ", "Ԁ", "\u00d0", "é", "1", " ", "€", "😀", "\ud800", "ß", "\n"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(LETTER_PIECES), max_size=12).map("".join))
@example("Сергей Лавров: Good")
def test_the_language_is_the_script_with_more_letters(text: str) -> None:
    from transcript_model.parsing import detect_language  # noqa: PLC0415

    latin = len(re.findall(r"[A-Za-z]", text))
    cyrillic = len(re.findall(r"[\u0400-\u04ff]", text))
    expected = None if latin == cyrillic == 0 else "ru" if cyrillic > latin else "en"
    assert detect_language(text) == expected, text


# --- several texts a stage at a time ---------------------------------------------------------


def _batch_texts() -> list[tuple[str, str | None]]:
    """Texts we wrote (a header and turns with repairs to make, HTML, front matter, a
    monologue, no label at all), unreadable ones between them, and the development corpus
    where it is present."""
    texts: list[tuple[str, str | None]] = [(t, f"written-{k}.txt") for k, t in enumerate(WRITTEN)]
    texts += [
        (EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE)),
        ("", "empty.txt"),
        ("Title\n\nQuestion: Why?\n\nSergey Lavrov: We will insist on honest\n\nwe will insist on honest talks.", None),
        ("a\x00b", "binary.txt"),
        ("<html><body><h1>Talks</h1><p>Question: Why?</p><p>Sergey Lavrov: Because.</p></body></html>", "p.html"),
        ("---\ntitle: Talks\nsource_url: https://mid.ru/x\n---\n\nQuestion: Why?\n\nMaria Zakharova: Yes.", "f.md"),
        ("   \n\n  ", "blank.txt"),
        ("Statement by the Minister\n\nWe are concerned.\n\nWe call on all sides.", "monologue.txt"),
    ]
    corpus = SHARED / "corpus"
    if corpus.is_dir():
        texts += [(p.read_text(encoding="utf-8"), str(p)) for p in sorted(corpus.rglob("*.txt"))[:40]]
    return texts


@pytest.mark.parametrize(
    "options",
    [{}, {"repairs": ["duplicated-broken-sentence", "hyphenation"]}, {"profile": "kremlin.ru"}, {"repairs": []}],
)
def test_a_batch_parses_each_text_as_parse_does_alone(options: dict[str, object]) -> None:
    texts = _batch_texts()
    batch = transcript_model.parse_batch(texts, **options)  # type: ignore[arg-type]
    assert len(batch) == len(texts)
    for (text, source), (got, seconds) in zip(texts, batch, strict=True):
        assert seconds > 0
        try:
            alone = transcript_model.parse(text, source=source, **options)  # type: ignore[arg-type]
        except UnreadableInputError as exc:
            assert isinstance(got, UnreadableInputError)
            assert (got.reason, got.line, got.source) == (exc.reason, exc.line, exc.source)
        else:
            assert got == alone
    kinds = [type(r).__name__ for r, _ in batch[:13]]
    assert kinds.count("UnreadableInputError") == 3  # empty, binary, blank


def test_a_batch_with_an_unknown_rule_raises_at_once() -> None:
    with pytest.raises(ValueError, match="unknown repair rule"):
        transcript_model.parse_batch([("", "empty.txt")], repairs=["no-such-rule"])
    # alone, an empty text is unreadable before its rules are looked at, as it always was
    with pytest.raises(UnreadableInputError):
        transcript_model.parse("", repairs=["no-such-rule"])
    assert transcript_model.parse_batch([]) == []
