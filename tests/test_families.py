"""The publisher families, on documents we wrote in their shapes (tests/data/fixtures).

Every expected value was read off the fixture by the person who wrote it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import exporters
import transcript_model
from transcript_model import BlockKind, Transcript, TurnKind

FIXTURES = Path(__file__).resolve().parent / "data" / "fixtures"
MSK3 = dt.timezone(dt.timedelta(hours=3))


def read(name: str) -> Transcript:
    return transcript_model.read(FIXTURES / name)


def speakers(t: Transcript) -> list[str | None]:
    return [t.person(turn.speaker).name or t.person(turn.speaker).role if turn.speaker else None for turn in t.turns]


def firsts(t: Transcript, n: int = 3) -> list[str]:
    return [" ".join(turn.paragraphs[0].text.split()[:n]) for turn in t.turns]


def test_mid_web_page_with_site_chrome() -> None:
    t = read("mid_web_page.txt")
    md = t.metadata
    assert t.profile == "mid.ru"
    assert md.published == dt.datetime(2020, 1, 17, 22, 30, tzinfo=MSK3)  # "17 January 202022:30"
    assert md.title is not None and md.title.startswith("Foreign Minister Sergey Lavrov’s remarks and answers")
    assert (md.place, md.event_date) == ("Moscow", dt.date(2020, 1, 17))
    assert (
        md.source_url == "https://www.mid.ru/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/1234567"
    )
    chrome = [b.text for b in t.layout if b.kind is BlockKind.CHROME]
    assert chrome == [
        "de-DE1 en-GB1 es-ES1 ru-RU1 fr-FR1",
        "Asset Publisher",
        "Advanced settings",
        "View settings",
        "Font size:",
    ]
    # the opening remarks carry no label: they are the headline author's
    assert speakers(t) == ["Sergey Lavrov", "questioner", "Sergey Lavrov", "Anna Novak", "questioner", "Sergey Lavrov"]
    assert firsts(t) == [
        "Ladies and gentlemen,",
        "Minister, what did",
        "We agreed to",
        "I can confirm",
        "Did you discuss",
        "Of course. Note:",
    ]
    assert t.person("anna-novak").role == "Foreign Minister of Ruritania"
    assert t.diagnostics == ()


def test_mid_briefing_with_time_above_headline_and_contents() -> None:
    t = read("mid_briefing.txt")
    md = t.metadata
    assert md.published == dt.datetime(2024, 5, 15, 13, 6, tzinfo=MSK3)
    assert md.number == "885-15-05-2024"
    assert md.genre == "briefing"
    assert speakers(t) == ["Maria Zakharova", "questioner", "Maria Zakharova", "questioner", "Maria Zakharova"]
    # the table of contents is chrome; the text starts at the first heading printed again
    assert t.turns[0].paragraphs[0].text == "Foreign Minister Sergey Lavrov’s schedule"
    assert [p.text for p in t.turns[0].paragraphs][-2:] == [
        "The conference will open next week. We expect delegations from more than twenty countries.",
        "Answers to media questions:",
    ]
    assert [turn.kind for turn in t.turns][:3] == [TurnKind.STATEMENT, TurnKind.QUESTION, TurnKind.ANSWER]


def test_unknown_publisher_goes_through_the_generic_profile() -> None:
    t = read("state_department.txt")
    md = t.metadata
    assert t.profile == "generic"
    assert md.title == "Department Press Briefing – March 1, 2022"
    assert md.published == dt.datetime(2022, 3, 1, 14, 16, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    assert md.place == "Washington, DC"
    assert md.lead == "Ned Price, Department Spokesperson"
    assert speakers(t) == ["Ned Price", "questioner", "Ned Price", "questioner", "Ned Price"]
    assert t.person("ned-price").role == "Department Spokesperson"
    last = t.turns[-1].paragraphs
    assert [(i.kind, i.text) for i in last[0].incidents] == [("vocal", "(Laughter.)")]
    assert [(i.kind, i.text) for i in last[1].incidents] == [("incident", "(The briefing was concluded at 2:58 p.m.)")]


def test_white_house_page_saved_as_text() -> None:
    t = read("whitehouse_saved_page.txt")
    md = t.metadata
    assert md.title == "Press Briefing by Press Secretary Jen Psaki, January 3, 2022"
    assert md.place == "James S. Brady Press Briefing Room"
    assert md.published == dt.datetime(2022, 1, 3, 13, 5, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    assert speakers(t) == ["Jen Psaki", "questioner", "Jen Psaki", "questioner", "Jen Psaki"]
    assert [turn.label for turn in t.turns] == ["MS. PSAKI", "Q", "MS. PSAKI", "Q", "MS. PSAKI"]
    kinds = {b.text.split()[0] for b in t.layout if b.kind in (BlockKind.CHROME, BlockKind.TRAILER)}
    assert kinds == {"An", "END"}


def test_white_house_front_matter() -> None:
    text = (
        "---\ndate: '2023-05-02'\npublished_time: 2023-05-02 18:00:00-04:00\n"
        "source_url: https://www.whitehouse.gov/briefing-room/press-briefings/2023/05/02/x/\n"
        'title: "Press Briefing by Press Secretary Karine\\_Jean-Pierre"\n---\n \n'
        "James S. Brady Press Briefing Room\n\n2:32 P.M. EDT\n\nMS. JEAN-PIERRE:  Good afternoon.\n\n"
        "Q    Thank you, Karine.\n\nMS. JEAN-PIERRE:  You're welcome.\n\n3:30 P.M. EDT\n"
    )
    t = transcript_model.parse(text)
    md = t.metadata
    assert t.profile == "whitehouse.gov"
    assert md.title == "Press Briefing by Press Secretary Karine\u00a0Jean-Pierre"  # YAML's "\_" is a no-break space
    assert md.published == dt.datetime(2023, 5, 2, 18, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    assert md.event_start == dt.datetime(2023, 5, 2, 14, 32, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    assert md.place == "James S. Brady Press Briefing Room"
    assert speakers(t) == ["Karine Jean-Pierre", "questioner", "Karine Jean-Pierre"]


def test_telegram_post() -> None:
    t = read("telegram_post.txt")
    md = t.metadata
    assert t.profile == "mfa-telegram"
    assert md.title == (
        "Russian Deputy Foreign Minister Sergey Ryabkov's answers to questions from Kommersant newspaper "
        "(Moscow, April 2, 2026)"
    )
    assert (md.place, md.event_date, md.published) == ("Moscow", dt.date(2026, 4, 2), None)
    assert speakers(t) == ["questioner", "Sergey Ryabkov", "questioner", "Sergey Ryabkov"]
    assert [turn.label for turn in t.turns] == ["Question", "Sergey Ryabkov", None, "Sergey Ryabkov"]
    # emoji markers are decoration: the paragraph's span starts after them
    para = t.turns[1].paragraphs[1]
    source = transcript_model.read_text(FIXTURES / "telegram_post.txt")
    assert para.text == "We have set out our position many times."
    assert source[para.span.start - 2 : para.span.start] == "👉 "
    assert t.person("sergey-ryabkov").role == "Russian Deputy Foreign Minister"


def test_kremlin_russian_one_line_scrape() -> None:
    t = read("kremlin_ru_one_line.txt")
    md = t.metadata
    assert t.profile == "kremlin.ru-scrape"
    assert md.title == "Встреча с руководителем Росморречфлота"
    assert (
        md.lead
        == "Президент провёл рабочую встречу с руководителем Федерального агентства морского и речного транспорта."
    )
    assert md.published == dt.datetime(2026, 4, 5, 14, 30, tzinfo=MSK3)
    assert md.place == "Ново-Огарёво, Московская область"
    assert md.language == "ru"
    assert md.source_url == "http://kremlin.ru/d/99999"
    assert speakers(t) == ["В.Путин", "И.Петров", "В.Путин", "И.Петров", "questioner", "В.Путин"]
    assert t.turns[3].paragraphs[0].incidents[0].text == "(Смех.)"
    assert t.turns[-1].paragraphs[0].text == "Спасибо."  # the page's trailer is not part of the turn


def test_kremlin_page_from_html_structure() -> None:
    t = read("kremlin_page.html")
    md = t.metadata
    assert md.title == "Meeting with the Governor of the Northern Region"
    assert md.lead == "Vladimir Putin had a meeting with Governor of the Northern Region Ivan Sidorov."
    assert md.published == dt.datetime(2021, 11, 5, 16, 40, tzinfo=MSK3)
    assert md.place == "Novo-Ogaryovo, Moscow Region"
    assert md.source_url == "http://en.kremlin.ru/events/president/news/99001"
    assert speakers(t) == ["Vladimir Putin", "Ivan Sidorov", "Vladimir Putin", "Ivan Sidorov"]
    assert t.person("ivan-sidorov").role == "Governor of the Northern Region"
    assert [len(turn.paragraphs) for turn in t.turns] == [1, 2, 1, 1]
    text = "\n".join(p.text for turn in t.turns for p in turn.paragraphs)
    for chrome in ("tracking", "See also", "Trip to the Northern Region", "Sidorov Ivan", "Creative Commons", "Events"):
        assert chrome not in text
    assert t.turns[0].paragraphs[0].text == "Mr Sidorov, how is the region preparing for the winter?"


def test_markdown_repost_with_quoted_transcript() -> None:
    text = (
        '---\ntitle: "Lavrov on talks"\ndate: 2021-03-01\nlang: en\n---\n\n'
        "The minister spoke to the press after the talks.\n\n"
        "> Ladies and gentlemen, the talks were useful.\n\n"
        "> Question: What comes next?\n\n"
        "> Sergey Lavrov: More talks.\n"
    )
    t = transcript_model.parse(text)
    assert t.metadata.title == "Lavrov on talks" and t.metadata.published == dt.date(2021, 3, 1)
    assert speakers(t) == [None, None, "questioner", "Sergey Lavrov"]
    assert firsts(t, 2) == ["The minister", "Ladies and", "What comes", "More talks."]


def test_monologue_statement_has_no_invented_speaker() -> None:
    text = (
        "21.05.2022 13:45\nЗаявление МИД России о мерах\n\n1080-21-05-2022\n"
        "В ответ на действия властей вводятся меры.\n\nПеречень прилагается."
    )
    t = transcript_model.parse(text)
    assert t.metadata.title == "Заявление МИД России о мерах"
    assert t.metadata.number == "1080-21-05-2022"
    assert len(t.turns) == 1 and t.turns[0].speaker is None and t.participants == ()
    assert [p.text for p in t.turns[0].paragraphs] == [
        "В ответ на действия властей вводятся меры.",
        "Перечень прилагается.",
    ]


def test_three_hundred_turn_press_conference() -> None:
    parts = ["Annual news conference, Moscow, December 19, 2025"]
    for i in range(150):
        parts.append(f"Question: Question number {i} about the economy and the budget?")
        parts.append(f"Vladimir Putin: Answer number {i}. The budget is balanced.")
    t = transcript_model.parse("\n\n".join(parts))
    assert len(t.turns) == 300
    assert {turn.speaker for turn in t.turns} == {"questioner", "vladimir-putin"}
    assert t.turns[299].paragraphs[0].text == "Answer number 149. The budget is balanced."
    assert exporters.validate_tei(exporters.to_tei(t)) == []


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_fixture_exports_are_valid(name: str) -> None:
    t = read(name)
    assert exporters.validate_tei(exporters.to_tei(t)) == []
    assert exporters.validate_jsonld(exporters.to_jsonld(t)) == []
