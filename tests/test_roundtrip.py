"""Lossless round trips: model → TEI → model, model → JSON-LD → model, and the source text
rebuilt from the model and from the TEI alone."""

from __future__ import annotations

import itertools
import json
import random
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE, REPO, SHARED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import exporters
import transcript_model
from exporters.tei import serialise_tei
from exporters.validation import parse_xml
from transcript_model import read_text
from transcript_model.repairs import apply_plan
from transcript_model.webpage import looks_like_html, render

sys.path.insert(0, str(REPO / "benchmarks"))
from artifacts import ALL_RULES, OWN_TURNS, inject
from repairs import run

FIXTURES = REPO / "tests" / "data" / "fixtures"


def documents() -> list[Path]:
    own = [EXAMPLE, *sorted(FIXTURES.iterdir())]
    corpus = SHARED / "corpus"
    if corpus.is_dir():
        own += sorted(p for p in corpus.glob("*/*") if p.suffix in (".txt", ".html"))
    seed = SHARED / "seed" / "000_7df60b9e8ee4961f.txt"
    return [*own, seed] if seed.exists() else own


def source_of(path: Path) -> str:
    text = read_text(path)
    return render(text) if looks_like_html(text) else text


@pytest.mark.parametrize("path", documents(), ids=lambda p: p.name)
def test_round_trips(path: Path) -> None:
    t = transcript_model.read(path)
    tei = exporters.to_tei(t)
    assert serialise_tei(parse_xml(tei)) == tei  # written as text, it is what lxml writes
    assert exporters.from_tei(tei) == t
    doc = json.loads(json.dumps(exporters.to_jsonld(t)))  # through real JSON text
    assert exporters.from_jsonld(doc) == t
    source = source_of(path)
    assert transcript_model.source_text(t) == source
    assert transcript_model.source_text(exporters.from_tei(tei)) == source  # from the TEI alone
    replayed = apply_plan(source, t.repairs)
    pos = 0
    for turn in t.turns:  # every repaired paragraph is in the replayed text, in order
        for para in turn.paragraphs:
            found = replayed.find(para.text, pos)
            assert found != -1, para.text[:60]
            pos = found + len(para.text)


def test_readers_refuse_other_documents() -> None:
    with pytest.raises(exporters.TeiReadError):
        exporters.from_tei(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/></TEI>')
    with pytest.raises(exporters.TeiReadError):
        exporters.from_tei(b"<html/>")
    with pytest.raises(exporters.JsonLdReadError):
        exporters.from_jsonld({"@context": "https://schema.org/", "name": "x"})
    doc = exporters.to_jsonld(transcript_model.read(EXAMPLE))
    doc["layout"] = [piece for piece in doc["layout"] if piece.get("ref") != "#u2.p1"]
    with pytest.raises(exporters.JsonLdReadError):
        exporters.from_jsonld(doc)


SPEAKERS = ["Sergey Lavrov", "Maria Zakharova", "Question", "Anna Novak"]
WORDS = "the talks were useful and we agreed on consultations about trade visas security cooperation".split()
ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split()


@st.composite
def clean_transcripts(draw: st.DrawFn) -> list[tuple[str, list[str]]]:
    """Random turns of random sentences built from plain words; each paragraph opens with
    its own ordinal, so no paragraph repeats another (a real repeat is what a repair drops)."""
    turns = []
    ordinals = iter(ORDINALS)
    for _ in range(draw(st.integers(1, 4))):
        label = draw(st.sampled_from(SPEAKERS))
        paragraphs = []
        for _ in range(draw(st.integers(1, 3))):
            sentences = []
            for _ in range(draw(st.integers(1, 3))):
                words = draw(st.lists(st.sampled_from(WORDS), min_size=4, max_size=14))
                sentences.append(" ".join(words).capitalize() + ".")
            paragraphs.append(
                next(ordinals).capitalize() + ", " + " ".join(sentences)[0].lower() + " ".join(sentences)[1:]
            )
        turns.append((label, paragraphs))
    return turns


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(clean_transcripts(), st.integers(0, 10**6))
def test_damaged_transcripts_repair_back_and_round_trip(turns: list[tuple[str, list[str]]], seed: int) -> None:
    sample = inject(turns, random.Random(seed), rules=ALL_RULES, rate=0.7)
    t = transcript_model.parse(sample.text)
    assert [[p.text for p in turn.paragraphs] for turn in t.turns] == [paras for _, paras in turns]
    assert exporters.from_tei(exporters.to_tei(t)) == t
    assert exporters.from_jsonld(exporters.to_jsonld(t)) == t
    assert transcript_model.source_text(t) == sample.text


def test_tei_with_a_duplicate_id_is_refused() -> None:
    tei = exporters.to_tei(transcript_model.read(EXAMPLE)).decode()
    twice = tei.replace('xml:id="u2.p2"', 'xml:id="u2.p1"', 1).replace('target="#u2.p2"', 'target="#u2.p1"', 1)
    with pytest.raises(exporters.TeiReadError, match=r'xml:id "u2\.p1" is used more than once'):
        exporters.from_tei(twice.encode())


def test_own_transcript_with_every_artifact() -> None:
    rng = random.Random(5)
    for rule in ALL_RULES:
        sample = inject(OWN_TURNS, rng, rules=(rule,), rate=1.0)
        t = transcript_model.parse(sample.text)
        assert [[p.text for p in turn.paragraphs] for turn in t.turns] == [p for _, p in OWN_TURNS], rule
        assert {r.rule for r in t.repairs} <= {rule}, rule


def test_repair_quality_benchmark_targets() -> None:
    """A fixed-seed run of benchmarks/repairs.py: every rule repairs what was injected
    (recall >= 0.95) and almost never anything else (precision >= 0.99)."""
    result = run(2400, seed=11, corpus=SHARED / "corpus")
    tp, fp, fn = result["tp"], result["fp"], result["fn"]
    for rule in ALL_RULES:
        made, injected = tp[rule] + fp[rule], tp[rule] + fn[rule]
        assert injected > 0, rule
        assert tp[rule] / made >= 0.99 if made else True, (rule, tp[rule], fp[rule])
        assert tp[rule] / injected >= 0.95, (rule, tp[rule], fn[rule])


def test_the_pieces_of_a_transcript_are_its_source_in_order() -> None:
    """pieces() and the rows the exports read are the same pieces, in source order, each a
    layout block, a paragraph or a dropped paragraph, and together the source text."""
    from transcript_model.source import piece_rows, pieces  # noqa: PLC0415

    source = "Talks in Geneva\n\nQuestion: Why\n\nquestion: why now?\n\nJohn Smith: Because.\n\nBecause."
    source += "\n\nJohn Smith: It is a long answer that\n\nit is a long answer that goes on."
    t = transcript_model.parse(source)
    assert t.repairs  # a dropped fragment, kept as an edit outside its host's span
    found = pieces(t)
    rows = piece_rows(t)
    assert [(p.span, p.original, p.block, p.paragraph, p.edit) for p in found] == [r[3:] for r in rows]
    assert all(sum(x is not None for x in (p.block, p.paragraph, p.edit)) == 1 for p in found)
    assert any(p.edit is not None for p in found)
    assert [p.span.start for p in found] == sorted(p.span.start for p in found)
    assert "".join(p.original for p in found) == source
    assert all(a.span.end == b.span.start for a, b in itertools.pairwise(found))
