"""The ``transcript`` command: convert, validate and show transcripts.

Exit codes: 0 everything valid; 1 some output or file is invalid; 2 usage error or
unreadable input; 3 internal error (a bug: please report it). Errors go to stderr as
``file:line:col: message``; there are no tracebacks.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from transcript_model import PROFILES, RULES, Transcript, UnreadableInputError, decode, parse

from .jsonld import to_jsonld
from .tei import ExportError, to_tei
from .validation import Issue, IssueSeverity, XmlInputError, errors, parse_xml, validate_jsonld, validate_tei

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
TEI_SUFFIX, JSONLD_SUFFIX = ".tei.xml", ".jsonld"


class UsageError(Exception):
    """Bad arguments: reported on stderr with exit code 2."""


@dataclass(frozen=True, slots=True)
class Output:
    suffix: str
    data: bytes
    issues: list[Issue]


# ------------------------------------------------------------------------- helpers


def _read_input(name: str, profile: str | None, skip: Sequence[str] = ()) -> Transcript:
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


def serialise_jsonld(doc: dict[str, Any]) -> bytes:
    """Deterministic JSON text: keys in the exporter's order, UTF-8, two-space indent."""
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _outputs(t: Transcript, to: str) -> list[Output]:
    outs: list[Output] = []
    if to in ("tei", "both"):
        tei = to_tei(t)
        outs.append(Output(TEI_SUFFIX, tei, validate_tei(tei)))
    if to in ("jsonld", "both"):
        doc = to_jsonld(t)
        outs.append(Output(JSONLD_SUFFIX, serialise_jsonld(doc), validate_jsonld(doc)))
    return outs


def output_stem(name: str) -> str:
    """``talk.txt`` → ``talk``; ``-`` → ``stdin``."""
    if name == "-":
        return "stdin"
    base = os.path.basename(name.rstrip("/\\")) or "transcript"
    stem, ext = os.path.splitext(base)
    return stem if ext.lower() in (".txt", ".text", ".md", ".html", ".htm") and stem else base


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename,
    so readers see either the old file or the whole new one, never a part."""
    fd, tmp = tempfile.mkstemp(prefix="." + path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _report(issues: Sequence[Issue], name: str, stream: TextIO) -> None:
    for issue in issues:
        print(issue.format(name), file=stream)


# ------------------------------------------------------------------------ commands


def cmd_convert(args: argparse.Namespace) -> int:
    to_stdout = args.output == "-"
    if to_stdout and args.to == "both":
        raise UsageError("-o - writes one document to stdout: choose --to tei or --to jsonld")
    if to_stdout and len(args.inputs) > 1:
        raise UsageError("-o - writes one document to stdout: give a single input")
    outdir = Path(args.output)
    if not to_stdout and not outdir.is_dir():
        raise UsageError(f"{outdir}: output folder does not exist")
    inputs = [Path(i) for i in args.inputs if i != "-"]
    status = EXIT_OK
    for name in args.inputs:
        try:
            transcript = _read_input(name, args.profile, args.no_repair)
            outs = _outputs(transcript, args.to)
        except UnreadableInputError as exc:
            print(f"{exc}", file=sys.stderr)
            status = max(status, EXIT_USAGE)
            continue
        except ExportError as exc:
            print(f"{name}: {exc}", file=sys.stderr)
            status = max(status, EXIT_INVALID)
            continue
        for w in transcript.diagnostics:
            line = f":{w.line}" if w.line else ""
            print(f"{name}{line}: {w.severity.value}: {w.message} [{w.code}]", file=sys.stderr)
        stem = output_stem(name)
        bad = False
        for out in outs:
            problems = errors(out.issues)
            if problems:
                bad = True
                _report(problems, stem + out.suffix, sys.stderr)
        if bad:
            print(f"{name}: not written: the export does not validate (a bug: please report it)", file=sys.stderr)
            status = max(status, EXIT_INVALID)
            continue
        if to_stdout:
            sys.stdout.buffer.write(outs[0].data)
            sys.stdout.flush()
            continue
        for out in outs:
            target = outdir / (stem + out.suffix)
            if any(_same_file(target, i) for i in inputs):
                print(f"{target}: refusing to overwrite an input file", file=sys.stderr)
                status = max(status, EXIT_USAGE)
                continue
            write_atomically(target, out.data)
            if not args.quiet:
                print(f"{name} -> {target}", file=sys.stderr)
    return status


def detect_kind(path: str, data: bytes) -> str | None:
    """``"tei"`` or ``"jsonld"`` from the first non-blank byte, else from the file name."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head == b"<":
        return "tei"
    if head in (b"{", b"["):
        return "jsonld"
    low = path.lower()
    if low.endswith((".xml", ".tei")):
        return "tei"
    if low.endswith((".json", ".jsonld")):
        return "jsonld"
    return None


