"""Parser accuracy on the development corpus, against hand annotations.

    python benchmarks/accuracy.py [--corpus ../shared/corpus] [--annotations tests/data/corpus_annotations.json]

Prints, per family and overall: turn-boundary precision, recall and F1 (a predicted turn
matches a gold turn when their first words match, aligned in order), speaker-attribution
accuracy over matched turns, and exact-match accuracy of each metadata field (title, date,
time, place, language). Kremlin pages are scored twice: as text and as saved HTML.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import transcript_model
from transcript_model import Transcript

FIELDS = ("title", "date", "time", "place", "language")
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT_ANNOTATIONS = ROOT / "tests" / "data" / "corpus_annotations.json"


def norm_text(value: str | None) -> str | None:
    if value is None:
        return None
    return " ".join(unicodedata.normalize("NFKC", value).split()) or None


def first_key(text: str, n: int = 4) -> str:
    words = re.findall(r"\w+", text.casefold())
    return " ".join(words[:n])


def same_speaker(gold: str | None, predicted: str | None) -> bool:
    if gold is None or predicted is None:
        return gold is predicted
    g, p = norm_text(gold.casefold()), norm_text(predicted.casefold())
    assert g is not None and p is not None
    if g == p:
        return True
    gs, ps = re.split(r"[\s.]+", g), re.split(r"[\s.]+", p)
    return gs[-1] == ps[-1] and (len(gs) == 1 or len(ps) == 1 or gs[0][:1] == ps[0][:1])


def speaker_name(t: Transcript, pid: str | None) -> str | None:
    if pid is None:
        return None
    person = t.person(pid)
    return person.name if person.name else (person.role or pid).casefold()


def metadata_of(t: Transcript) -> dict[str, str | None]:
    md = t.metadata
    published = md.published
    day = published.date() if isinstance(published, dt.datetime) else published
    if day is None:
        day = md.event_date
    time = published.strftime("%H:%M") if isinstance(published, dt.datetime) else None
    return {
        "title": norm_text(md.title),
        "date": day.isoformat() if day else None,
        "time": time,
        "place": norm_text(md.place),
        "language": md.language,
    }


@dataclass
class Score:
    gold_turns: int = 0
    predicted_turns: int = 0
    matched: int = 0
    speakers_right: int = 0
    fields_right: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    documents: int = 0

    def add(self, other: Score) -> None:
        self.gold_turns += other.gold_turns
        self.predicted_turns += other.predicted_turns
        self.matched += other.matched
        self.speakers_right += other.speakers_right
        self.documents += other.documents
        for k, v in other.fields_right.items():
            self.fields_right[k] += v

    @property
    def precision(self) -> float:
        return self.matched / self.predicted_turns if self.predicted_turns else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold_turns if self.gold_turns else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speakers_right / self.matched if self.matched else 1.0

    def field_accuracy(self, name: str) -> float:
        return self.fields_right[name] / self.documents if self.documents else 1.0


def score_document(t: Transcript, gold: dict[str, Any]) -> tuple[Score, list[str]]:
    """Score one parse against its annotation; also return what went wrong, for people."""
    problems: list[str] = []
    s = Score(documents=1)
    predicted = [
        (speaker_name(t, turn.speaker), turn.paragraphs[0].text if turn.paragraphs else "") for turn in t.turns
    ]
    gold_turns = [(g["speaker"], g["first"]) for g in gold["turns"]]
    s.gold_turns, s.predicted_turns = len(gold_turns), len(predicted)
    a = [first_key(f) for _, f in gold_turns]
    b = [first_key(f) for _, f in predicted]
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            gi, pi = block.a + k, block.b + k
            s.matched += 1
            if same_speaker(gold_turns[gi][0], predicted[pi][0]):
                s.speakers_right += 1
            else:
                problems.append(
                    f"turn {gi + 1} {a[gi]!r}: speaker {predicted[pi][0]!r}, expected {gold_turns[gi][0]!r}"
                )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            problems.append(f"turns {tag}: expected {a[i1:i2][:4]} got {b[j1:j2][:4]}")
    md = metadata_of(t)
    for name in FIELDS:
        expected = norm_text(gold[name]) if name in ("title", "place") else gold[name]
        if md[name] == expected:
            s.fields_right[name] += 1
        else:
            problems.append(f"{name}: got {md[name]!r}, expected {expected!r}")
    return s, problems


def evaluate(corpus: Path, annotations: Path) -> tuple[dict[str, Score], dict[str, list[str]]]:
    data = json.loads(annotations.read_text(encoding="utf-8"))["documents"]
    families: dict[str, Score] = defaultdict(Score)
    problems: dict[str, list[str]] = {}
    for stem, gold in data.items():
        for suffix, family in ((".txt", gold["family"]), (".html", gold["family"] + " (html)")):
            path = corpus / gold["family"] / (stem + suffix)
            if not path.exists():
                continue
            t = transcript_model.read(path)
            s, issues = score_document(t, gold)
            families[family].add(s)
            if issues:
                problems[path.name] = issues
    return dict(families), problems


def table(families: dict[str, Score]) -> str:
    total = Score()
    for s in families.values():
        total.add(s)
    head = f"{'family':<26}{'docs':>5}{'turnP':>7}{'turnR':>7}{'turnF1':>7}{'spkr':>7}" + "".join(
        f"{f[:6]:>8}" for f in FIELDS
    )
    lines = [head, "-" * len(head)]
    for name, s in [*sorted(families.items()), ("OVERALL", total)]:
        lines.append(
            f"{name:<26}{s.documents:>5}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.speaker_accuracy:>7.3f}"
            + "".join(f"{s.field_accuracy(f):>8.3f}" for f in FIELDS)
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--annotations", type=Path, default=DEFAULT_ANNOTATIONS)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus not found at {args.corpus}", file=sys.stderr)
        return 2
    families, problems = evaluate(args.corpus, args.annotations)
    print(table(families))
    if args.verbose:
        for name, issues in sorted(problems.items()):
            print(f"\n{name}")
            for issue in issues:
                print(f"  - {issue}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
