"""The development corpus (../shared/corpus): accuracy against our hand annotations, and
every document exported valid against the bundled schemas and the official tei_all."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from conftest import REPO, SHARED, need
from lxml import etree

import exporters
import transcript_model
from exporters.validation import RelaxNGValidator

CORPUS = SHARED / "corpus"


def _load_harness():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("accuracy", REPO / "benchmarks" / "accuracy.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["accuracy"] = module
    spec.loader.exec_module(module)
    return module


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.glob("*/*") if p.suffix in (".txt", ".html"))


@pytest.fixture(scope="module")
def scores():  # type: ignore[no-untyped-def]
    need(CORPUS, "development corpus")
    harness = _load_harness()
    families, problems = harness.evaluate(CORPUS, REPO / "tests" / "data" / "corpus_annotations.json")
    total = harness.Score()
    for s in families.values():
        total.add(s)
    return total, families, problems


def test_turn_boundaries(scores) -> None:  # type: ignore[no-untyped-def]
    total, _, problems = scores
    assert total.f1 >= 0.98, problems


def test_speaker_attribution(scores) -> None:  # type: ignore[no-untyped-def]
    total, _, problems = scores
    assert total.speaker_accuracy >= 0.98, problems


@pytest.mark.parametrize("field", ["title", "date", "time", "place", "language"])
def test_metadata_fields(scores, field: str) -> None:  # type: ignore[no-untyped-def]
    total, _, problems = scores
    assert total.field_accuracy(field) >= 0.95, problems


def test_every_family_is_scored(scores) -> None:  # type: ignore[no-untyped-def]
    _, families, _ = scores
    assert set(families) >= {
        "kremlin_en",
        "kremlin_en (html)",
        "kremlin_ru",
        "mfa_telegram_en",
        "mid_statement",
        "whitehouse",
        "un_general_debate",
        "blog_repost",
    }


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_document_exports_validate(path: Path) -> None:
    t = transcript_model.read(path)
    assert exporters.validate_tei(exporters.to_tei(t)) == []
    assert exporters.validate_jsonld(exporters.to_jsonld(t)) == []


@pytest.mark.slow
def test_corpus_exports_valid_against_tei_all(tei_all: RelaxNGValidator) -> None:
    files = corpus_files()
    if not files:
        pytest.skip(f"development corpus not found at {CORPUS}")
    for path in files:
        tree = etree.fromstring(exporters.to_tei(transcript_model.read(path))).getroottree()
        assert tei_all.validate(tree) == [], path.name


def test_harness_scores_a_wrong_parse_as_wrong() -> None:
    """The harness itself can fail: a parse with a turn missing and a wrong speaker scores low."""
    harness = _load_harness()
    gold = {
        "family": "x",
        "title": "Sky talk",
        "date": None,
        "time": None,
        "place": None,
        "language": "en",
        "speakers": [],
        "turns": [
            {"speaker": "questioner", "first": "Why is the sky blue"},
            {"speaker": "Sergey Lavrov", "first": "Because of the scattering"},
            {"speaker": "questioner", "first": "And the sea too"},
        ],
    }
    t = transcript_model.parse(
        "Sky talk\n\nQuestion: Why is the sky blue?\n\nMaria Zakharova: Because of the scattering."
    )
    s, problems = harness.score_document(t, gold)
    assert (s.matched, s.gold_turns, s.predicted_turns, s.speakers_right) == (2, 3, 2, 1)
    assert s.fields_right["title"] == 1 and s.fields_right["language"] == 1
    assert any("speaker" in p for p in problems)
