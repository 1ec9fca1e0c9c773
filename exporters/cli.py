"""The ``transcript`` command: convert, validate and show transcripts.

Exit codes: 0 everything valid; 1 some output or file is invalid; 2 usage error or
unreadable input; 3 internal error (a bug: please report it). Errors go to stderr as
``file:line:col: message``; there are no tracebacks.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transcript_model.errors import UnreadableInputError

from .corpus import (
    EXPORT_GLOBS,
    JSONLD_SUFFIX,
    TEI_SUFFIX,
    TEXT_GLOBS,
    Cache,
    ConvertOptions,
    FileResult,
    Inputs,
    SchemaError,
    _convert_chunk,
    _validate_task,
    convert_bytes,
    count_inputs,
    discover,
    jing_validate,
    load_checks,
    load_converters,
    read_bytes,
    run_batches,
    run_parallel,
)
from .reports import REPORTS, Progress, Summary, emit, json_report, junit_report

if TYPE_CHECKING:
    from transcript_model import Transcript

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
CACHE_NAME = ".transcript-cache.json"


class UsageError(Exception):
    """Bad arguments: reported on stderr with exit code 2."""


# ------------------------------------------------------------------------- helpers


def _read_input(name: str, profile: str | None, skip: Sequence[str] = ()) -> Transcript:
    from transcript_model import RULES, decode, parse  # noqa: PLC0415 - see _Choices

    repairs = [r for r in RULES if r not in skip]
    if name == "-":
        data = sys.stdin.buffer.read()
        return parse(decode(data, source="<stdin>"), source="<stdin>", profile=profile, repairs=repairs)
    try:
        with open(name, "rb") as fh:
            data = fh.read()
    except IsADirectoryError:
        raise UnreadableInputError("is a directory: expected a transcript file", source=name) from None
    except OSError as exc:
        raise UnreadableInputError(f"cannot read: {exc.strerror or exc}", source=name) from None
    return parse(decode(data, source=name), source=name, profile=profile, repairs=repairs)


def _jobs(value: int | None) -> int:
    return max(1, value if value is not None else (os.cpu_count() or 1))


def _finish(results: list[FileResult], summary: Summary, args: argparse.Namespace, verb: str) -> int:
    if args.report == "json":
        print(json_report(sorted(results, key=lambda r: r.path), summary))
    elif args.report == "junit":
        print(junit_report(sorted(results, key=lambda r: r.path), summary, f"transcript {args.command}"))
    if not args.quiet or summary.by_status["invalid"] or summary.by_status["error"]:
        print(summary.line(verb), file=sys.stderr)
    if summary.by_status["error"]:
        return EXIT_USAGE
    return EXIT_INVALID if summary.by_status["invalid"] else EXIT_OK


def _run(
    args: argparse.Namespace,
    run: Iterator[FileResult],
    total: int,
    *,
    cache: Cache | None,
    verb: str,
) -> int:
    """Report the results of ``run`` (:func:`run_parallel` or :func:`run_batches`, not yet
    started) as they come, in the order of the inputs."""
    summary = Summary()
    progress = Progress(total, sys.stderr, not args.quiet)
    results: list[FileResult] = []
    try:
        for result in run:
            summary.add(result)
            if cache is not None:
                cache.update(result)
            if args.report in ("json", "junit"):
                results.append(result)  # the report needs them all
            else:
                # validate reports on stdout; convert's problems are errors, on stderr
                emit(
                    args.report,
                    result,
                    sys.stderr if verb == "converted" else sys.stdout,
                    quiet=args.quiet or verb == "converted",
                )
            if not args.quiet and args.report == "text" and result.outputs and result.status != "skipped":
                for out in result.outputs:
                    print(f"{result.path} -> {out}", file=sys.stderr)
            progress.update(summary)
    except KeyboardInterrupt:
        progress.done()
        if cache is not None:
            cache.save()
        print(
            f"transcript: interrupted after {summary.files} of {total} files; every file written is complete; "
            "run again with --changed-only to do the rest",
            file=sys.stderr,
        )
        return 130
    progress.done()
    if cache is not None:
        cache.save()
    return _finish(results, summary, args, verb)


# ------------------------------------------------------------------------ commands


def cmd_convert(args: argparse.Namespace) -> int:
    load_converters()  # before the workers fork, so that they share it
    to_stdout = args.output == "-"
    if to_stdout:
        return _convert_to_stdout(args)
    outdir = Path(args.output)
    if not outdir.is_dir():
        raise UsageError(f"{outdir}: output folder does not exist")
    globs = args.glob or TEXT_GLOBS
    total = count_inputs(args.inputs, globs)
    items = discover(args.inputs, globs)  # streamed: memory does not grow with the corpus
    inputs = Inputs.of(args.inputs, globs)
    empty = _remove_stale_temporaries(outdir)
    opts = ConvertOptions(str(outdir), args.to, args.profile, tuple(args.no_repair), args.fsync, empty)
    cache = (
        Cache(Path(args.cache_dir or outdir) / CACHE_NAME, f"convert:{opts.to}:{opts.profile}:{opts.skip_rules}")
        if args.changed_only
        else None
    )
    state = {"options": opts, "inputs": inputs, "cache": cache.entries if cache is not None else None}
    run = run_batches(_convert_chunk, items, _jobs(args.jobs), state, total)  # a few inputs at a time
    return _run(args, run, total, cache=cache, verb="converted")


def _convert_to_stdout(args: argparse.Namespace) -> int:
    if args.to == "both":
        raise UsageError("-o - writes one document to stdout: choose --to tei or --to jsonld")
    if len(args.inputs) != 1 or os.path.isdir(args.inputs[0]):
        raise UsageError("-o - writes one document to stdout: give a single input file")
    name = args.inputs[0]
    try:
        data = read_bytes(name)
    except OSError as exc:
        print(f"{name}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    outputs, issues, status = convert_bytes(
        name, data, ConvertOptions("-", args.to, args.profile, tuple(args.no_repair))
    )
    for issue in issues:
        print(issue.format(name), file=sys.stderr)
    if status != "valid":
        return EXIT_USAGE if status == "error" else EXIT_INVALID
    sys.stdout.buffer.write(outputs[0][1])
    sys.stdout.flush()
    return EXIT_OK


def _remove_stale_temporaries(outdir: Path) -> bool:
    """Remove the temporary files a killed run may have left (``.name.tei.xml.abc123.tmp``);
    return whether the output folder holds no other file (then no output is compared with
    a file already there before it is written)."""
    empty = True
    for folder, _, files in os.walk(outdir):
        for name in files:
            if (
                name.startswith(".")
                and name.endswith(".tmp")
                and (TEI_SUFFIX + "." in name or JSONLD_SUFFIX + "." in name)
            ):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, name))
            else:
                empty = False
    return empty


def cmd_validate(args: argparse.Namespace) -> int:
    users = bool(args.rng or args.sch or args.schema or args.tei_all)
    try:
        checks = load_checks(
            rng=args.rng,
            sch=args.sch,
            schema=args.schema,
            tei_all=args.tei_all,
            ours=args.also_ours or not users,
            timeout=args.schema_timeout,
            progress=(lambda msg: None) if args.quiet else (lambda msg: print(f"transcript: {msg}", file=sys.stderr)),
        )
    except SchemaError as exc:
        raise UsageError(str(exc)) from None
    globs = args.glob or EXPORT_GLOBS
    total = count_inputs(args.files, globs)
    items = discover(args.files, globs)  # streamed: memory does not grow with the corpus
    cache = Cache(Path(args.cache_dir or ".") / CACHE_NAME, "validate:" + checks.key) if args.changed_only else None
    if checks.jing_rng:
        checks.jing_issues = {}
        tei_paths = [p for p, _ in discover(args.files, globs) if p.lower().endswith((".xml", ".tei"))]
        for schema in checks.jing_rng:
            for path, found in jing_validate(schema, tei_paths).items():
                checks.jing_issues.setdefault(path, []).extend(found)
    state = {"checks": checks, "cache": cache.entries if cache is not None else None}
    run = run_parallel(_validate_task, items, _jobs(args.jobs), state, total)
    return _run(args, run, total, cache=cache, verb="validated")


def summary(t: Transcript) -> str:
    """A readable account of a parse, for a person checking a conversion."""
    md = t.metadata
    lines = [f"Source:      {t.source_name or '-'} (profile {t.profile})"]
    for label, value in (
        ("Title", md.title),
        ("Lead", textwrap.shorten(md.lead, 100, placeholder=" …") if md.lead else None),
        ("Published", md.published.isoformat() if md.published else None),
        ("Number", md.number),
        ("Genre", md.genre),
        ("Occasion", md.occasion),
        ("Place", md.place),
        ("Event date", md.event_date.isoformat() if md.event_date else None),
        ("Event start", md.event_start.isoformat() if md.event_start else None),
        ("Language", md.language),
        ("Publisher", md.publisher),
        ("URL", md.source_url),
    ):
        lines.append(f"{label + ':':<12} {value if value is not None else '-'}")
    lines.append("")
    lines.append(f"Speakers ({len(t.participants)}):")
    for p in t.participants:
        extra = ", ".join(x for x in (p.role, p.affiliation) if x)
        who = p.name or "(anonymous)"
        lines.append(f"  {p.id:<20} {who}" + (f" — {extra}" if extra else ""))
    if md.mentioned:
        lines.append(f"Mentioned ({len(md.mentioned)}):")
        for p in md.mentioned:
            extra = ", ".join(x for x in (p.role, p.affiliation) if x)
            lines.append(f"  {p.id:<20} {p.name}" + (f" — {extra}" if extra else ""))
    lines.append("")
    lines.append(f"Turns ({len(t.turns)}):")
    for i, turn in enumerate(t.turns):
        first = turn.paragraphs[0].text if turn.paragraphs else ""
        kind = turn.kind.value if turn.kind else "-"
        head = f"  {i + 1:>3}. [{kind}] {turn.label or '(no label)'}: "
        incidents = sum(len(p.incidents) for p in turn.paragraphs)
        extra = f", {incidents} stage direction(s)" if incidents else ""
        lines.append(head + textwrap.shorten(first, 70, placeholder=" …") + f"  ({len(turn.paragraphs)} ¶{extra})")
    if t.notes:
        lines.append("")
        lines.append(f"Notes ({len(t.notes)}):")
        for note in t.notes:
            lines.append(f"  [{note.kind}] " + textwrap.shorten(note.text, 90, placeholder=" …"))
    lines.append("")
    lines.append(f"Repairs ({len(t.repairs)}):")
    for r in t.repairs:
        where = f"turn {r.turn + 1}, paragraph {r.paragraph + 1} (source {r.source.start}-{r.source.end})"
        lines.append(f"  {r.rule} at {where}: {r.reason}")
        lines.append(f"      original:    {textwrap.shorten(repr(r.original), 90, placeholder=' …')}")
        lines.append(f"      replacement: {textwrap.shorten(repr(r.replacement), 90, placeholder=' …')}")
    if t.diagnostics:
        lines.append("")
        lines.append(f"Diagnostics ({len(t.diagnostics)}):")
        for d in t.diagnostics:
            where = f"line {d.line}: " if d.line else ""
            lines.append(f"  {d.severity.value}: {where}{d.message} [{d.code}]")
    return "\n".join(lines)


def cmd_show(args: argparse.Namespace) -> int:
    try:
        t = _read_input(args.input, args.profile, args.no_repair)
    except UnreadableInputError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_USAGE
    print(summary(t))
    return EXIT_OK


# ---------------------------------------------------------------------------- main


class _Choices(Sequence[str]):
    """An option's choices, loaded when argparse first asks for them (checking a value,
    printing help): the parser's rules and profiles are not loaded to validate files. Give
    such an option a ``metavar``: without one, argparse lists the choices as soon as the
    option is added.

    >>> choices = _Choices(lambda: ["a", "b"])
    >>> "a" in choices, "c" in choices, ", ".join(choices)
    (True, False, 'a, b')
    """

    def __init__(self, load: Callable[[], Iterable[str]]) -> None:
        self._load = load
        self._names: list[str] | None = None

    def _all(self) -> list[str]:
        if self._names is None:
            self._names = list(self._load())
        return self._names

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __contains__(self, name: object) -> bool:
        return name in self._all()


def _rules() -> Iterable[str]:
    from transcript_model import RULES  # noqa: PLC0415 - see _Choices

    return RULES


def _profiles() -> Iterable[str]:
    from transcript_model import PROFILES  # noqa: PLC0415 - see _Choices

    return sorted(PROFILES)


def version_line() -> str:
    """``transcript-model 0.1.0 (parser and exporters compiled, C verdicts of the rules and
    RELAX NG)``: the version and how this installation runs, for bug reports and speed
    questions (a pure-Python install converts in 1.7 to 1.9 times the time and validates in
    three times). Found without importing the parser."""
    from importlib.util import find_spec  # noqa: PLC0415 - only for --version

    from transcript_model import __version__  # noqa: PLC0415

    def compiled(module: str) -> bool:
        spec = find_spec(module)
        return spec is not None and spec.origin is not None and not spec.origin.endswith(".py")

    parts = [
        "parser and exporters compiled" if compiled("transcript_model.parsing") else "parser and exporters as Python",
        "C verdicts of the rules and RELAX NG" if compiled("exporters._rules") else "Python verdict of the rules",
    ]
    return f"transcript-model {__version__} ({', '.join(parts)})"


class _VersionAction(argparse.Action):
    """``--version``, its line built only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and how it runs, and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(version_line())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="transcript",
        description="Turn press and diplomatic transcripts into validated TEI P5 and JSON-LD.",
        epilog="Exit codes: 0 valid, 1 invalid, 2 usage error or unreadable input, 3 internal error.",
    )
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    profiles, rules = _Choices(_profiles), _Choices(_rules)

    def corpus_options(p: argparse.ArgumentParser, globs: Sequence[str]) -> None:
        p.add_argument(
            "--glob",
            action="append",
            metavar="PATTERN",
            help=f"file names to take from folders (default: {' '.join(globs)})",
        )
        p.add_argument("-j", "--jobs", type=int, metavar="N", help="worker processes (default: all cores)")
        p.add_argument("--report", choices=REPORTS, default="text", help="how to report (default: text)")
        p.add_argument("-q", "--quiet", action="store_true", help="no progress bar, print only problems")
        p.add_argument("--changed-only", action="store_true", help="skip files unchanged since the last successful run")
        p.add_argument(
            "--cache-dir", metavar="DIR", help="where --changed-only keeps its cache (default: the output folder, or .)"
        )

    conv = sub.add_parser(
        "convert", help="convert transcripts (files or folders) to TEI and JSON-LD, validated before writing"
    )
    conv.add_argument("inputs", nargs="+", metavar="INPUT", help="transcript files or folders ('-' for stdin)")
    conv.add_argument(
        "-o", "--output", default=".", metavar="OUTDIR", help="output folder, or '-' for stdout (default: .)"
    )
    conv.add_argument("--to", choices=("tei", "jsonld", "both"), default="both", help="what to write (default: both)")
    conv.add_argument(
        "--profile",
        choices=profiles,
        metavar="PROFILE",
        help="force a publisher profile: %(choices)s (default: detect)",
    )
    conv.add_argument(
        "--no-repair",
        action="append",
        default=[],
        choices=rules,
        metavar="RULE",
        help="switch a repair rule off (repeatable); rules: %(choices)s",
    )
    conv.add_argument(
        "--fsync",
        action="store_true",
        help="force every file to disk before renaming it into place (safe against power cuts; slower)",
    )
    corpus_options(conv, TEXT_GLOBS)
    conv.set_defaults(func=cmd_convert)

    val = sub.add_parser("validate", help="validate TEI or JSON-LD files or folders against schemas")
    val.add_argument("files", nargs="+", metavar="FILE", help="TEI or JSON-LD files or folders")
    val.add_argument(
        "--rng", action="append", default=[], metavar="FILE", help="a RELAX NG schema for TEI (instead of ours)"
    )
    val.add_argument(
        "--sch", action="append", default=[], metavar="FILE", help="an ISO Schematron schema (XSLT 1.0 binding)"
    )
    val.add_argument(
        "--schema", action="append", default=[], metavar="FILE", help="a JSON Schema for JSON-LD (instead of ours)"
    )
    val.add_argument("--tei-all", metavar="PATH", help="the official tei_all.rng (loaded once, about 10 s)")
    val.add_argument("--also-ours", action="store_true", help="check our bundled schemas as well as the given ones")
    val.add_argument(
        "--schema-timeout",
        type=float,
        default=60.0,
        metavar="S",
        help="give up compiling a RELAX NG schema after S s and use jing (default: 60)",
    )
    corpus_options(val, EXPORT_GLOBS)
    val.set_defaults(func=cmd_validate)

    show = sub.add_parser("show", help="print a readable summary of how a transcript parses")
    show.add_argument("input", metavar="INPUT", help="a transcript text file ('-' for stdin)")
    show.add_argument(
        "--profile",
        choices=profiles,
        metavar="PROFILE",
        help="force a publisher profile: %(choices)s (default: detect)",
    )
    show.add_argument(
        "--no-repair", action="append", default=[], choices=rules, metavar="RULE", help="switch a repair rule off"
    )
    show.set_defaults(func=cmd_show)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
        return code
    except UsageError as exc:
        print(f"transcript: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("transcript: interrupted; files already written are complete, no partial file was left", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: say so plainly instead of a traceback
        print(f"transcript: internal error: {type(exc).__name__}: {exc} (please report this)", file=sys.stderr)
        return EXIT_INTERNAL


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
