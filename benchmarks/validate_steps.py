"""Where `transcript validate` spends its time on one TEI file, step by step.

    python benchmarks/validate_steps.py [--dir FOLDER_OF_TEI] [--files 500]

Without ``--dir``, converts ``--files`` generated reference-sized transcripts first (see
``throughput.py``). Times each step over all the files, best of five, in microseconds per
file: reading, parsing, our RELAX NG (libxml2, and the C reading of it that accepts our
files without it, where built), the native verdict of our Schematron rules (C where
built, and the Python one beside it), the SHA-256 that ``--changed-only`` needs, the whole
``validate_tei``, and all of it (read, parse, validate) file after file, as a run does; where
built, our own reading of the bytes (``read_and_accepted``) and ``validate_tei`` of the bytes. Runs
against any checkout (it only uses functions every version has), so a change can be measured
before and after on the same files.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import exporters
import transcript_model
from exporters import validation
from exporters.validation import parse_xml, rules_hold, tei_relaxng

sys.path.insert(0, str(Path(__file__).resolve().parent))
from throughput import make_corpus  # a sibling script, not a package


def best_of(fn: Callable[[Any], object], items: Sequence[Any], rounds: int = 5) -> float:
    """Microseconds per item, best of ``rounds``."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for item in items:
            fn(item)
        best = min(best, time.perf_counter() - start)
    return best / len(items) * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, help="a folder of TEI files (*.tei.xml)")
    parser.add_argument("--files", type=int, default=500)
    args = parser.parse_args(argv)
    if args.dir is not None:
        return report(sorted(args.dir.rglob("*.tei.xml"))[: args.files])
    with tempfile.TemporaryDirectory(prefix="validate-steps-") as tmp:
        work = Path(tmp)
        make_corpus(work, args.files, 3648)
        paths = []
        for src in sorted(work.rglob("*.txt")):
            out = src.with_suffix(".tei.xml")
            out.write_bytes(exporters.to_tei(transcript_model.read(src)))
            paths.append(out)
        return report(paths)


def report(paths: list[Path]) -> int:
    if not paths:
        sys.exit("no TEI files found")
    datas = [p.read_bytes() for p in paths]
    trees = [parse_xml(d) for d in datas]
    rng = tei_relaxng()
    size = sum(map(len, datas)) / len(datas) / 1024
    elements = sum(sum(1 for _ in t.iter()) for t in trees) / len(trees)
    print(f"{len(paths)} files, {size:.1f} KB and {elements:.0f} elements each on average; µs per file:")
    rows = [
        ("read", best_of(lambda p: p.read_bytes(), paths)),
        ("parse", best_of(parse_xml, datas)),
        ("RELAX NG (libxml2)", best_of(rng.validate, trees)),
    ]
    structure = getattr(validation, "structure_accepted", None)  # since the C reading of it
    if structure is not None:
        rows.append(("  the same, C reading (accepts)", best_of(structure, trees)))
    rows.append(("Schematron rules (native verdict)", best_of(rules_hold, trees)))
    python_verdict = getattr(validation, "_rules_hold_python", None)  # since the C verdict
    if python_verdict is not None:
        rows.append(("  the same, Python verdict", best_of(python_verdict, trees)))
    rows += [
        ("SHA-256", best_of(lambda d: hashlib.sha256(d).hexdigest(), datas)),
        ("validate_tei (RELAX NG + rules)", best_of(exporters.validate_tei, trees)),
    ]
    ours = getattr(validation, "read_and_accepted", None)  # since our own reading of the bytes
    if ours is not None:
        rows += [
            ("our reading of the bytes + both (C)", best_of(ours, datas)),
            ("validate_tei of the bytes", best_of(exporters.validate_tei, datas)),
        ]
    for name, micro in rows:
        print(f"  {name:<36}{micro:8.1f}")
    # the steps above repeat each step over files already in memory; a run reads, parses and
    # validates each file once, one after the other, with colder caches: it costs more
    print(f"  {'all of it, file after file':<36}{best_of(whole, paths):8.1f}")
    if ours is not None:
        print(f"  {'  the same from the bytes (as a run)':<36}{best_of(whole_from_bytes, paths):8.1f}")
    return 0


def whole(path: Path) -> None:
    exporters.validate_tei(parse_xml(path.read_bytes()))


def whole_from_bytes(path: Path) -> None:
    """As ``transcript validate`` takes a file with our schemas: our reading first, libxml2
    for what it leaves."""
    exporters.validate_tei(path.read_bytes())


if __name__ == "__main__":
    sys.exit(main())
