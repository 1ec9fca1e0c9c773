"""The reference transcript (mid.ru, 2022-02-01) must parse exactly.

Every expected value below was read off the source text by a person, not copied from the
parser's output: the date line "01.02.2022 19:46" (Moscow time, UTC+3 since 2014), the
number line "№ 132-01-02-2022", the headline, the two labels, and the fourth paragraph of
Lavrov's answer, whose cut-off first copy ("... other NATO countries for") is dropped.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import transcript_model
from transcript_model import Transcript, TurnKind

TITLE = (
    "Foreign Minister Sergey Lavrov's answer to a media question following his telephone "
    "conversation with US Secretary of State Antony Blinken, Moscow, February 1, 2022"
)


@pytest.fixture(scope="module")
def ref(seed_path: Path) -> Transcript:
    return transcript_model.read(seed_path)


def test_header(ref: Transcript) -> None:
    md = ref.metadata
    assert md.published == dt.datetime(2022, 2, 1, 19, 46, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert md.published is not None and md.published.utcoffset() == dt.timedelta(hours=3)
    assert md.published.isoformat() == "2022-02-01T19:46:00+03:00"
    assert md.number == "132-01-02-2022"
    assert md.title == TITLE
    assert md.source_url == "https://mid.ru/en/press_service/minister_speeches/1796663/"


def test_title_analysis(ref: Transcript) -> None:
    md = ref.metadata
    assert md.genre == "answer to a media question"
    assert md.place == "Moscow"
    assert md.event_date == dt.date(2022, 2, 1)
    assert md.language == "en"
    assert md.occasion == "following his telephone conversation with US Secretary of State Antony Blinken"
    assert md.publisher == "Ministry of Foreign Affairs of the Russian Federation"


def test_persons(ref: Transcript) -> None:
    lavrov = ref.person("sergey-lavrov")
    assert (lavrov.name, lavrov.role) == ("Sergey Lavrov", "Foreign Minister")
    assert [p.name for p in ref.metadata.mentioned] == ["Antony Blinken"]
    blinken = ref.metadata.mentioned[0]
    assert blinken.role == "US Secretary of State"
    assert blinken.affiliation == "United States"
    questioner = ref.person(ref.turns[0].speaker or "")
    assert questioner.anonymous and questioner.name is None
    assert {p.id for p in ref.participants} == {"questioner", "sergey-lavrov"}


def test_turns(ref: Transcript) -> None:
    assert [t.label for t in ref.turns] == ["Question", "Sergey Lavrov"]
    assert [len(t.paragraphs) for t in ref.turns] == [1, 5]
    assert [t.kind for t in ref.turns] == [TurnKind.QUESTION, TurnKind.ANSWER]
    assert ref.turns[1].speaker == "sergey-lavrov"
    assert ref.turns[0].paragraphs[0].text.startswith("Has Moscow responded to the Americans' written materials")
    fourth = ref.turns[1].paragraphs[3].text
    assert fourth.startswith("We are also concerned over the position of other NATO countries, for instance, France.")
    assert fourth.endswith("to familiarise them with our position.")
    assert ref.turns[1].paragraphs[4].text.startswith("Today, I reaffirmed to Secretary of State Antony Blinken")


def test_exactly_one_repair(ref: Transcript, seed_path: Path) -> None:
    assert len(ref.repairs) == 1
    r = ref.repairs[0]
    assert r.rule == "duplicated-broken-sentence"
    assert (r.turn, r.paragraph, r.start, r.end) == (1, 3, 0, 1)
    assert r.original == "We are also concerned over the position of other NATO countries for\n\nw"
    assert r.replacement == "W"
    source = transcript_model.read_text(seed_path)
    assert r.source.slice(source) == r.original
    assert ref.diagnostics == ()


def test_spans_point_into_the_source(ref: Transcript, seed_path: Path) -> None:
    source = transcript_model.read_text(seed_path)
    for block in ref.layout:
        assert block.span.slice(source) == block.text
    assert transcript_model.source_text(ref) == source
    for turn in ref.turns:
        assert turn.label_span is not None and turn.label_span.slice(source) == turn.label
        for para in turn.paragraphs:
            if not para.edits:
                assert para.span.slice(source) == para.text
            for edit in para.edits:
                assert edit.source.slice(source) == edit.original
