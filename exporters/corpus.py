"""Whole corpora: find files, convert or validate them in parallel, stream the results.

Schemas are compiled once, in the parent, before the worker processes are forked, so a
corpus run pays for ``tei_all`` once. A schema that cannot be compiled within a time limit
(lxml never finishes some) is handed to an installed ``jing``, or reported, never waited
for. Results stream back as files are done (a convert worker takes a few inputs at a time
and converts them stage by stage: :func:`convert_batch`); nothing grows with the size of
the corpus but the per-file summaries the reports need.
"""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import gc
import hashlib
import itertools
import json
import multiprocessing
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from transcript_model import __version__ as tool_version

from .resources import JSONLD_SCHEMA, TEI_RNG, TEI_SCH, schema_path
from .validation import (
    Issue,
    IssueSeverity,
    RelaxNGValidator,
    SchematronValidator,
    XmlInputError,
    errors,
    parse_xml,
    prepare_validators,
    read_and_accepted,
    relaxng,
    validate_jsonld,
    validate_tei,
)

if TYPE_CHECKING:
    import multiprocessing.pool

TEXT_GLOBS = ("*.txt", "*.text", "*.md", "*.html", "*.htm")
EXPORT_GLOBS = ("*.xml", "*.tei", "*.jsonld", "*.json")
TEI_SUFFIX, JSONLD_SUFFIX = ".tei.xml", ".jsonld"
T = TypeVar("T")
R = TypeVar("R")


# --------------------------------------------------------------------------- results


@dataclass(slots=True)
class FileResult:
    """What happened to one file: ``valid``, ``invalid``, ``error`` (unreadable) or ``skipped``."""

    path: str
    status: str
    issues: list[Issue] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    seconds: float = 0.0
    digest: str | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("valid", "skipped")


def read_issue(message: str, line: int | None = None) -> Issue:
    return Issue(IssueSeverity.ERROR, message, "read", line)


# ------------------------------------------------------------------------- discovery


def name_matcher(globs: Sequence[str]) -> Callable[[str], object]:
    """Whether a file name matches any of ``globs`` (a true value or ``None``), as
    :func:`fnmatch.fnmatch` decides (case-insensitive only where the platform's file names
    are), in one compiled pattern: a 100,000-file walk, done twice (counting, then working),
    asks it for every file.

    >>> matches = name_matcher(["*.txt", "*.tei.xml"])
    >>> [bool(matches(name)) for name in ("a.txt", "a.tei.xml", "a.xml", ".txt")]
    [True, True, False, True]
    """
    pattern = re.compile("|".join(fnmatch.translate(os.path.normcase(g)) for g in globs) or "(?!)")
    if os.path.normcase("Aa") == "Aa":  # POSIX: names are compared as they are
        return pattern.match
    return lambda name: pattern.match(os.path.normcase(name))


def discover(paths: Sequence[str], globs: Sequence[str]) -> Iterator[tuple[str, str | None]]:
    """Files to process, in a stable order: ``(path, root)`` where ``root`` is the folder
    given on the command line (``None`` for a file given directly). Folders are walked
    without following symbolic links, so a link loop cannot trap the walk."""
    matches = name_matcher(globs)
    for given in paths:
        if given == "-" or not os.path.isdir(given):
            yield given, None
            continue
        for folder, dirs, files in os.walk(given, followlinks=False):
            dirs.sort()
            for name in sorted(files):
                if matches(name):
                    yield os.path.join(folder, name), given


def count_inputs(paths: Sequence[str], globs: Sequence[str]) -> int:
    """How many files :func:`discover` yields, without keeping them (for the progress bar:
    a run over 100,000 files then holds no list of them)."""
    return sum(1 for _ in discover(paths, globs))


@dataclass(frozen=True, slots=True)
class Inputs:
    """Which paths are inputs of a run, decided without listing them: a file given on the
    command line, or a file under a folder given whose name matches the globs."""

    files: frozenset[str]
    folders: tuple[str, ...]
    globs: tuple[str, ...]

    @classmethod
    def of(cls, paths: Sequence[str], globs: Sequence[str]) -> Inputs:
        folders = tuple(os.path.abspath(p) for p in paths if p != "-" and os.path.isdir(p))
        files = frozenset(os.path.abspath(p) for p in paths if p != "-" and not os.path.isdir(p))
        return cls(files, folders, tuple(globs))

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        full = os.path.abspath(path)
        if full in self.files:
            return True
        name = os.path.basename(full)
        return any(full.startswith(folder + os.sep) for folder in self.folders) and any(
            fnmatch.fnmatch(name, g) for g in self.globs
        )


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)


