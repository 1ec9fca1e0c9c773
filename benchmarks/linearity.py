"""Time per KB of damaged transcripts, from 4 KB to 4 MB: does any repair grow faster than the text?

    python benchmarks/linearity.py [--sizes 4000,400000,4000000] [--runs 3]

Three kinds of transcript, each parsed, exported to TEI and JSON-LD and both validated, in
process (the best of ``--runs``; the garbage collector's thresholds of a corpus run):

- ``clean``: paragraphs of plain text, as in ``throughput.py``;
- ``damaged``: every paragraph hard-wrapped, with a word hyphenated at a line end, no-break
  spaces, a mojibake word and a space before a comma; every fourth cut mid-sentence and
  restarted in the next (the repairs' everyday work);
- ``one-paragraph``: the same damage, all in one paragraph of one turn (a scraped page with
  no blank lines): the repairs of one paragraph, and its TEI ``seg``, grow with the text.

Prints milliseconds per KB for each size and kind, and each kind's ratio of the largest size
to the smallest (the issue's target: at most 1.5). Measurements, not tests: nothing asserts.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

import exporters
import transcript_model
from exporters.corpus import tuned_collector

try:
    from exporters.corpus import paused_collector
except ImportError:  # a checkout from before it: a context that does nothing
    from contextlib import nullcontext as paused_collector  # type: ignore[assignment]

HEAD = "Talks with the press, Moscow, May 1, 2024\n\n"
SENTENCE = "We discussed the situation in the region and agreed to continue our consultations"
DAMAGED = (
    "We discussed the situation in the region\u00a0{k} and agreed to con-\n"
    "tinue our consultations , as planned – on every issue that mat-\n"
    "ters to both sides.\n"
    "The talks were \u00c2\u00abconstructive\u00c2\u00bb and frank"
)
KINDS = ("clean", "damaged", "one-paragraph")
BROKEN = "We expect the next round of talks to take place in Geneva"


def transcript(kind: str, size: int) -> str:
    """A transcript of ``kind`` of about ``size`` characters."""
    parts: list[str] = []
    total, k = 0, 0
    while total < size:
        if kind == "clean":
            part = f"Question: Question {k}?\n\nSergey Lavrov: {SENTENCE} {k}. " + f"{SENTENCE}. " * 3
        else:
            part = DAMAGED.format(k=k) + "."
            if k % 4 == 3:
                part = f"{BROKEN} {k}\n\n{BROKEN} {k} in June." if kind == "damaged" else f"{part} {BROKEN} {k}."
            if kind == "damaged":
                part = f"Question: Question {k}?\n\nSergey Lavrov: {part}"
        parts.append(part)
        total += len(part) + 2
        k += 1
    sep = "\n" if kind == "one-paragraph" else "\n\n"
    return HEAD + ("Sergey Lavrov: " if kind == "one-paragraph" else "") + sep.join(parts)


def ms_per_kb(text: str, runs: int) -> tuple[float, int]:
    """The best of ``runs`` of the whole in-process pipeline, in ms per KB; and the repairs."""
    best = float("inf")
    repairs = 0
    for _ in range(runs):
        start = time.perf_counter()
        with paused_collector():  # as a run converts each document
            problems, repairs = _one_document(text)
        best = min(best, time.perf_counter() - start)
        assert not [p for p in problems if p.severity.value == "error"], problems[:3]
    return best * 1e3 / (len(text.encode()) / 1024), repairs


def _one_document(text: str) -> tuple[list[Any], int]:
    """The whole pipeline on ``text``; its model and exports are dropped at the end."""
    t = transcript_model.parse(text)
    problems = exporters.validate_tei(exporters.to_tei(t)) + exporters.validate_jsonld(exporters.to_jsonld(t))
    return problems, len(t.repairs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="4000,400000,4000000", help="characters, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    with tuned_collector():  # the garbage collector's thresholds of a corpus run
        return measure(sizes, args.runs)


def measure(sizes: list[int], runs: int) -> int:
    for kind in KINDS:  # imports, validators, ftfy and the dictionary: once, before measuring
        ms_per_kb(transcript(kind, 4000), 1)
    print(f"{'kind':<15}{'size KB':>9}{'repairs':>9}{'ms/KB':>8}")
    for kind in KINDS:
        results = []
        for size in sizes:
            text = transcript(kind, size)
            per_kb, repairs = ms_per_kb(text, runs if size < 1_000_000 else min(runs, 2))  # 4 MB: 5 to 10 s a run
            results.append(per_kb)
            print(f"{kind:<15}{len(text.encode()) / 1024:>9.0f}{repairs:>9}{per_kb:>8.3f}", flush=True)
        print(f"{kind:<15}ratio {sizes[-1] // 1000} KB / {sizes[0] // 1000} KB: {results[-1] / results[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
