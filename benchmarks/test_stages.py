"""Micro-benchmarks of every stage, on a reference-sized transcript and a 300-turn one.

    pytest benchmarks/test_stages.py                       # table of every stage
    pytest benchmarks/test_stages.py --benchmark-json=stages.json

The documents are built from our own example (``examples/``): the reference-sized one
has the size of the mid.ru reference transcript (3,648 bytes, 10 turns), the long one 300
turns (about 100 KB). Both keep the example's broken paragraph, so the repairs run.
These are measurements, not tests of speed: nothing here asserts a time.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import exporters
import transcript_model

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "answer-to-media-question.txt"
TURN_LABELS = ("Question:", "Elena Sorokina:")  # the example's speakers
REFERENCE_SIZE = 3648  # bytes of ../shared/seed/000_7df60b9e8ee4961f.txt


def build(*, size: int | None = None, turns: int | None = None) -> str:
    """The example's header, then its turns repeated (each paragraph varied) to a size or a count."""
    text = EXAMPLE.read_text(encoding="utf-8")
    header, _, body = text.partition("Question:")
    body, _, url = ("Question:" + body).rpartition("\n\nhttps://")
    paragraphs = [p for p in body.strip().split("\n\n") if p]
    parts = [header.strip()]
    seen = 0
    for k, para in enumerate(itertools.cycle(paragraphs)):
        if para.startswith(TURN_LABELS):
            if turns is not None and seen == turns:
                break
            seen += 1
        if size is not None and len("\n\n".join(parts)) >= size:
            break
        final = para.endswith((".", "?", "!"))
        parts.append(f"{para[:-1]} (item {k}){para[-1]}" if final else para)
    return "\n\n".join(parts) + "\n\nhttps://" + url


DOCUMENTS = {"reference": build(size=REFERENCE_SIZE), "300-turns": build(turns=300)}


@pytest.fixture(params=sorted(DOCUMENTS), scope="module")
def doc(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every stage's input for one document, made once."""
    text = DOCUMENTS[request.param]
    path = tmp_path_factory.mktemp("stages") / f"{request.param}.txt"
    path.write_text(text, encoding="utf-8")
    transcript = transcript_model.parse(text, source=str(path))
    tei = exporters.to_tei(transcript)
    jsonld = exporters.to_jsonld(transcript)
    # validators are built once per process, as in real runs: warm them up here
    assert exporters.validate_tei(tei) == [], "the benchmark document must be valid"
    assert exporters.validate_jsonld(jsonld) == []
    return {"path": path, "text": text, "transcript": transcript, "tei": tei, "jsonld": jsonld}


def test_document_shapes() -> None:
    """The documents are what the names say (checked by hand: 10 and 300 turns)."""
    reference = transcript_model.parse(DOCUMENTS["reference"])
    assert abs(len(DOCUMENTS["reference"].encode()) - REFERENCE_SIZE) < 400
    assert len(reference.turns) == 10
    assert len(transcript_model.parse(DOCUMENTS["300-turns"]).turns) == 300


STAGES: dict[str, Callable[[dict[str, Any]], object]] = {
    "read": lambda d: transcript_model.read_text(d["path"]),
    "parse": lambda d: transcript_model.parse(d["text"]),
    "to_tei": lambda d: exporters.to_tei(d["transcript"]),
    "to_jsonld": lambda d: exporters.to_jsonld(d["transcript"]),
    "validate_tei": lambda d: exporters.validate_tei(d["tei"]),
    "validate_jsonld": lambda d: exporters.validate_jsonld(d["jsonld"]),
    "from_tei": lambda d: exporters.from_tei(d["tei"]),
    "from_jsonld": lambda d: exporters.from_jsonld(d["jsonld"]),
}


@pytest.mark.parametrize("stage", list(STAGES))
def test_stage(benchmark: Any, doc: dict[str, Any], stage: str) -> None:
    benchmark.group = stage
    result = benchmark(STAGES[stage], doc)
    if stage.startswith("validate"):
        assert result == []