def read_bytes(path: str) -> bytes:
    """The whole of a file (``-``: standard input).

    Its size is asked once and that many bytes and one more read in one call: a file of
    the size it had needs four system calls (``open(path, "rb").read()`` asked the size
    twice and the position once, and read again to find the end). A file that grew, a
    file whose size is unknown (``/proc``, a pipe) or one read short is read on to its end;
    a folder raises ``IsADirectoryError``, at the first read.
    """
    if path == "-":
        return sys.stdin.buffer.read()
    fd = os.open(path, _READ_FLAGS)
    try:
        size = os.fstat(fd).st_size
        data = os.read(fd, size + 1)
        if len(data) == size:
            return data
        chunks = [data]
        while chunk := os.read(fd, max(size, 1 << 16)):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


# -------------------------------------------------------------------------- schemas


@dataclass(slots=True)
class Checks:
    """The schemas a validation run checks against, compiled once, before forking."""

    ours: bool = True
    rng: list[RelaxNGValidator] = field(default_factory=list)
    jing_rng: list[str] = field(default_factory=list)  # schemas handed to jing
    sch: list[SchematronValidator] = field(default_factory=list)
    json_schema: Any = None
    jing_issues: dict[str, list[Issue]] = field(default_factory=dict)
    key: str = ""

    def validate(self, path: str, data: bytes) -> list[Issue]:
        kind = detect_kind(path, data)
        if kind == "tei":
            if self.ours and not self.rng and not self.sch and read_and_accepted(data):
                return list(self.jing_issues.get(path, []))  # valid by ours: no tree built
            try:
                tree = parse_xml(data)
            except XmlInputError as exc:
                return [exc.issue]
            issues = validate_tei(tree) if self.ours else []
            for v in self.rng:
                issues.extend(v.validate(tree))
            for s in self.sch:
                issues.extend(s.validate(tree))
            issues.extend(self.jing_issues.get(path, []))
            return issues
        if kind == "jsonld":
            try:
                doc = json.loads(data.decode("utf-8-sig"))
            except UnicodeDecodeError as exc:
                return [Issue(IssueSeverity.ERROR, f"not UTF-8 (byte at offset {exc.start})", "json")]
            except json.JSONDecodeError as exc:
                return [Issue(IssueSeverity.ERROR, f"not valid JSON: {exc.msg}", "json", exc.lineno, exc.colno)]
            issues = validate_jsonld(doc) if self.ours else []
            if self.json_schema is not None:
                issues.extend(
                    Issue(
                        IssueSeverity.ERROR,
                        e.message,
                        f"json-schema:{e.validator}",
                        path="$" + "".join(f"[{p!r}]" for p in e.absolute_path),
                    )
                    for e in self.json_schema.iter_errors(doc)
                )
            return issues
        return [read_issue("neither TEI XML nor JSON-LD (expected a file starting with '<' or '{')")]


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


class SchemaError(Exception):
    """A user schema cannot be used (not found, invalid, or too slow to compile without jing)."""


