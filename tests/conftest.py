"""Shared fixtures: where ``../shared`` is, and schemas that are expensive to build.

The development data (reference transcript, corpus, official TEI schema) is not ours and is
never copied into the repository: tests read it from ``../shared`` beside the checkout (or
from ``$TRANSCRIPT_SHARED``) and skip, saying why, where it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from exporters.validation import RelaxNGValidator, relaxng

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TRANSCRIPT_SHARED", REPO.parent / "shared"))
SEED = SHARED / "seed" / "000_7df60b9e8ee4961f.txt"
TEI_ALL = SHARED / "tei" / "tei_all.rng"
EXAMPLE = REPO / "examples" / "answer-to-media-question.txt"
# small texts we wrote, exported by the TEI tests: several speakers, no speaker, a dateline
# alone, Russian
WRITTEN = [
    "Question: Why?\n\nSergey Lavrov: Because.",
    "Press release\n\nThe ministry announces a visit.",
    "Title\n\nIntro text.\n\nQuestion: Why?\n\nMaria Zakharova: Because.",
    "01.02.2022 19:46",
    "Сергей Лавров: Добрый день.\n\nВопрос: Как дела?",
]


def need(path: Path, what: str) -> Path:
    """Skip the calling test, with a reason, when ``path`` is absent."""
    if not path.exists():
        pytest.skip(f"{what} not found at {path} (the shared development data is absent on this machine)")
    return path


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return need(SEED, "reference transcript")


@pytest.fixture(scope="session")
def tei_all() -> RelaxNGValidator:
    """The official tei_all RELAX NG schema, compiled once per test session (~10 s)."""
    return relaxng(str(need(TEI_ALL, "official TEI P5 schema tei_all.rng")))
