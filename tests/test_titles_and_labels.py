"""Headline analysis and speaker-label grammar, positive and negative cases."""

from __future__ import annotations

import datetime as dt

import pytest

from transcript_model.labels import find_label, label_key
from transcript_model.profiles import GENERIC, MID_RU, choose_profile
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
    assert split_person("Foreign Minister Sergey Lavrov", MID_RU) == PersonRef(
        "Sergey Lavrov", "Foreign Minister", None
    )
    assert split_person("US Secretary of State Antony Blinken", MID_RU) == PersonRef(
        "Antony Blinken", "US Secretary of State", "United States"
    )
    assert split_person("Maria Zakharova", MID_RU) == PersonRef("Maria Zakharova", None, None)
    assert split_person("Minister", MID_RU) is None


def test_find_people_needs_a_job_title() -> None:
    text = "talks with Deputy Foreign Minister Sergey Ryabkov and New York officials"
    assert [p.name for p in find_people(text, MID_RU)] == ["Sergey Ryabkov"]
    assert find_people("a visit to New York City", MID_RU) == []


def test_parse_title_genres() -> None:
    t = parse_title("Deputy Foreign Minister Sergey Ryabkov's interview with Izvestia, Moscow, May 5, 2021", MID_RU)
    assert t.genre == "interview"
    assert t.author == PersonRef("Sergey Ryabkov", "Deputy Foreign Minister", None)
    assert t.occasion == "with Izvestia"
    assert (t.place, t.date) == ("Moscow", dt.date(2021, 5, 5))
    t = parse_title("Press release on the visit of a delegation", MID_RU)
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
    ],
)
def test_labels_found(paragraph: str, label: str) -> None:
    found = find_label(paragraph, MID_RU)
    assert found is not None and found.text == label
    assert paragraph[found.end :].strip() == paragraph.split(":", 1)[1].strip()


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
    ],
)
def test_not_labels(paragraph: str) -> None:
    assert find_label(paragraph, MID_RU) is None


def test_surname_label_once_known() -> None:
    found = find_label("Lavrov: Yes.", MID_RU, frozenset({"Sergey Lavrov", "Lavrov"}))
    assert found is not None and found.name == "Lavrov"


def test_label_key() -> None:
    assert label_key("Question (retranslated)") == "question"
    assert label_key("MS. PSAKI") == "ms psaki"


def test_profile_choice() -> None:
    assert choose_profile("01.02.2022 19:46\n\n№ 132-01-02-2022\n\nTitle").name == "mid.ru"
    assert choose_profile("see https://mid.ru/en/foreign_policy/news/1/").name == "mid.ru"
    assert choose_profile("Remarks by the President") is GENERIC
    assert choose_profile("anything", "generic") is GENERIC
    with pytest.raises(ValueError, match=r"unknown profile 'nope'; known profiles: generic, mid\.ru"):
        choose_profile("anything", "nope")