def _compiles_in_time(path: str, timeout: float) -> bool:
    """Whether lxml compiles a RELAX NG schema within ``timeout`` seconds (tried in a child)."""
    import subprocess  # noqa: PLC0415 - 4 ms of every command's start-up, for user schemas only

    code = "import sys; from lxml import etree; etree.RelaxNG(etree.parse(sys.argv[1]))"
    try:
        proc = subprocess.run([sys.executable, "-c", code, path], capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return False
    if proc.returncode != 0:
        last = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["unknown error"]
        raise SchemaError(f"{path}: not a usable RELAX NG schema: {last[0]}")
    return True


def load_checks(
    *,
    rng: Sequence[str] = (),
    sch: Sequence[str] = (),
    schema: Sequence[str] = (),
    tei_all: str | None = None,
    ours: bool = True,
    timeout: float = 60.0,
    progress: Callable[[str], None] = lambda _: None,
) -> Checks:
    """Compile every schema of a run once. Raises :class:`SchemaError` with a clear message."""
    checks = Checks(ours=ours)
    # TEI's RELAX NG before forking; the JSON-LD checks are built by a worker that meets a
    # JSON-LD file (their libraries are most of a TEI-only run's start-up)
    prepare_validators(tei=ours)
    keys = [
        tool_version,
        *(f"{name}:{digest_of(schema_path(name).read_bytes())}" for name in (TEI_RNG, TEI_SCH, JSONLD_SCHEMA)),
    ]
    rngs = [*rng, *([tei_all] if tei_all else [])]
    for path in rngs:
        if not os.path.isfile(path):
            raise SchemaError(f"{path}: RELAX NG schema not found")
        keys.append(f"rng:{digest_of(Path(path).read_bytes())}")
        known_fast = tei_all is not None and path == tei_all
        if known_fast or _compiles_in_time(path, timeout):
            if known_fast:
                progress(f"loading {path} (tei_all takes about 10 s; once for the whole run)")
            checks.rng.append(relaxng(os.path.abspath(path)))
        elif shutil.which("jing"):
            progress(f"{path}: lxml cannot compile it within {timeout:.0f} s; validating with jing instead")
            checks.jing_rng.append(path)
        else:
            raise SchemaError(
                f"{path}: lxml cannot compile this RELAX NG schema within {timeout:.0f} s and jing is not installed; "
                "install jing (apt-get install jing) or raise --schema-timeout"
            )
    for path in sch:
        if not os.path.isfile(path):
            raise SchemaError(f"{path}: Schematron schema not found")
        keys.append(f"sch:{digest_of(Path(path).read_bytes())}")
        try:
            checks.sch.append(SchematronValidator(path))
        except Exception as exc:  # lxml raises several types for bad or XSLT 2 Schematron
            raise SchemaError(
                f"{path}: cannot use this Schematron ({type(exc).__name__}: {exc}); "
                "lxml runs ISO Schematron with the XSLT 1.0 query binding only"
            ) from None
    for path in schema:
        import jsonschema  # noqa: PLC0415 - slow to import, only for user JSON Schemas

        try:
            with open(path, encoding="utf-8") as fh:
                doc = json.load(fh)
            cls = jsonschema.validators.validator_for(doc)
            cls.check_schema(doc)
        except (OSError, ValueError, jsonschema.SchemaError) as exc:
            raise SchemaError(f"{path}: not a usable JSON Schema: {exc}") from None
        keys.append(f"json:{digest_of(json.dumps(doc, sort_keys=True).encode())}")
        checks.json_schema = cls(doc, format_checker=cls.FORMAT_CHECKER)
    checks.key = digest_of("\n".join(keys).encode())
    return checks


# ------------------------------------------------------------------------- the tasks


@dataclass(slots=True)
class ConvertOptions:
    outdir: str
    to: str = "both"
    profile: str | None = None
    skip_rules: tuple[str, ...] = ()
    fsync: bool = False
    # the output folder held no file when the run began: an output is written without first
    # being compared with a file there (opening a file that is not there cost 10 µs)
    empty: bool = False


def output_stem(name: str) -> str:
    """``talk.txt`` → ``talk``; ``-`` → ``stdin``."""
    if name == "-":
        return "stdin"
    base = os.path.basename(name.rstrip("/\\")) or "transcript"
    stem, ext = os.path.splitext(base)
    return stem if ext.lower() in (".txt", ".text", ".md", ".html", ".htm") and stem else base


def output_base(path: str, root: str | None, outdir: str) -> str:
    """Where a converted file goes: its folder relative to the folder given, under OUTDIR
    (``Path(outdir) / folder / stem``, as a string: a run asks it for every file, and with
    ``Path`` objects the output paths and the check that none is an input took 16 µs a
    file, 6 as strings)."""
    if root:
        folder = os.path.dirname(path)
        # a relative path's place depends on the working directory, an absolute one's does not
        cwd = "" if os.path.isabs(folder) and os.path.isabs(root) else os.getcwd()
        prefix = _output_folder(outdir, _relative_folder(folder, root, cwd))
    else:
        prefix = _output_folder(outdir, ".")
    stem = output_stem(path)
    return stem if prefix == "." else os.path.join(prefix, stem)


@functools.lru_cache(maxsize=1024)
def _output_folder(outdir: str, rel: str) -> str:
    """``Path(outdir) / rel`` as a string, once per folder of a run."""
    return str(Path(outdir) / rel)


@functools.lru_cache(maxsize=1024)
def _relative_folder(folder: str, root: str, cwd: str) -> str:
    """``folder`` relative to ``root``, once per folder of a run (``os.path.relpath`` asks
    for the working directory twice: 10 µs a file); ``cwd``, on which a relative path
    depends, is part of what is remembered (empty when both paths are absolute)."""
    return os.path.relpath(folder, root)


_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
_temp_names = itertools.count()
_pid = [os.getpid()]  # this process's id, for temporary names: asked again in a forked child only


def _forked() -> None:
    _pid[0] = os.getpid()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forked)


