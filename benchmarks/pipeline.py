"""Where one core's time goes in ``transcript convert``, stage by stage, in process.

    python benchmarks/pipeline.py [--docs 1000] [--size 3648] [--dir CORPUS [--max-size BYTES]]
                                  [--rounds 6] [--batch 8]

Generates ``--docs`` transcripts as ``throughput.py`` does (all of ``--size`` bytes) or takes
the ``.txt`` files of a folder, then runs them as a convert worker does, ``--batch``
documents at a time, stage by stage (``--batch 1``: one document after the other): decode
and parse (with repairs) each, then ``to_tei`` and ``to_jsonld`` of each, then
``validate_tei`` of each, then ``validate_jsonld`` and serialising of each. Each stage's
time is summed over the documents; the round with the least time in all is printed (µs per
document), so that a stage's figure includes what the stages before it left in the caches,
as in a run.

To compare two versions, run it with each on the path, one after the other, several times
(``PYTHONPATH=WORKTREE python benchmarks/pipeline.py``; it prints which package it measured).
Measurements, not tests: nothing asserts a time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import exporters
import transcript_model
import transcript_model.parsing
from exporters.corpus import BATCH_DOCUMENTS, load_converters, serialise_jsonld, tuned_collector
from exporters.validation import validate_jsonld, validate_tei

STAGES = ("decode", "parse", "to_tei", "validate_tei", "to_jsonld", "validate_jsonld", "serialise_jsonld")


def inputs(folder: Path | None, docs: int, size: int, max_size: int | None = None) -> list[bytes]:
    if folder is not None:
        files = [p for p in sorted(folder.rglob("*.txt")) if max_size is None or p.stat().st_size <= max_size]
        return [p.read_bytes() for p in files[:docs]]
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from throughput import make_corpus  # noqa: PLC0415 - the generator of the corpus runs

    with tempfile.TemporaryDirectory() as tmp:
        make_corpus(Path(tmp), docs, size)
        return [p.read_bytes() for p in sorted(Path(tmp).rglob("*.txt"))]


def one_round(data: list[bytes], batch: int = 1) -> tuple[float, dict[str, float]]:
    """One pass over ``data``, ``batch`` documents at a time, in the order of a convert
    worker (``corpus.convert_batch``): all parsed, then both exports of each, then all TEI
    validated, then each JSON-LD validated and serialised; seconds in all and per stage."""
    clock = time.perf_counter
    spent = dict.fromkeys(STAGES, 0.0)
    start = clock()
    for k in range(0, len(data), batch):
        t0 = clock()
        texts = [transcript_model.decode(raw, source="x") for raw in data[k : k + batch]]
        t1 = clock()
        models = [transcript_model.parse(text, source="x") for text in texts]
        spent["decode"] += t1 - t0
        spent["parse"] += clock() - t1
        teis, docs = [], []
        for t in models:
            t0 = clock()
            teis.append(exporters.to_tei(t))
            t1 = clock()
            docs.append(exporters.to_jsonld(t))
            spent["to_tei"] += t1 - t0
            spent["to_jsonld"] += clock() - t1
        del models
        t0 = clock()
        for tei in teis:
            validate_tei(tei)
        spent["validate_tei"] += clock() - t0
        for doc in docs:  # each document validated, then serialised while it is in the cache
            t1 = clock()
            validate_jsonld(doc)
            t2 = clock()
            serialise_jsonld(doc)
            spent["validate_jsonld"] += t2 - t1
            spent["serialise_jsonld"] += clock() - t2
    return clock() - start, spent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--size", type=int, default=3648, help="bytes of each generated transcript")
    parser.add_argument("--dir", type=Path, help="take the .txt files of this folder instead")
    parser.add_argument(
        "--max-size", type=int, help="with --dir, only files of at most this many bytes (e.g. 8192: reference-sized)"
    )
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument(
        "--batch", type=int, default=BATCH_DOCUMENTS, help="documents taken stage by stage together (1: one by one)"
    )
    args = parser.parse_args(argv)
    load_converters()  # the validators, built once, as before a run forks
    data = inputs(args.dir, args.docs, args.size, args.max_size)
    if not data:
        print("no transcripts", file=sys.stderr)
        return 2
    with tuned_collector():  # as in a worker
        best_total, best = min((one_round(data, args.batch) for _ in range(args.rounds)), key=lambda r: r[0])
    compiled = "compiled" if not transcript_model.parsing.__file__.endswith(".py") else "as Python"
    print(f"{len(data)} transcripts, package {Path(transcript_model.__file__).parent.parent} (parser {compiled})")
    for stage in STAGES:
        print(f"{stage:18s} {1e6 * best[stage] / len(data):8.1f} µs")
    print(f"{'all':18s} {1e6 * best_total / len(data):8.1f} µs  ({len(data) / best_total:.0f} documents/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
