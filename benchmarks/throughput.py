"""Throughput of whole-corpus runs, side by side with jing and xmllint.

    python benchmarks/throughput.py [--docs 10000] [--size BYTES] [--dir CORPUS] [--jobs N] [--keep DIR] [--pairs N]

Generates N transcripts (sizes drawn like the development corpus, or all of ``--size``
bytes, e.g. ``--size 3648`` for the reference transcript's size; our own example text
repeated, every paragraph varied) or takes a folder, then measures, each as a separate
process as a user would run it:

- ``transcript convert`` with 1 and with all cores (read, parse, repair, both exports,
  both validations, atomic writes);
- ``transcript validate`` of the TEI files written (our RELAX NG + Schematron + checks),
  with 1 and with all cores;
- one ``jing`` call and one ``xmllint --noout --relaxng`` call over the same TEI files with
  the same RELAX NG, one call per 10,000 files (the command line's length limit), when
  installed (``apt-get install jing libxml2-utils``);
- time per KB of one transcript of 4 KB and of 4 MB (parse + exports + validations; the best
  of three rounds of each, the two sizes in turn within a round, with the garbage collector
  as a corpus run sets it: its thresholds, and no collection within a document).

Prints documents/s, MB/s and peak RSS, and the ratios to jing and xmllint; with ``--pairs N``,
N more paired runs of validate, jing and xmllint, and of convert on one core and on all, with
the median ratios and their ranges, and convert's documents/s per core on all cores (on a
shared machine one run's ratio can be a fifth off). Each convert pair follows a measure of
the machine's own speed-up at that moment (copies of a CPU loop at once against one), the
ceiling any speed-up there can reach.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import exporters
import transcript_model
from exporters.corpus import tuned_collector

try:
    from exporters.corpus import paused_collector
except ImportError:  # a checkout from before it: a context that does nothing
    from contextlib import nullcontext as paused_collector  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "answer-to-media-question.txt"
CORPUS = ROOT.parent / "shared" / "corpus"
RNG = ROOT / "schemas" / "transcript-tei.rng"


def corpus_sizes() -> list[int]:
    """Sizes of the development corpus's texts, or a spread like them."""
    sizes = [p.stat().st_size for p in CORPUS.glob("*/*.txt")] if CORPUS.is_dir() else []
    return sizes or [700, 1300, 2900, 3600, 4100, 5500, 7200, 8700, 10900, 16900, 24500, 31000, 63000]


def make_corpus(folder: Path, docs: int, size: int | None = None, seed: int = 1) -> int:
    """Write ``docs`` transcripts of corpus-like sizes (or all of ``size``); returns the total bytes."""
    rng = random.Random(seed)
    sizes = [size] if size else corpus_sizes()
    text = EXAMPLE.read_text(encoding="utf-8")
    header, _, body = text.partition("Question:")
    body = "Question:" + body.rsplit("\n\nhttps://", 1)[0]
    total = 0
    for i in range(docs):
        target = rng.choice(sizes)
        parts = [header.strip(), ""]
        k = 0
        for k, original in enumerate(itertools.cycle(body.strip().split("\n\n"))):
            if sum(map(len, parts)) >= target:
                break
            # every sentence-final paragraph differs, as in real transcripts; the example's
            # broken paragraph (cut mid-sentence, restarted) stays, so repairs run too
            final = original.endswith((".", "?", "!"))
            parts.append(f"{original[:-1]} (item {i}.{k}){original[-1]}" if final else original)
        doc = "\n\n".join(parts) + f"\n\nhttps://example.org/transcripts/{i}\n"
        sub = folder / f"{i // 1000:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"t{i:06d}.txt").write_text(doc, encoding="utf-8")
        total += len(doc.encode())
    return total


_MEASURE = """
import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
err = proc.stderr.read()
_, status, usage = os.wait4(proc.pid, 0)
seconds = time.perf_counter() - start
sys.stderr.buffer.write(err[-2000:])
print(os.waitstatus_to_exitcode(status), seconds, usage.ru_maxrss)
"""