def write_atomically(path: str | os.PathLike[str], data: bytes, *, fsync: bool = False) -> None:
    """Write through a temporary file in the same folder and a rename: readers see the old
    file or the whole new one, never a part, even if the process is killed.

    ``fsync`` also forces the bytes to disk before the rename, so that a power cut cannot
    leave an empty file either; it costs about 1 ms a file, more than converting one.

    The temporary file is named for the target, the process and a counter, and created
    exclusively (a name left by a killed process is skipped), with the permissions the
    umask gives any new file: ``tempfile.mkstemp`` makes it 0600, which the rename would
    pass on to the archive's file.
    """
    target = os.fspath(path)
    folder, name = os.path.split(target)
    folder = folder or "."
    while True:
        tmp = os.path.join(folder, f".{name}.{_pid[0]}.{next(_temp_names)}.tmp")
        try:
            fd = os.open(tmp, _TEMP_FLAGS, 0o666)
            break
        except FileExistsError:
            continue
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)  # the first file of a new folder
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if fsync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_if_changed(path: str | os.PathLike[str], data: bytes, *, fsync: bool = False) -> bool:
    """Write ``data`` to ``path`` atomically unless the file already holds exactly these
    bytes; return whether it wrote.

    Outputs are deterministic, so a conversion run again mostly produces the files already
    there. Comparing costs microseconds; replacing costs ext4 about half a millisecond a file
    (it flushes the new data when a rename replaces an existing file), and a file left alone
    keeps its modification time for make, rsync and backups. With ``fsync``, a file left
    alone is still forced to disk.
    """
    try:
        with open(path, "rb") as fh:
            if fh.read(len(data) + 1) == data:
                if fsync:
                    os.fsync(fh.fileno())
                return False
    except OSError:
        pass  # absent or unreadable: write it
    write_atomically(path, data, fsync=fsync)
    return True


def serialise_jsonld(doc: dict[str, Any]) -> bytes:
    """Deterministic JSON text: keys in the exporter's order, UTF-8, two-space indent.

    orjson writes it (the standard library's encoder falls back to pure Python when asked
    to indent, ten times slower on large documents)."""
    import orjson  # noqa: PLC0415 - 14 ms of start-up that validating does not need

    return orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def load_converters() -> None:
    """Load the parser and the exporters: done on first need, so that validating does not
    pay for them; a converting run calls it before forking, so that workers share them."""
    import exporters.jsonld  # noqa: PLC0415 - deferred on purpose, see the docstring
    import exporters.tei  # noqa: F401, PLC0415
    import transcript_model.parsing  # noqa: F401, PLC0415

    prepare_validators(tei=True, jsonld=True)


Converted = tuple[list[tuple[str, bytes]], list[Issue], str]
"""One input converted: ``(outputs as (suffix, bytes), issues, status)``."""
ConvertedIn = tuple[list[tuple[str, bytes]], list[Issue], str, float]
"""One input converted, and the seconds it took: ``(outputs, issues, status, seconds)``."""


def convert_bytes(name: str, data: bytes, opts: ConvertOptions) -> Converted:
    """Convert one input: ``(outputs as (suffix, bytes), issues, status)``."""
    outputs, issues, status, _ = convert_batch([(name, data)], opts)[0]
    return outputs, issues, status


@dataclass(slots=True)
class _Document:
    """One input on its way through :func:`convert_batch`."""

    name: str
    data: bytes
    model: Any = None  # the Transcript, until the last export has read it
    tei: bytes | None = None
    doc: Any = None  # the JSON-LD document, until it is serialised
    issues: list[Issue] = field(default_factory=list)
    outputs: list[tuple[str, bytes]] = field(default_factory=list)
    status: str | None = None  # set when it failed on the way ("error", "invalid")
    refusal: Issue | None = None  # an exporter's refusal, reported after the other issues
    seconds: float = 0.0


