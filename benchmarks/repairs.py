"""Repair quality: precision and recall of every rule over injected artifacts.

    python benchmarks/repairs.py [--artifacts 6000] [--seed 1] [--corpus ../shared/corpus]

Clean transcripts (ours, and the development corpus after repair) are damaged by
``benchmarks/artifacts.py`` at known places; the parser's repairs are matched against that
ground truth. A repair is right when it has the injected artifact's rule, exactly its span,
and produces the expected text. Precision = right repairs / repairs made (a false repair
changes what someone said); recall = right repairs / artifacts injected.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from artifacts import ALL_RULES, OWN_TURNS, Artifact, CleanTurn, Sample, inject

import transcript_model
from transcript_model import Repair, Transcript

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def clean_turns_from(t: Transcript, max_paragraphs: int = 6) -> list[CleanTurn]:
    """Labelled turns of a parsed (repaired) document whose paragraphs look clean: one
    line, printable, long enough to damage."""
    out: list[CleanTurn] = []
    for turn in t.turns:
        if turn.label is None or ":" in turn.label:
            continue
        paras = [
            p.text
            for p in turn.paragraphs[:max_paragraphs]
            if "\n" not in p.text and len(p.text.split()) >= 6 and p.text.isprintable() and "\u00a0" not in p.text
        ]
        if paras and paras == [p.text for p in turn.paragraphs[: len(paras)]]:
            out.append((turn.label, paras))
    return out


def clean_corpus(corpus: Path) -> list[list[CleanTurn]]:
    docs = [OWN_TURNS]
    if corpus.is_dir():
        for path in sorted(corpus.glob("*/*.txt")):
            turns = clean_turns_from(transcript_model.read(path))
            for i in range(0, len(turns), 6):
                if turns[i : i + 6]:
                    docs.append(turns[i : i + 6])
    return docs


def matches(r: Repair, a: Artifact) -> bool:
    if r.rule != a.rule:
        return False
    return (r.source.start, r.source.end) == (a.start, a.end) and r.replacement == a.replacement


def score(sample: Sample, t: Transcript) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """True positives, false positives and false negatives per rule."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    used: set[int] = set()
    for a in sample.artifacts:
        hit = next((i for i, r in enumerate(t.repairs) if i not in used and matches(r, a)), None)
        if hit is None:
            fn[a.rule] += 1
        else:
            used.add(hit)
            tp[a.rule] += 1
    for i, r in enumerate(t.repairs):
        if i not in used:
            fp[r.rule] += 1
    return tp, fp, fn


def recovered(sample: Sample, t: Transcript) -> bool:
    """Whether the repaired paragraphs are exactly the clean ones the generator started from."""
    got = [[p.text for p in turn.paragraphs] for turn in t.turns]
    return got == [paras for _, paras in sample.clean]


def run(artifacts: int, seed: int, corpus: Path, rules: Iterable[str] = ALL_RULES) -> dict[str, object]:
    rng = random.Random(seed)
    docs = clean_corpus(corpus)
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    samples = exact = 0
    rules = tuple(rules)
    while sum(tp.values()) + sum(fn.values()) < artifacts:
        sample = inject(rng.choice(docs), rng, rules=rules, rate=0.6)
        t = transcript_model.parse(sample.text)
        a, b, c = score(sample, t)
        tp += a
        fp += b
        fn += c
        samples += 1
        exact += recovered(sample, t)
    return {"tp": tp, "fp": fp, "fn": fn, "samples": samples, "exact": exact, "documents": len(docs)}


def table(result: dict[str, object]) -> str:
    tp, fp, fn = result["tp"], result["fp"], result["fn"]
    assert isinstance(tp, Counter) and isinstance(fp, Counter) and isinstance(fn, Counter)
    lines = [f"{'rule':<28}{'injected':>9}{'repaired':>9}{'right':>7}{'precision':>11}{'recall':>8}", "-" * 72]
    for rule in sorted(set(tp) | set(fp) | set(fn)):
        made = tp[rule] + fp[rule]
        injected = tp[rule] + fn[rule]
        p = tp[rule] / made if made else 1.0
        r = tp[rule] / injected if injected else 1.0
        lines.append(f"{rule:<28}{injected:>9}{made:>9}{tp[rule]:>7}{p:>11.4f}{r:>8.4f}")
    total_i = sum(tp.values()) + sum(fn.values())
    total_made = sum(tp.values()) + sum(fp.values())
    right = sum(tp.values())
    lines.append("-" * 72)
    lines.append(
        f"{'all':<28}{total_i:>9}{sum(tp.values()) + sum(fp.values()):>9}{sum(tp.values()):>7}"
        f"{right / max(1, total_made):>11.4f}{right / max(1, total_i):>8.4f}"
    )
    lines.append(
        f"{result['samples']} damaged documents from {result['documents']} clean ones; "
        f"{result['exact']} repaired back to exactly the clean text"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--artifacts", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    print(table(run(args.artifacts, args.seed, args.corpus)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