def timed(cmd: list[str]) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of the largest process of the command's tree.

    ``wait4`` reports the child's own usage merged with its waited-for children's, so the
    peak is that of this command alone, not of every command run so far. The command is
    started by a small helper process, as GNU time does: Linux carries a process's peak RSS
    across fork and exec, so a command started straight from this script would report this
    script's own peak (which holds the list of 100,000 paths) as its own.
    """
    helper = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], capture_output=True, check=False)
    try:
        code, seconds, peak = helper.stdout.split()
    except ValueError:
        sys.exit(f"{' '.join(cmd[:3])} ... could not be measured: {helper.stderr.decode(errors='replace')[-500:]}")
    if int(code) not in (0, 1):  # 1: some file invalid, still a full run
        sys.exit(f"{' '.join(cmd[:3])} ... failed ({code.decode()}): {helper.stderr.decode(errors='replace')[-500:]}")
    return float(seconds), int(peak)


def timed_batches(cmd: list[str], files: list[str], batch: int = 10_000) -> tuple[float, int]:
    """Like :func:`timed`, over ``files`` in calls of at most ``batch`` files (ARG_MAX)."""
    seconds, peak = 0.0, 0
    for i in range(0, len(files), batch):
        s, p = timed([*cmd, *files[i : i + batch]])
        seconds, peak = seconds + s, max(peak, p)
    return seconds, peak


def paired(runs: int, validate: list[str], tei_files: list[str]) -> None:
    """Run ``validate``, jing and xmllint one after the other ``runs`` times; print each
    round and the median, lowest and highest ratio."""
    tools = {"jing": ["jing", str(RNG)], "xmllint": ["xmllint", "--noout", "--relaxng", str(RNG)]}
    tools = {name: cmd for name, cmd in tools.items() if shutil.which(cmd[0])}
    ratios: dict[str, list[float]] = {name: [] for name in tools}
    times: dict[str, list[float]] = {"validate": [], **{name: [] for name in tools}}
    for i in range(runs):
        ours, _ = timed(validate)
        times["validate"].append(ours)
        line = [f"round {i + 1}: validate {ours:.2f} s"]
        for name, cmd in tools.items():
            theirs, _ = timed_batches(cmd, tei_files)
            times[name].append(theirs)
            ratios[name].append(theirs / ours)
            line.append(f"{name} {theirs:.2f} s ({theirs / ours:.2f}x)")
        print(", ".join(line))
    print("median seconds: " + ", ".join(f"{name} {statistics.median(t):.2f}" for name, t in times.items()))
    for name, found in ratios.items():
        print(
            f"validate / {name} over {runs} paired runs: median {statistics.median(found):.2f}x "
            f"(lowest {min(found):.2f}x, highest {max(found):.2f}x)"
        )


def per_kb(sizes: list[int]) -> list[float]:
    """Seconds per KB for one transcript of about each of ``sizes`` bytes, in process: the
    best of three rounds, as timeit does (one 4 MB run varies by a fifth), the sizes taken in
    turn within each round, so that a slow spell of the machine falls on all of them."""
    para = "We discussed the situation in the region and agreed to continue our consultations. " * 4
    texts = []
    for size in sizes:
        parts = ["A conference, Moscow, May 1, 2024"]
        i = 0
        while sum(map(len, parts)) < size:
            parts += [f"Question: Question {i}?", f"Sergey Lavrov: {para}"]
            i += 1
        texts.append("\n\n".join(parts))
    best = [float("inf")] * len(sizes)
    for _ in range(3):
        for k, (size, text) in enumerate(zip(sizes, texts, strict=True)):
            runs = max(1, 2_000_000 // size)
            start = time.perf_counter()
            for _ in range(runs):
                with paused_collector():  # as a run converts each document
                    _one_document(text)
            best[k] = min(best[k], (time.perf_counter() - start) / runs / (len(text) / 1024))
    return best


def _one_document(text: str) -> None:
    """What a run does with a document in memory: its model, exports and verdicts are
    dropped at the end, as ``convert_bytes`` drops them."""
    t = transcript_model.parse(text)
    exporters.validate_tei(exporters.to_tei(t))
    exporters.validate_jsonld(exporters.to_jsonld(t))


_SPIN = "import sys\nx = 0\nfor i in range(int(sys.argv[1])):\n    x += i\n"


def machine_scaling(jobs: int, loops: int = 8_000_000) -> float:
    """How many times one CPU-bound loop's work the machine does in the time it takes
    ``jobs`` copies of it running at once: the ceiling of any speed-up on ``jobs`` cores at
    that moment. On a shared machine (a VM's cores are threads of a busy host) it is often
    well under ``jobs``; a speed-up is then to be read against it."""

    def spin(copies: int) -> float:
        start = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-c", _SPIN, str(loops)]) for _ in range(copies)]
        for proc in procs:
            proc.wait()
        return time.perf_counter() - start

    return jobs * spin(1) / spin(jobs)


def paired_convert(runs: int, exe: str, src: Path, work: Path, *, jobs: int, docs: int) -> None:
    """Run ``convert -j 1`` and ``convert -j JOBS`` one after the other ``runs`` times, into
    fresh folders, each pair after a measure of the machine's own speed-up
    (:func:`machine_scaling`); print each round and the median speed-ups with their ranges."""
    speedups, rates, per_core, machine = [], [], [], []
    for i in range(runs):
        machine.append(machine_scaling(jobs))
        seconds = []
        for n in (1, jobs):
            out = work / f"pair-{n}"
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            seconds.append(timed([exe, "convert", str(src), "-o", str(out), "-q", "-j", str(n)])[0])
            shutil.rmtree(out, ignore_errors=True)
        speedups.append(seconds[0] / seconds[1])
        rates.append(docs / seconds[0])
        per_core.append(docs / seconds[1] / jobs)
        print(
            f"round {i + 1}: convert -j 1 {seconds[0]:.2f} s ({docs / seconds[0]:.0f} docs/s), "
            f"-j {jobs} {seconds[1]:.2f} s ({docs / seconds[1]:.0f} docs/s), {speedups[-1]:.2f}x "
            f"(the machine: {machine[-1]:.2f}x)"
        )
    print(
        f"convert -j 1 over {runs} runs: median {statistics.median(rates):.0f} docs/s "
        f"(lowest {min(rates):.0f}, highest {max(rates):.0f})"
    )
    print(
        f"convert -j {jobs} per core over {runs} runs: median {statistics.median(per_core):.0f} docs/s "
        f"(lowest {min(per_core):.0f}, highest {max(per_core):.0f})"
    )
    print(
        f"convert speed-up on {jobs} cores over {runs} paired runs: median {statistics.median(speedups):.2f}x "
        f"(lowest {min(speedups):.2f}x, highest {max(speedups):.2f}x)"
    )
    print(
        f"the machine's own speed-up on {jobs} cores (a CPU loop, {jobs} copies at once against one) "
        f"over the same rounds: median {statistics.median(machine):.2f}x "
        f"(lowest {min(machine):.2f}x, highest {max(machine):.2f}x)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--size", type=int, help="every generated transcript of about this many bytes")
    parser.add_argument("--dir", type=Path, help="take transcripts from this folder instead of generating them")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--all-cores-only", action="store_true", help="skip the one-core runs (for the memory check on large N)"
    )
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument(
        "--pairs",
        type=int,
        default=0,
        metavar="N",
        help="then N more paired runs of validate (all cores), jing and xmllint, and of convert with one and all "
        "cores: the median ratios and their ranges (run times on a shared machine vary by a fifth from run to run)",
    )
    args = parser.parse_args(argv)
    exe = shutil.which("transcript") or sys.exit("install the package first: pip install .")
    work = args.keep or Path(tempfile.mkdtemp(prefix="throughput-"))
    src = args.dir or work / "in"
    if args.dir is None:
        total = make_corpus(src, args.docs, args.size)
    else:
        total = sum(p.stat().st_size for p in src.rglob("*.txt"))
    docs = sum(1 for _ in src.rglob("*.txt"))
    mb = total / 1e6
    rows: list[tuple[str, float, int, float]] = []

    job_counts = [args.jobs] if args.all_cores_only else sorted({1, args.jobs})
    for jobs in job_counts:
        out = work / f"out-{jobs}"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        seconds, peak = timed([exe, "convert", str(src), "-o", str(out), "-q", "-j", str(jobs)])
        rows.append((f"transcript convert -j {jobs}", seconds, peak, mb))
    tei_dir = work / f"out-{args.jobs}"
    tei_files = sorted(str(p) for p in tei_dir.rglob("*.tei.xml"))
    tei_mb = sum(os.path.getsize(p) for p in tei_files) / 1e6
    for jobs in job_counts:
        seconds, peak = timed([exe, "validate", str(tei_dir), "--glob", "*.tei.xml", "-q", "-j", str(jobs)])
        rows.append((f"transcript validate -j {jobs}", seconds, peak, tei_mb))
    if shutil.which("jing"):
        seconds, peak = timed_batches(["jing", str(RNG)], tei_files)
        rows.append(("jing (one call, RELAX NG)", seconds, peak, tei_mb))
    if shutil.which("xmllint"):
        seconds, peak = timed_batches(["xmllint", "--noout", "--relaxng", str(RNG)], tei_files)
        rows.append(("xmllint --relaxng (one call)", seconds, peak, tei_mb))

    print(
        f"{docs} transcripts, {mb:.1f} MB of text; {len(tei_files)} TEI files, {tei_mb:.1f} MB; {os.cpu_count()} cores"
    )
    print(f"{'run':<34}{'seconds':>9}{'docs/s':>9}{'MB/s':>8}{'peak RSS MB':>13}")
    rates: dict[str, float] = {}
    for name, seconds, peak, size in rows:
        n = docs if name.startswith("transcript convert") else len(tei_files)
        rates[name] = n / seconds
        print(f"{name:<34}{seconds:>9.2f}{n / seconds:>9.0f}{size / seconds:>8.2f}{peak / 1024:>13.0f}")
    ours = rates.get(f"transcript validate -j {args.jobs}")
    for ref in ("jing (one call, RELAX NG)", "xmllint --relaxng (one call)"):
        if ours and ref in rates:
            print(f"validate -j {args.jobs} / {ref.split(' ')[0]}: {ours / rates[ref]:.2f}x")
    one, many = rates.get("transcript convert -j 1"), rates.get(f"transcript convert -j {args.jobs}")
    if one and many and args.jobs > 1:
        print(f"convert speed-up on {args.jobs} cores: {many / one:.2f}x ({many / args.jobs:.0f} docs/s per core)")
    if args.pairs:
        validate = [exe, "validate", str(tei_dir), "--glob", "*.tei.xml", "-q", "-j", str(args.jobs)]
        paired(args.pairs, validate, tei_files)
        if args.jobs > 1 and not args.all_cores_only:
            paired_convert(args.pairs, exe, src, work, jobs=args.jobs, docs=docs)
    with tuned_collector():  # the garbage collector's thresholds of a corpus run
        small, large = per_kb([4_000, 4_000_000])
    print(f"time per KB: {small * 1e3:.3f} ms at 4 KB, {large * 1e3:.3f} ms at 4 MB (ratio {large / small:.2f})")
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