def convert_batch(items: Sequence[tuple[str, bytes]], opts: ConvertOptions) -> list[ConvertedIn]:
    """Convert inputs stage by stage: all are parsed (each of the parser's stages over all
    of them: :func:`transcript_model.parse_batch`), then exported (both exports of one,
    then of the next), then their TEI validated, then their JSON-LD validated and
    serialised (one document's, then the next's); for each, ``(outputs, issues, status,
    seconds spent on it)``, in order.

    The result of each input is what it would be alone (:func:`convert_bytes`). Taken a
    stage at a time, each stage's code (the parser, lxml, the JSON Schema validator) stays
    in the processor's caches from one document to the next: a document alone goes through
    more code than the second-level cache holds, and 8 reference-sized documents together
    missed that cache half as often (``benchmarks/README.md``; :data:`BATCH_DOCUMENTS`). A JSON-LD document is
    serialised right after it is validated: both walk all of its objects, and the second
    walk then finds them in the cache (the batch's documents, validated first and
    serialised after, no longer were).
    """
    from transcript_model import RULES, UnreadableInputError, decode, parse_batch  # noqa: PLC0415 - see load_converters

    from .jsonld import to_jsonld  # noqa: PLC0415
    from .tei import ExportError, to_tei  # noqa: PLC0415

    clock = time.perf_counter
    repairs = [r for r in RULES if r not in opts.skip_rules]
    docs = [_Document(name, data) for name, data in items]
    texts: list[tuple[str, str | None]] = []
    for d in docs:
        start = clock()
        try:
            texts.append((decode(d.data, source=d.name), d.name))
        except UnreadableInputError as exc:
            d.status, d.issues = "error", [read_issue(exc.reason, exc.line)]
        d.seconds += clock() - start
    decoded = [d for d in docs if d.status is None]
    for d, (model, seconds) in zip(
        decoded, parse_batch(texts, profile=opts.profile, repairs=repairs), strict=True
    ):  # the parser's stages, each over all the batch's texts
        d.seconds += seconds
        if isinstance(model, UnreadableInputError):
            d.status, d.issues = "error", [read_issue(model.reason, model.line)]
        else:
            d.model = model
            d.issues = [Issue(IssueSeverity.WARNING, x.message, x.code, x.line) for x in model.diagnostics]
    live = [d for d in docs if d.status is None]
    exporters = _Exporters(
        to_tei if opts.to in ("tei", "both") else None,
        to_jsonld if opts.to in ("jsonld", "both") else None,
        ExportError,
    )
    _stage(live, _export, exporters)
    _stage([d for d in live if d.tei is not None], _check_tei)
    _stage([d for d in live if d.doc is not None], _finish_jsonld)
    results: list[ConvertedIn] = []
    for d in docs:
        if d.refusal is not None:  # after the issues of the TEI written before it, as alone
            d.issues.append(d.refusal)
        status = d.status or ("invalid" if errors(d.issues) else "valid")
        results.append((d.outputs if status == "valid" else [], d.issues, status, d.seconds))
    return results


@dataclass(slots=True)
class _Exporters:
    to_tei: Callable[[Any], bytes] | None
    to_jsonld: Callable[[Any], Any] | None
    refused: type[Exception]  # what an exporter raises for a transcript it cannot write


def _stage(docs: list[_Document], step: Callable[[_Document, Any], None], arg: Any = None) -> None:
    """``step(document, arg)`` for each document, timed."""
    clock = time.perf_counter
    for d in docs:
        start = clock()
        step(d, arg)
        d.seconds += clock() - start


def _export(d: _Document, exporters: _Exporters) -> None:
    """Both exports of a document, one after the other: they share its ids and the pieces
    of its source, which each exporter keeps for the last transcript only. An export
    refused makes the document invalid; a TEI document made before is still validated."""
    try:
        if exporters.to_tei is not None:
            d.tei = exporters.to_tei(d.model)
        if exporters.to_jsonld is not None:
            d.doc = exporters.to_jsonld(d.model)
    except exporters.refused as exc:
        d.status = "invalid"
        d.refusal = Issue(IssueSeverity.ERROR, str(exc), "export")
    d.model = None  # read by both


def _check_tei(d: _Document, _: None) -> None:
    assert d.tei is not None
    d.issues.extend(errors(validate_tei(d.tei)))  # the bytes written, parsed as a reader will
    d.outputs.append((TEI_SUFFIX, d.tei))
    d.tei = None


def _finish_jsonld(d: _Document, _: None) -> None:
    """Validate a JSON-LD document, then serialise it while its objects are in the cache."""
    d.issues.extend(errors(validate_jsonld(d.doc)))
    d.outputs.append((JSONLD_SUFFIX, serialise_jsonld(d.doc)))
    d.doc = None


# ---------------------------------------------------------------- parallel execution

_WORKER: dict[str, Any] = {}


def _validate_task(item: tuple[str, str | None]) -> FileResult:
    path, _ = item
    checks: Checks = _WORKER["checks"]
    cache: dict[str, Any] | None = _WORKER["cache"]
    start = time.perf_counter()
    try:
        data = read_bytes(path)
    except OSError as exc:
        return FileResult(path, "error", [read_issue(f"cannot read: {exc.strerror or exc}")])
    digest = None if cache is None else digest_of(data)  # only --changed-only needs it
    if cache is not None and cache.get(os.path.abspath(path)) == digest:
        return FileResult(path, "skipped", digest=digest)
    with paused_collector():
        issues = checks.validate(path, data)
    status = "invalid" if errors(issues) else "valid"
    if any(i.rule == "read" for i in issues):
        status = "error"  # not a TEI or JSON-LD file at all
    return FileResult(path, status, issues, seconds=time.perf_counter() - start, digest=digest)