def validate_bytes(path: str, data: bytes) -> list[Issue]:
    """Validate one file's bytes as TEI or JSON-LD (detected); raise UsageError if neither."""
    kind = detect_kind(path, data)
    if kind == "tei":
        try:
            return validate_tei(parse_xml(data))
        except XmlInputError as exc:
            return [exc.issue]
    if kind == "jsonld":
        try:
            doc = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            return [Issue(IssueSeverity.ERROR, f"not UTF-8 (byte at offset {exc.start})", "json")]
        except json.JSONDecodeError as exc:
            return [Issue(IssueSeverity.ERROR, f"not valid JSON: {exc.msg}", "json", exc.lineno, exc.colno)]
        return validate_jsonld(doc)
    raise UsageError(f"{path}: neither TEI XML nor JSON-LD (expected a file starting with '<' or '{{')")


def cmd_validate(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for path in args.files:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            print(f"{path}: cannot read: {exc.strerror or exc}", file=sys.stderr)
            status = max(status, EXIT_USAGE)
            continue
        try:
            issues = validate_bytes(path, data)
        except UsageError as exc:
            print(str(exc), file=sys.stderr)
            status = max(status, EXIT_USAGE)
            continue
        _report(issues, path, sys.stdout)
        if errors(issues):
            status = max(status, EXIT_INVALID)
        elif not args.quiet:
            print(f"{path}: valid", file=sys.stdout)
    return status


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="transcript",
        description="Turn press and diplomatic transcripts into validated TEI P5 and JSON-LD.",
        epilog="Exit codes: 0 valid, 1 invalid, 2 usage error or unreadable input, 3 internal error.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    profiles = sorted(PROFILES)

    conv = sub.add_parser("convert", help="convert transcripts to TEI and JSON-LD (validated before writing)")
    conv.add_argument("inputs", nargs="+", metavar="INPUT", help="transcript text files ('-' for stdin)")
    conv.add_argument(
        "-o", "--output", default=".", metavar="OUTDIR", help="output folder, or '-' for stdout (default: .)"
    )
    conv.add_argument("--to", choices=("tei", "jsonld", "both"), default="both", help="what to write (default: both)")
    conv.add_argument("--profile", choices=profiles, help="force a publisher profile (default: detect)")
    conv.add_argument("-q", "--quiet", action="store_true", help="do not list written files")
    conv.add_argument(
        "--no-repair",
        action="append",
        default=[],
        choices=list(RULES),
        metavar="RULE",
        help="switch a repair rule off (repeatable); rules: " + ", ".join(RULES),
    )
    conv.set_defaults(func=cmd_convert)

    val = sub.add_parser("validate", help="validate TEI or JSON-LD files against the bundled schemas")
    val.add_argument("files", nargs="+", metavar="FILE")
    val.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    val.set_defaults(func=cmd_validate)

    show = sub.add_parser("show", help="print a readable summary of how a transcript parses")
    show.add_argument("input", metavar="INPUT", help="a transcript text file ('-' for stdin)")
    show.add_argument("--profile", choices=profiles, help="force a publisher profile (default: detect)")
    show.add_argument(
        "--no-repair", action="append", default=[], choices=list(RULES), metavar="RULE", help="switch a repair rule off"
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