BATCH_DOCUMENTS = 8
"""Inputs a convert worker takes at a time, and converts stage by stage (:func:`convert_batch`).

Misses of a simulated last-level cache (cachegrind) per generated reference-sized document,
with this module's stage order and the parser's stages over the batch:

=========  ======  ======  ======
batch      512 KB  1 MB    2 MB
=========  ======  ======  ======
4          11,065  5,482     921
8           9,541  4,876   1,494
16          9,007  4,821   2,720
=========  ======  ======  ======

512 KB is the second-level cache of each of this machine's cores; beyond it a third level
is shared with the other core and whatever else runs on the host. More documents at a time
keep each stage's code in the cache, fewer keep their data: 8 misses fewer than the order
before (8 documents, one parse after the other: 12,593, 4,911 and 1,113) at 512 KB and 1 MB
and costs 381 more at 2 MB; 16 would cost 1,600 more there (``benchmarks/README.md``)."""
BATCH_BYTES = 64 * 1024
"""At most this many bytes of input are converted together: a larger input goes alone
(its stages are long enough to keep their code in the caches; several large models
alive at once would only cost memory)."""


def _convert_chunk(items: list[tuple[str, str | None]]) -> list[FileResult]:
    """Convert a few inputs (``(path, root)``): read them, convert them together in groups
    of at most :data:`BATCH_BYTES`, write the outputs; one result each, in order."""
    opts: ConvertOptions = _WORKER["options"]
    cache: dict[str, Any] | None = _WORKER["cache"]
    results: list[FileResult | None] = [None] * len(items)
    todo: list[tuple[int, str, bytes, str, str | None, float]] = []  # index, path, data, base, digest, seconds
    size = 0
    for k, (path, root) in enumerate(items):
        start = time.perf_counter()
        try:
            data = read_bytes(path)
        except IsADirectoryError:
            results[k] = FileResult(path, "error", [read_issue("is a directory: expected a transcript file")])
            continue
        except OSError as exc:
            results[k] = FileResult(path, "error", [read_issue(f"cannot read: {exc.strerror or exc}")])
            continue
        digest = None if cache is None else digest_of(data)  # only --changed-only needs it
        base = output_base(path, root, opts.outdir)
        if cache is not None and cache.get(os.path.abspath(path)) == digest:
            targets = [base + s for s in _suffixes(opts.to)]
            if all(os.path.exists(t) for t in targets):
                results[k] = FileResult(path, "skipped", outputs=targets, digest=digest)
                continue
        if todo and size + len(data) > BATCH_BYTES:
            _convert_and_write(todo, results, opts)
            todo, size = [], 0
        todo.append((k, path, data, base, digest, time.perf_counter() - start))
        size += len(data)
    if todo:
        _convert_and_write(todo, results, opts)
    return [r for r in results if r is not None]


def _convert_and_write(
    todo: list[tuple[int, str, bytes, str, str | None, float]], results: list[FileResult | None], opts: ConvertOptions
) -> None:
    inputs: Inputs = _WORKER["inputs"]
    with paused_collector():
        converted = convert_batch([(path, data) for _, path, data, *_ in todo], opts)
    for (k, path, _, base, digest, read_seconds), result in zip(todo, converted, strict=True):
        start = time.perf_counter()
        outputs, issues, status, spent = result
        written: list[str] = []
        for suffix, payload in outputs:
            target = base + suffix
            # an output folder that held no file holds no input (a folder is walked without
            # following links, as inputs are found): no output can be one there
            if not opts.empty and target in inputs and os.path.exists(target):  # asked without a stat first
                issues.append(read_issue(f"{target}: refusing to overwrite an input file"))
                status = "error"
                continue
            if opts.empty:
                write_atomically(target, payload, fsync=opts.fsync)
            else:
                write_if_changed(target, payload, fsync=opts.fsync)
            written.append(target)
        seconds = read_seconds + spent + time.perf_counter() - start
        results[k] = FileResult(path, status, issues, written, seconds, digest)


def batch_size(total: int | None, jobs: int) -> int:
    """Inputs a worker converts at a time: :data:`BATCH_DOCUMENTS`, fewer when there are too
    few inputs to give every worker four batches.

    >>> batch_size(None, 2), batch_size(10_000, 2), batch_size(20, 2), batch_size(3, 1)
    (8, 8, 2, 1)
    """
    if total is None:
        return BATCH_DOCUMENTS
    return max(1, min(BATCH_DOCUMENTS, total // (jobs * 4)))


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last may be shorter), read as they come.

    >>> list(batched(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _suffixes(to: str) -> list[str]:
    return {"tei": [TEI_SUFFIX], "jsonld": [JSONLD_SUFFIX]}.get(to, [TEI_SUFFIX, JSONLD_SUFFIX])


@functools.cache
def process_pool() -> type[multiprocessing.pool.Pool]:
    """The process pool of parallel runs, defined on first need (``multiprocessing.pool``
    takes 4 ms to import, which a run on one core does not need): a pool whose
    worker-keeping thread sleeps until a worker exits or the pool is closed, terminated or
    drained.

    The standard pool's thread also wakes whenever a result waits in the pipe from the
    workers, which another thread of the pool reads: until that one has read it, the thread
    wakes again at once, asking every worker whether it exited each time. It spun for a
    tenth of a second of a 10,000-document conversion (on a core the workers need), and a
    10,000-file validation on two cores took 7% longer. Everything it has to do follows a
    worker's exit, which its sentinel says (a worker that dies is still replaced), or a
    change of the pool's state, which the pool's change notifier says (it is put to when the
    pool is closed or terminated and when its last task is done); it waits for those two.
    """
    import multiprocessing.pool  # noqa: PLC0415 - see the docstring

    class Pool(multiprocessing.pool.Pool):
        def _get_sentinels(self) -> list[Any]:
            return [self._change_notifier._reader]  # type: ignore[attr-defined]

    return Pool


def run_parallel(
    task: Callable[[T], R],
    items: Iterable[T],
    jobs: int,
    state: dict[str, Any],
    total: int | None = None,
    *,
    chunksize: int | None = None,
) -> Iterator[R]:
    """Run ``task`` over ``items`` on ``jobs`` processes (forked after ``state`` is built,
    so compiled schemas are shared), yielding the results in the order of ``items``, whatever
    the order the workers finish them in: a report is the same on any number of cores. A
    result that comes early waits in the parent for those before it; the workers do not.

    Items travel in chunks: a chunk per worker hand-off costs two pickles and a pipe round
    trip, which next to a 0.35 ms validation is a tenth of the work at chunks of 8. With
    ``total`` known, chunks grow to 128 items while every worker still gets 8 chunks or more
    (``chunksize`` says otherwise), and shrink as the run nears its end (:func:`hand_offs`).
    """
    _WORKER.clear()
    _WORKER.update(state)
    with tuned_collector():  # forked workers inherit it
        if jobs <= 1:
            for item in items:
                yield task(item)
            return
        size = chunksize or chunk_size(total, jobs)
        chunks = batched(items, size) if total is None else hand_offs(items, total, jobs, size)
        _WORKER["task"] = task
        with process_pool()(jobs, context=multiprocessing.get_context("fork")) as pool:
            try:
                for results in pool.imap(_run_chunk, chunks):
                    yield from results
            except BaseException:
                pool.terminate()
                raise


def _run_chunk(items: list[Any]) -> list[Any]:
    """A worker's part of :func:`run_parallel`: its task over one hand-off's items."""
    task = _WORKER["task"]
    return [task(item) for item in items]


def hand_offs(items: Iterable[T], total: int, jobs: int, size: int) -> Iterator[list[T]]:
    """``items`` (``total`` of them) in lists of ``size``, the hand-offs of a run on ``jobs``
    workers, shorter as the run nears its end: a list holds at most half of each worker's
    share of what is left (guided self-scheduling), and at least a sixteenth of ``size``,
    so that the workers finish at about the same time and a hand-off still carries enough
    work to be worth its pickles.

    With 128 reference-sized documents to every hand-off, the two workers of a
    10,000-document conversion finished 17 to 72 ms apart, the first idle meanwhile
    (``benchmarks/README.md``).

    >>> [len(c) for c in hand_offs(range(100), 100, 2, 16)]
    [16, 16, 16, 13, 9, 7, 5, 4, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1]
    >>> [len(c) for c in hand_offs(range(40), 40, 2, 64)]  # never fewer than 64 // 16
    [10, 7, 5, 4, 4, 4, 4, 2]
    >>> [len(c) for c in hand_offs(range(5), 3, 2, 16)]  # more items than were counted
    [1, 1, 1, 1, 1]
    """
    it = iter(items)
    left = total
    least = max(1, size // 16)
    while chunk := list(itertools.islice(it, max(least, min(size, left // (2 * jobs))))):
        left -= len(chunk)
        yield chunk


def run_batches(
    task: Callable[[list[T]], list[R]],
    items: Iterable[T],
    jobs: int,
    state: dict[str, Any],
    total: int | None = None,
) -> Iterator[R]:
    """:func:`run_parallel` for a task that takes items a few at a time (:func:`batch_size`
    of them), yielding its results one by one; a hand-off still carries about as many
    items as :func:`chunk_size` says."""
    size = batch_size(total, jobs)
    groups = None if total is None else -(-total // size)
    chunks = max(1, chunk_size(total, jobs) // size)
    for results in run_parallel(task, batched(items, size), jobs, state, groups, chunksize=chunks):
        yield from results


# the cyclic garbage collector's thresholds during a run (Python's default: 700, 10, 10)
RUN_GC_THRESHOLDS = (50_000, 20, 20)


@contextlib.contextmanager
def tuned_collector() -> Iterator[None]:
    """Run the cyclic garbage collector less often while converting or validating a corpus.

    A transcript's model, TEI and JSON-LD are built whole, then written and dropped; a 4 MB
    transcript makes millions of objects that live until it is written. With Python's
    default thresholds (a collection every 700 new objects) the collector went through them
    again and again as they grew: a 4 MB transcript took 1.7 times as long per KB as a 4 KB
    one, 1.3 times with these (``benchmarks/throughput.py``). Reference counting frees what
    a document leaves; the few objects in cycles are collected as before, only less often.
    The previous thresholds come back at the end.
    """
    before = gc.get_threshold()
    gc.set_threshold(*RUN_GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


class paused_collector:  # a context used as a function: ``with paused_collector():``
    """No cyclic garbage collection within one document of a run.

    Everything a document makes lives until its outputs are written, so a collection in the
    middle goes through all of it and frees nothing: a 4 MB transcript spent a tenth of its
    time there (with the run's thresholds, see :func:`tuned_collector`), a reference-sized
    one none. The collector runs again between documents, when the thresholds say, and
    finds any cycles a document left then. If the collector was off, it stays off.
    """

    __slots__ = ("_enabled",)

    def __enter__(self) -> None:
        self._enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self._enabled:
            gc.enable()


def chunk_size(total: int | None, jobs: int) -> int:
    """Items per hand-off: 8 when the total is unknown, else up to 128 with >= 8 chunks per job.

    >>> chunk_size(None, 2), chunk_size(100, 2), chunk_size(10_000, 2), chunk_size(1_000_000, 8)
    (8, 6, 128, 128)
    """
    if total is None:
        return 8
    return max(1, min(128, total // (jobs * 8)))


def jing_validate(schema: str, paths: Sequence[str]) -> dict[str, list[Issue]]:
    """Validate files with jing, in batches, parsing ``file:line:col: error: message``.

    jing stops a batch at a file that is not well-formed ("fatal"); the files after it are
    validated again in a new batch.
    """
    import subprocess  # noqa: PLC0415 - see _compiles_in_time

    found: dict[str, list[Issue]] = {p: [] for p in paths}
    pending = list(paths)
    while pending:
        batch, pending = pending[:500], pending[500:]
        proc = subprocess.run(["jing", schema, *batch], capture_output=True, text=True, check=False)
        fatal_at = -1
        for line in proc.stdout.splitlines():
            parsed = parse_jing_line(line)
            if parsed is not None and parsed[0] in found:
                found[parsed[0]].append(parsed[1])
                if ": fatal: " in line:
                    fatal_at = max(fatal_at, batch.index(parsed[0]))
        if fatal_at != -1:
            pending = batch[fatal_at + 1 :] + pending
    return found


def parse_jing_line(line: str) -> tuple[str, Issue] | None:
    """``/path/f.xml:12:7: error: element "x" not allowed here`` → ``(path, Issue)``."""
    head, sep, message = line.partition(": error: ")
    if not sep:
        head, sep, message = line.partition(": fatal: ")
        if not sep:
            return None
    parts = head.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    return parts[0], Issue(IssueSeverity.ERROR, message.strip(), "jing", int(parts[1]), int(parts[2]) or None)


# --------------------------------------------------------------------------- the cache


class Cache:
    """Content hashes of the files that passed the last run, per schema set, in one JSON file."""

    def __init__(self, path: Path, key: str) -> None:
        self.path = path
        self.key = key
        self.entries: dict[str, str] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("key") == key:
                self.entries = dict(data.get("files", {}))
        except (OSError, ValueError, AttributeError):
            pass

    def update(self, result: FileResult) -> None:
        if result.ok and result.digest is not None:
            self.entries[os.path.abspath(result.path)] = result.digest
        else:
            self.entries.pop(os.path.abspath(result.path), None)

    def save(self) -> None:
        payload = json.dumps({"key": self.key, "files": self.entries}, sort_keys=True).encode()
        write_atomically(self.path, payload, fsync=True)
