"""Whole corpora through the CLI: folders, parallel runs, reports, third-party schemas,
incremental runs, and inputs that must not break a run."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import multiprocessing.pool
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import EXAMPLE, SHARED, TEI_ALL, need
from lxml import etree

from exporters import cli, corpus
from exporters.resources import JSONLD_SCHEMA, schema_path

PARLAMINT_RNG = SHARED / "tei" / "parlamint" / "ParlaMint-TEI.local-fix.rng"
PARLAMINT_SAMPLE = SHARED / "tei" / "parlamint" / "samples" / "ParlaMint-GB_2020-02-12-lords.xml"
PARLA_CLARIN = SHARED / "tei" / "parla-clarin"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def transcript(i: int) -> str:
    return f"Talks number {i}\n\nQuestion: How did talks {i} go?\n\nSergey Lavrov: They went well, thank you.\n"


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    """A folder of transcripts in subfolders, with one broken file and one that is not ours."""
    root = tmp_path / "collection"
    for i in range(6):
        folder = root / ("2021" if i % 2 else "2022")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"t{i}.txt").write_text(transcript(i))
    (root / "2022" / "broken.txt").write_bytes(b"\xff\xfe\x00")  # not text
    (root / "notes.csv").write_text("a,b\n")  # not matched by the default globs
    return root


def test_convert_a_folder_in_parallel(capsys: pytest.CaptureFixture[str], collection: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run(capsys, "convert", str(collection), "-o", str(out), "-j", "2")
    assert code == 2  # the broken file
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == sorted(
        [f"2021/t{i}{s}" for i in (1, 3, 5) for s in (".jsonld", ".tei.xml")]
        + [f"2022/t{i}{s}" for i in (0, 2, 4) for s in (".jsonld", ".tei.xml")]
    )
    assert "broken.txt" in err and "7 files converted; 6 valid; 1 error" in err
    code, stdout, _ = run(capsys, "validate", str(out), "-j", "2")
    assert code == 0 and stdout.count(": valid") == 12


def test_glob_selects_files(capsys: pytest.CaptureFixture[str], collection: Path, tmp_path: Path) -> None:
    code, _, err = run(capsys, "convert", str(collection), "-o", str(tmp_path), "--glob", "t1.txt")
    assert code == 0 and "1 files converted" in err


def test_reports(capsys: pytest.CaptureFixture[str], collection: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    run(capsys, "convert", str(collection), "-o", str(out), "-q")
    bad = out / "2021" / "t1.tei.xml"
    bad.write_text(bad.read_text().replace('who="#sergey-lavrov"', 'who="#ghost"'))

    code, stdout, err = run(capsys, "validate", str(out), "--report", "json", "-j", "1")
    report = json.loads(stdout)
    assert code == 1
    assert report["summary"]["files"] == 12 and report["summary"]["invalid"] == 1
    failing = [f for f in report["files"] if f["status"] == "invalid"]
    assert len(failing) == 1, failing
    (failed,) = failing
    assert failed["path"].endswith("t1.tei.xml") and failed["issues"][0]["rule"] == "who-resolves"
    assert "12 files validated; 11 valid; 1 invalid; errors by kind: who-resolves 1" in err

    code, stdout, _ = run(capsys, "validate", str(out), "--report", "junit")
    suite = etree.fromstring(stdout.encode()).find("testsuite")
    assert suite is not None and suite.get("tests") == "12" and suite.get("failures") == "1"
    cases = suite.findall("testcase")
    assert len(cases) == 12 and sum(1 for c in cases if c.find("failure") is not None) == 1

    code, stdout, _ = run(capsys, "validate", str(out), "--report", "github")
    (line,) = [line for line in stdout.splitlines() if line.startswith("::error")]
    assert any(line.startswith("::warning file=") for line in stdout.splitlines())
    assert re.fullmatch(r"::error file=.*t1\.tei\.xml,line=\d+,title=who-resolves::u/@who=\"#ghost\" .*", line)


def test_changed_only_skips_what_passed(capsys: pytest.CaptureFixture[str], collection: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    run(capsys, "convert", str(collection), "-o", str(out), "-q")
    cache = tmp_path / "cache"
    cache.mkdir()
    args = ["validate", str(out), "--changed-only", "--cache-dir", str(cache), "--report", "json"]
    first = json.loads(run(capsys, *args)[1])["summary"]
    assert (first["valid"], first["skipped"]) == (12, 0)
    second = json.loads(run(capsys, *args)[1])["summary"]
    assert (second["valid"], second["skipped"]) == (0, 12)
    (out / "2022" / "t0.jsonld").write_text(
        (out / "2022" / "t0.jsonld").read_text().replace('"position": 1', '"position": 0')
    )
    third = json.loads(run(capsys, *args)[1])["summary"]
    assert (third["invalid"], third["skipped"]) == (1, 11)
    # a different schema set invalidates the cache
    _code, stdout, _ = run(
        capsys,
        *args,
        "--schema",
        str(schema_path(JSONLD_SCHEMA)),
    )
    assert json.loads(stdout)["summary"]["skipped"] == 0


def test_interrupted_convert_leaves_complete_files_and_resumes(
    capsys: pytest.CaptureFixture[str], collection: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    real = corpus._convert_chunk
    done = []

    def flaky(items: list[tuple[str, str | None]]) -> list[corpus.FileResult]:
        if len(done) == 3:
            raise KeyboardInterrupt
        assert len(items) == 1  # seven inputs on one core: batches of one (four batches each)
        done.extend(items)
        return real(items)

    monkeypatch.setattr(cli, "_convert_chunk", flaky)
    code, _, err = run(capsys, "convert", str(collection), "-o", str(out), "-j", "1", "--changed-only")
    assert code == 130 and "interrupted after 3 of 7 files" in err and "--changed-only" in err
    assert len(list(out.rglob("*.tei.xml"))) == 3
    assert not list(out.rglob("*.tmp"))
    for f in out.rglob("*.tei.xml"):
        etree.fromstring(f.read_bytes())  # complete documents
    monkeypatch.setattr(cli, "_convert_chunk", real)
    code, _, err = run(capsys, "convert", str(collection), "-o", str(out), "-j", "1", "--changed-only")
    assert "3 skipped" in err and len(list(out.rglob("*.tei.xml"))) == 6


def test_atomic_write_never_leaves_a_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "x.tei.xml"
    target.write_bytes(b"<old/>")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        corpus.write_atomically(target, b"<new/>" * 1000)
    assert target.read_bytes() == b"<old/>" and [p.name for p in tmp_path.iterdir()] == ["x.tei.xml"]


def test_atomic_write_skips_a_stale_temporary_name_and_follows_the_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A temporary file left by a killed process with the same pid is neither reused nor
    removed; the output gets the permissions any new file gets (not mkstemp's 0600); a
    missing folder is made."""
    monkeypatch.setattr(corpus, "_temp_names", itertools.count())
    target = tmp_path / "new" / "x.tei.xml"
    target.parent.mkdir()
    stale = target.parent / f".x.tei.xml.{os.getpid()}.0.tmp"
    stale.write_bytes(b"left by a killed run")
    old_umask = os.umask(0o022)
    try:
        corpus.write_atomically(target, b"<new/>")
        corpus.write_atomically(tmp_path / "made" / "deeper" / "y.tei.xml", b"<y/>")
    finally:
        os.umask(old_umask)
    assert target.read_bytes() == b"<new/>" and stale.read_bytes() == b"left by a killed run"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert (tmp_path / "made" / "deeper" / "y.tei.xml").read_bytes() == b"<y/>"
    assert sorted(p.name for p in target.parent.iterdir()) == [stale.name, "x.tei.xml"]


def _temp_name_pid(_: object) -> tuple[int, int]:
    return corpus._pid[0], os.getpid()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork: the workers of a run are forked")
def test_a_forked_worker_names_its_temporary_files_with_its_own_pid() -> None:
    import multiprocessing  # noqa: PLC0415

    with multiprocessing.get_context("fork").Pool(2) as pool:
        pids = pool.map(_temp_name_pid, range(4))
    assert all(named == own != os.getpid() for named, own in pids)
    assert corpus._pid[0] == os.getpid()


def test_read_bytes_reads_every_kind_of_file_to_its_end(tmp_path: Path) -> None:
    """Four system calls for a file of the size it had; to the end otherwise."""
    for size in (0, 1, 3648, 70_000):
        f = tmp_path / f"f{size}"
        data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
        f.write_bytes(data)
        assert corpus.read_bytes(str(f)) == data
    with pytest.raises(IsADirectoryError):
        corpus.read_bytes(str(tmp_path))
    with pytest.raises(FileNotFoundError):
        corpus.read_bytes(str(tmp_path / "absent"))
    proc = Path("/proc/self/status")  # a size of 0, a text that is not empty
    if proc.exists():
        assert corpus.read_bytes(str(proc)).startswith(b"Name:")
    if hasattr(os, "mkfifo"):  # a pipe: no size, read until the writer closes it
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        payload = b"Question: x?\n" * 10_000  # more than a pipe holds: read while written
        code = f"open({str(fifo)!r}, 'wb').write(b'Question: x?\\n' * 10_000)"
        writer = subprocess.Popen([sys.executable, "-c", code])
        try:
            assert corpus.read_bytes(str(fifo)) == payload
        finally:
            writer.wait(timeout=60)


def test_read_bytes_reads_on_when_a_file_grew_after_its_size_was_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    f = tmp_path / "growing.txt"
    f.write_bytes(b"a" * 100_000)
    real_fstat = os.fstat

    class Smaller:
        st_size = 10  # what fstat said before the file grew

    monkeypatch.setattr(os, "fstat", lambda fd: Smaller())
    try:
        assert corpus.read_bytes(str(f)) == b"a" * 100_000
    finally:
        monkeypatch.setattr(os, "fstat", real_fstat)


def test_fsync_is_asked_for_with_the_flag_only(
    capsys: pytest.CaptureFixture[str], collection: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files are forced to disk (one fsync per file written) with --fsync, and not without."""
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd))[1])
    for flag, out in (([], tmp_path / "a"), (["--fsync"], tmp_path / "b")):
        out.mkdir()
        synced.clear()
        run(capsys, "convert", str(collection), "-o", str(out), "-q", "-j", "1", *flag)
        written = list(out.rglob("*.tei.xml")) + list(out.rglob("*.jsonld"))
        assert len(synced) == (len(written) if flag else 0) and written


def test_a_run_again_leaves_unchanged_outputs_alone(
    capsys: pytest.CaptureFixture[str], collection: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outputs are deterministic: converting again rewrites only the files whose bytes differ
    (their modification times say so), and --fsync still forces the others to disk."""
    out = tmp_path / "out"
    out.mkdir()
    run(capsys, "convert", str(collection), "-o", str(out), "-q")
    files = sorted(out.rglob("*.tei.xml")) + sorted(out.rglob("*.jsonld"))
    assert len(files) == 12
    for f in files:
        os.utime(f, ns=(1_000_000_000, 1_000_000_000))  # 2001: any rewrite shows
    tampered = files[0]
    tampered.write_bytes(tampered.read_bytes().replace(b"Lavrov", b"Lavrof"))
    os.utime(tampered, ns=(1_000_000_000, 1_000_000_000))
    expected = {f: f.read_bytes() for f in files[1:]}
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd))[1])
    code, _, err = run(capsys, "convert", str(collection), "-o", str(out), "--fsync", "-j", "1")
    assert code == 2 and "6 valid" in err  # the broken file, as before
    assert [f for f in files if f.stat().st_mtime_ns != 1_000_000_000] == [tampered]
    assert b"Lavrof" not in tampered.read_bytes() and b"Lavrov" in tampered.read_bytes()
    assert all(f.read_bytes() == data for f, data in expected.items())
    assert len(synced) == len(files)  # rewritten or not, every output is on disk
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


def test_stale_temporaries_of_a_killed_run_are_removed(
    capsys: pytest.CaptureFixture[str], collection: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (out / "2022").mkdir(parents=True)
    stale = out / "2022" / ".t0.tei.xml.k3j2h1.tmp"
    stale.write_bytes(b"<TEI")
    run(capsys, "convert", str(collection), "-o", str(out), "-q")
    assert not stale.exists()


def test_outputs_into_an_empty_folder_are_written_without_a_comparison(
    capsys: pytest.CaptureFixture[str], collection: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder that held no file (a killed run's temporaries aside) is written straight
    into; one that held any is compared with first, file by file, as before."""
    compared: list[str] = []
    real = corpus.write_if_changed
    monkeypatch.setattr(
        corpus, "write_if_changed", lambda path, *a, **k: (compared.append(str(path)), real(path, *a, **k))[1]
    )
    out = tmp_path / "out"
    (out / "2022").mkdir(parents=True)
    (out / "2022" / ".t0.tei.xml.k3j2h1.tmp").write_bytes(b"<TEI")
    run(capsys, "convert", str(collection), "-o", str(out), "-q", "-j", "1")
    written = sorted(out.rglob("*.tei.xml")) + sorted(out.rglob("*.jsonld"))
    assert len(written) == 12 and compared == []
    run(capsys, "convert", str(collection), "-o", str(out), "-q", "-j", "1")
    assert sorted(compared) == sorted(map(str, written))


# --- inputs that must not break a run ---------------------------------------------------------


def test_bad_inputs_each_get_an_error_and_the_run_goes_on(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(bytes(range(256)))
    (src / "truncated.txt").write_bytes("Question: Почему".encode()[:-1])  # cut inside a character
    (src / "cp1251.txt").write_bytes("Вопрос: Почему?\n\nВ.Путин: Потому.".encode("cp1251"))
    (src / "utf16.txt").write_bytes("Title\n\nQuestion: Why?\n\nSergey Lavrov: Because.".encode("utf-16"))
    (src / "controls.txt").write_text("Title\n\nQuestion: Why\x01\x0b?\n\nSergey Lavrov: Be\x85cause.")
    (src / "good.txt").write_text(transcript(1))
    os.symlink(src / "loop-a.txt", src / "loop-b.txt")
    os.symlink(src / "loop-b.txt", src / "loop-a.txt")
    os.symlink(src, src / "self")  # a folder link loop: not followed
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run(capsys, "convert", str(src), "-o", str(out), "-j", "2")
    assert code == 2
    for name, message in [
        ("empty.txt", "the input is empty"),
        ("binary.txt", "binary data"),
        ("truncated.txt", "not valid UTF-8"),
        ("cp1251.txt", "re-encode the file as UTF-8"),
        ("loop-a.txt", "cannot read"),
        ("loop-b.txt", "cannot read"),
    ]:
        assert re.search(rf"{re.escape(name)}(:\d+)?: error: [^\n]*{re.escape(message)}", err), name
    assert "removed \\x01\\x0b" in err
    converted = sorted(p.name for p in out.iterdir())
    assert converted == sorted(f"{n}{s}" for n in ("controls", "good", "utf16") for s in (".jsonld", ".tei.xml"))
    assert "9 files converted; 3 valid; 6 error" in err


def test_unreadable_file(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file that cannot be opened (root ignores permissions, so the denial is simulated)."""
    locked = tmp_path / "locked.txt"
    locked.write_text(transcript(1))
    real_open = os.open

    def deny(path: object, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if str(path) == str(locked):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    code, _, err = run(capsys, "convert", str(locked), "-o", str(tmp_path), "-j", "1")
    assert code == 2 and "locked.txt: error: cannot read: Permission denied" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file without read permission")
def test_unreadable_permissions(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text(transcript(1))
    locked.chmod(0)
    code, _, err = run(capsys, "convert", str(locked), "-o", str(tmp_path))
    assert code == 2 and "Permission denied" in err


def test_large_inputs(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    many = tmp_path / "many.txt"
    many.write_text("Title\n\nSergey Lavrov: Hello.\n\n" + "\n\n".join(f"Point {i}." for i in range(100_000)))
    big = tmp_path / "big.txt"
    para = "We discussed the situation in the region and agreed to continue our consultations. " * 10
    with big.open("w") as fh:
        fh.write("A long conference\n\n")
        i = 0
        while fh.tell() < 50_000_000:
            fh.write(f"Question: Question {i}?\n\nSergey Lavrov: {para}\n\n")
            i += 1
    code, _, err = run(capsys, "convert", str(many), str(big), "-o", str(tmp_path), "-j", "2", "--to", "jsonld")
    assert code == 0, err
    doc = json.loads((tmp_path / "many.jsonld").read_text())
    assert len(doc["hasPart"][0]["paragraphs"]) == 100_001


@pytest.mark.slow
def test_ten_thousand_files_with_a_few_broken(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = tmp_path / "in"
    out = tmp_path / "out"
    out.mkdir()
    for i in range(10_000):
        folder = src / f"{i // 1000:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        data = b"" if i % 2500 == 7 else transcript(i).encode()
        (folder / f"t{i:05d}.txt").write_bytes(data)
    code, stdout, _err = run(capsys, "convert", str(src), "-o", str(out), "--to", "tei", "-q", "--report", "json")
    assert code == 2
    summary = json.loads(stdout)["summary"]
    assert (summary["files"], summary["valid"], summary["error"]) == (10_000, 9_996, 4)
    assert sum(1 for _ in out.rglob("*.tei.xml")) == 9_996


# --- safe XML and JSON ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "laughs.xml",
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><TEI>&lol3;</TEI>',
            "document type declarations are not accepted",
        ),
        (
            "xxe.xml",
            b'<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]><TEI>&x;</TEI>',
            "document type declarations are not accepted",
        ),
        ("deep.xml", b"<TEI>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</TEI>", "Excessive depth"),
        (
            "xinclude.xml",
            b'<TEI xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="/etc/passwd" parse="text"/></TEI>',
            "relaxng",
        ),
    ],
)
def test_hostile_xml_is_rejected_quickly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    start = time.perf_counter()
    code, stdout, _ = run(capsys, "validate", str(path))
    assert time.perf_counter() - start < 10  # bounded, not a benchmark
    assert code == 1 and message in stdout and "root:" not in stdout


def test_remote_jsonld_context_is_reported_not_fetched(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps({"@context": "https://schema.org/", "@type": "Report", "name": "x"}))
    code, stdout, _ = run(capsys, "validate", str(path))
    assert code == 1 and "remote contexts are never fetched" in stdout


# --- third-party TEI and user schemas ---------------------------------------------------------


def _variants(tmp_path: Path) -> list[Path]:
    """The ParlaMint sample and broken variants of it."""
    s = need(PARLAMINT_SAMPLE, "ParlaMint sample").read_text()
    variants = {
        "ok.xml": s,
        "bad_elem.xml": s.replace("<edition>4.0</edition>", "<editio>4.0</editio>", 1),
        "bad_attr.xml": s.replace('unit="speeches"', 'unit="speeches" bogus="1"', 1),
        "bad_when.xml": re.sub(r'when="\d{4}-\d\d-\d\d"', 'when="yesterday"', s, count=1),
        "bad_child.xml": s.replace("<edition>4.0</edition>", "<edition>4.0</edition><foo/>", 1),
        "not_wf.xml": s.replace("</titleStmt>", "", 1),
    }
    paths = []
    for name, text in variants.items():
        assert name == "ok.xml" or text != s
        (tmp_path / name).write_text(text)
        paths.append(tmp_path / name)
    return paths


def _first_error_lines(stdout: str) -> dict[str, int]:
    first: dict[str, int] = {}
    for line in stdout.splitlines():
        m = re.match(r"(.*?):(\d+)(?::\d+)?: error:", line)
        if m:
            first.setdefault(Path(m.group(1)).name, int(m.group(2)))
    return first


def test_third_party_tei_against_its_own_schema(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rng = need(PARLAMINT_RNG, "ParlaMint schema")
    paths = _variants(tmp_path)
    code, stdout, _ = run(capsys, "validate", "--rng", str(rng), *map(str, paths), "-j", "1")
    assert code == 1
    assert f"{tmp_path / 'ok.xml'}: valid" in stdout
    assert set(_first_error_lines(stdout)) == {
        "bad_elem.xml",
        "bad_attr.xml",
        "bad_when.xml",
        "bad_child.xml",
        "not_wf.xml",
    }


@pytest.mark.skipif(shutil.which("jing") is None, reason="jing is not installed (apt-get install jing)")
def test_verdicts_and_error_lines_agree_with_jing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rng = need(PARLAMINT_RNG, "ParlaMint schema")
    paths = _variants(tmp_path)
    ours = _first_error_lines(run(capsys, "validate", "--rng", str(rng), *map(str, paths))[1])
    theirs: dict[str, int] = {}
    for p in paths:  # jing stops at a fatal error, so one file per call
        out = subprocess.run(["jing", str(rng), str(p)], capture_output=True, text=True, check=False).stdout
        lines = [corpus.parse_jing_line(line) for line in out.splitlines()]
        issues = [parsed[1] for parsed in lines if parsed is not None]
        error_lines = [line for line in out.splitlines() if corpus.parse_jing_line(line)]
        fatal = [i for i, line in zip(issues, error_lines, strict=True) if ": fatal: " in line]
        if issues:
            theirs[p.name] = (fatal or issues)[0].line or 0
    assert ours == theirs


def test_schema_too_slow_for_lxml(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = need(PARLA_CLARIN / "parla-clarin.rng", "Parla-CLARIN schema")
    exemplar = PARLA_CLARIN / "Parla-CLARIN-Exemplar.xml"
    monkeypatch.setattr(shutil, "which", lambda name: None)
    start = time.perf_counter()
    code, _, err = run(capsys, "validate", "--rng", str(rng), "--schema-timeout", "3", str(exemplar))
    assert code == 2 and "cannot compile this RELAX NG schema within 3 s and jing is not installed" in err
    assert time.perf_counter() - start < 30


@pytest.mark.skipif(shutil.which("jing") is None, reason="jing is not installed (apt-get install jing)")
def test_schema_too_slow_for_lxml_goes_to_jing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rng = need(PARLA_CLARIN / "parla-clarin.rng", "Parla-CLARIN schema")
    exemplar = PARLA_CLARIN / "Parla-CLARIN-Exemplar.xml"
    broken = tmp_path / "broken.xml"
    broken.write_text(
        exemplar.read_text().replace("<teiHeader", "<teiHeadr", 1).replace("</teiHeader>", "</teiHeadr>", 1)
    )
    code, stdout, err = run(capsys, "validate", "--rng", str(rng), "--schema-timeout", "3", str(exemplar), str(broken))
    assert "validating with jing instead" in err
    assert code == 1 and f"{exemplar}: valid" in stdout and re.search(r"broken\.xml:\d+:\d+: error: .*\[jing\]", stdout)


def test_xslt2_schematron_is_refused_clearly(capsys: pytest.CaptureFixture[str]) -> None:
    sch = need(PARLA_CLARIN / "parla-clarin.sch", "Parla-CLARIN Schematron")
    code, _, err = run(capsys, "validate", "--sch", str(sch), str(PARLA_CLARIN / "Parla-CLARIN-Exemplar.xml"))
    assert code == 2 and "XSLT 1.0 query binding only" in err


@pytest.mark.slow
def test_tei_all_loads_once_for_a_parallel_run(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    need(TEI_ALL, "official TEI P5 schema tei_all.rng")
    out = tmp_path / "out"
    out.mkdir()
    run(capsys, "convert", str(EXAMPLE), "-o", str(out), "--to", "tei", "-q")
    for i in range(4):
        shutil.copy(out / "answer-to-media-question.tei.xml", out / f"copy{i}.tei.xml")
    code, stdout, err = run(capsys, "validate", "--tei-all", str(TEI_ALL), "--also-ours", str(out), "-j", "2")
    assert code == 0 and stdout.count(": valid") == 5
    assert err.count("loading") == 1 and "once for the whole run" in err


def _thresholds(item: tuple[str, str | None]) -> corpus.FileResult:
    """A task that reports the garbage collector's thresholds where it runs."""
    import gc  # noqa: PLC0415

    return corpus.FileResult(item[0], "valid", outputs=[repr(gc.get_threshold())])


@pytest.mark.parametrize("jobs", [1, 2])
def test_runs_collect_garbage_less_often_and_restore_the_thresholds(jobs: int) -> None:
    """In a run (in process or in forked workers) the cyclic collector runs at
    RUN_GC_THRESHOLDS; the caller's thresholds come back afterwards, also when the caller
    stops reading the results early."""
    import gc  # noqa: PLC0415

    before = gc.get_threshold()
    assert before != corpus.RUN_GC_THRESHOLDS
    items = [(f"f{k}", None) for k in range(20)]
    seen = {r.outputs[0] for r in corpus.run_parallel(_thresholds, items, jobs, {}, len(items))}
    assert seen == {repr(corpus.RUN_GC_THRESHOLDS)}
    assert gc.get_threshold() == before
    results = corpus.run_parallel(_thresholds, items, jobs, {}, len(items))
    next(results)
    assert gc.get_threshold() == corpus.RUN_GC_THRESHOLDS
    results.close()  # a caller interrupted (KeyboardInterrupt) closes the generator
    assert gc.get_threshold() == before


def _pid(item: tuple[str, str | None]) -> corpus.FileResult:
    """A task that reports the process it runs in."""
    return corpus.FileResult(item[0], "valid", outputs=[str(os.getpid())])


def _joined_within(pool: multiprocessing.pool.Pool, seconds: float) -> bool:
    joiner = threading.Thread(target=pool.join, daemon=True)
    joiner.start()
    joiner.join(seconds)
    return not joiner.is_alive()


def test_the_pool_thread_waits_for_its_work_only_and_does_it() -> None:
    """The pool's worker-keeping thread waits for the pool's change notifier and the
    workers' sentinels, not for results in the pipe (on which it spun), and still does all
    it has to: workers that exit (here after two tasks each) are replaced until the tasks
    are done, a closed pool exits, a terminated one stops."""
    fork = multiprocessing.get_context("fork")
    pool = corpus.process_pool()(2, maxtasksperchild=2, context=fork)
    try:
        assert pool._get_sentinels() == [pool._change_notifier._reader]
        items = [(f"f{k}", None) for k in range(30)]
        results = pool.map_async(_pid, items, chunksize=1).get(timeout=60)
        assert [r.path for r in results] == [path for path, _ in items]
        assert len({r.outputs[0] for r in results}) >= 15  # a worker runs two tasks, then a new one
    finally:
        pool.close()
    assert _joined_within(pool, 30), "a closed pool did not exit"
    busy = corpus.process_pool()(2, context=fork)
    pending = busy.map_async(time.sleep, [0.2] * 40)
    busy.terminate()
    assert _joined_within(busy, 30), "a terminated pool did not stop"
    assert not pending.ready() or not pending.successful()


def test_a_run_leaves_no_reference_cycles_per_document(tmp_path: Path) -> None:
    """What converting a document leaves is freed by reference counting: collecting less
    often keeps nothing alive longer (a closure in a compiled repair rule once held a
    document's paragraphs in a cycle)."""
    import gc  # noqa: PLC0415

    opts = corpus.ConvertOptions(outdir=str(tmp_path))
    data = EXAMPLE.read_bytes()
    corpus.load_converters()
    corpus.convert_bytes("a.txt", data, opts)
    gc.collect()
    gc.disable()
    try:
        for _ in range(5):
            outputs, _, status = corpus.convert_bytes("a.txt", data, opts)
            assert status == "valid" and len(outputs) == 2
        left = gc.collect()
    finally:
        gc.enable()
    assert left == 0


@pytest.mark.parametrize("caller_collects", [True, False])
def test_no_collection_within_a_document(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caller_collects: bool
) -> None:
    """The cyclic collector is off while a document is converted or validated (in the middle
    of a large one it went through everything the document had made, freeing nothing), and
    on again between documents, also after one that failed; a caller who turned it off
    finds it off."""
    import gc  # noqa: PLC0415

    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"t{i}.txt").write_text(transcript(i), encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    seen: list[bool] = []
    real_convert, real_validate = corpus.convert_batch, corpus.Checks.validate

    def convert(items: list[tuple[str, bytes]], opts: corpus.ConvertOptions) -> list[corpus.ConvertedIn]:
        seen.append(gc.isenabled())
        if any(name.endswith("t1.txt") for name, _ in items):
            raise MemoryError("a document too large")  # what no converter catches
        return real_convert(items, opts)

    def validate(self: corpus.Checks, path: str, data: bytes) -> list[corpus.Issue]:
        seen.append(gc.isenabled())
        return real_validate(self, path, data)

    monkeypatch.setattr(corpus, "convert_batch", convert)
    monkeypatch.setattr(corpus.Checks, "validate", validate)
    before = gc.isenabled()
    if not caller_collects:
        gc.disable()
    try:
        code, _, err = run(capsys, "convert", str(src / "t1.txt"), "-o", str(out), "-j", "1")
        assert code != 0 and "MemoryError" in err
        assert gc.isenabled() == caller_collects
        assert run(capsys, "convert", str(src / "t0.txt"), str(src / "t2.txt"), "-o", str(out), "-j", "1")[0] == 0
        assert gc.isenabled() == caller_collects
        assert run(capsys, "validate", str(out), "-j", "1")[0] == 0
        assert gc.isenabled() == caller_collects
    finally:
        if before:
            gc.enable()
    assert seen == [False] * 7  # t1, then t0 and t2 converted; their four outputs validated


def _without_seconds(results: list[corpus.ConvertedIn]) -> list[tuple[object, ...]]:
    return [(outputs, [i.format("x") for i in issues], status) for outputs, issues, status, _ in results]


def test_a_batch_converts_each_input_as_it_would_be_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stage by stage, each input still gets its own outputs, issues and status: good ones,
    unreadable ones, one an exporter refuses, one converted to TEI only."""
    from exporters import jsonld, tei  # noqa: PLC0415

    corpus.load_converters()
    inputs = [
        ("a.txt", transcript(1).encode()),
        ("binary.txt", b"\xff\xfe\x00"),
        ("b.txt", EXAMPLE.read_bytes()),
        ("empty.txt", b"   \n"),
        ("refused.txt", transcript(2).encode()),
        ("refused-jsonld.txt", transcript(4).encode()),
        ("c.txt", transcript(3).encode()),
    ]
    real_to_tei, real_to_jsonld = tei.to_tei, jsonld.to_jsonld

    def refuse_tei(t: object) -> bytes:  # an export that fails for one input only
        if getattr(t, "source_name", None) == "refused.txt":
            raise tei.ExportError("cannot write TEI: a test refuses it")
        return real_to_tei(t)  # type: ignore[arg-type]

    def refuse_jsonld(t: object) -> object:
        if getattr(t, "source_name", None) == "refused-jsonld.txt":
            raise tei.ExportError("cannot write JSON-LD: a test refuses it")
        return real_to_jsonld(t)  # type: ignore[arg-type]

    monkeypatch.setattr(tei, "to_tei", refuse_tei)
    monkeypatch.setattr(jsonld, "to_jsonld", refuse_jsonld)
    for to in ("both", "tei", "jsonld"):
        opts = corpus.ConvertOptions("out", to)
        together = corpus.convert_batch(inputs, opts)
        alone = [corpus.convert_batch([item], opts)[0] for item in inputs]
        assert _without_seconds(together) == _without_seconds(alone)
        statuses = [status for _, _, status, _ in together]
        refused_tei = "invalid" if to != "jsonld" else "valid"
        refused_jsonld = "invalid" if to != "tei" else "valid"
        assert statuses == ["valid", "error", "valid", "error", refused_tei, refused_jsonld, "valid"], to
        for outputs, issues, status, _ in together:  # a refusal: no output, the refusal said last
            if status == "invalid":
                assert outputs == [] and issues[-1].rule == "export" and "a test refuses it" in issues[-1].message
        assert all(seconds > 0 for *_, seconds in together)
        assert corpus.convert_bytes("c.txt", inputs[6][1], opts) == together[6][:3]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_run_in_batches_writes_and_reports_every_input_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    """Forty inputs (batches of eight), one of them larger than a batch's bytes and two
    unreadable: every input is reported once and converted as it would be alone; no batch
    holds more than BATCH_BYTES of input but a single large one."""
    src = tmp_path / "in"
    src.mkdir()
    big = "Big talks\n\nQuestion: Why?\n\nSergey Lavrov: " + "We spoke at length about it. " * 3000 + "\n"
    for i in range(40):
        text = big if i == 17 else transcript(i)
        (src / f"t{i:02d}.txt").write_bytes(b"\x00\x01" if i in (5, 30) else text.encode())
    sizes: list[list[int]] = []
    real = corpus.convert_batch

    def recorded(items: list[tuple[str, bytes]], opts: corpus.ConvertOptions) -> list[corpus.ConvertedIn]:
        sizes.append([len(data) for _, data in items])
        return real(items, opts)

    monkeypatch.setattr(corpus, "convert_batch", recorded)
    out = tmp_path / "out"
    out.mkdir()
    code, stdout, _ = run(capsys, "convert", str(src), "-o", str(out), "-j", jobs, "--report", "json")
    assert code == 2  # two inputs could not be read
    report = json.loads(stdout)
    assert sorted(f["path"] for f in report["files"]) == sorted(str(p) for p in src.iterdir())
    assert report["summary"]["files"] == 40 and report["summary"]["error"] == 2
    corpus.load_converters()
    for path in src.iterdir():
        outputs, _, status = corpus.convert_bytes(str(path), path.read_bytes(), corpus.ConvertOptions(str(out)))
        assert status == ("error" if path.name in ("t05.txt", "t30.txt") else "valid")
        for suffix, data in outputs:
            assert (out / (path.stem + suffix)).read_bytes() == data
    if jobs == "1":  # the workers' batches are not seen from here
        assert max(len(s) for s in sizes) == corpus.BATCH_DOCUMENTS
        assert all(len(s) == 1 or sum(s) <= corpus.BATCH_BYTES for s in sizes)
        assert [len(big.encode())] in sizes  # the large input went alone


def test_issues_of_a_batch_come_in_the_order_of_a_document_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parser's warnings, then the TEI's errors, then the JSON-LD's, whatever order the
    stages ran in; an invalid document writes nothing."""
    corpus.load_converters()
    error = corpus.IssueSeverity.ERROR
    monkeypatch.setattr(corpus, "validate_tei", lambda data: [corpus.Issue(error, "TEI says no", "tei-test")])
    monkeypatch.setattr(corpus, "validate_jsonld", lambda doc: [corpus.Issue(error, "JSON-LD says no", "jsonld-test")])
    text = b"Question: no title here?\n\nSergey Lavrov: None.\n"  # a warning: no title
    for outputs, issues, status, _ in corpus.convert_batch(
        [("a.txt", text), ("b.txt", text)], corpus.ConvertOptions(".")
    ):
        rules = [i.rule for i in issues]
        assert status == "invalid" and outputs == []
        assert rules[-2:] == ["tei-test", "jsonld-test"] and "no-title" in rules[:-2]


def _slow_first(item: tuple[str, str | None]) -> corpus.FileResult:
    """A task that takes longer over the first item than over all the others."""
    if item[0] == "f0":
        time.sleep(0.5)
    return corpus.FileResult(item[0], "valid")


def test_parallel_results_come_in_the_order_of_the_inputs() -> None:
    """A worker that finishes its items late holds back the results after them, not before:
    a run's report is the same on any number of cores."""
    items = [(f"f{k}", None) for k in range(40)]
    assert [r.path for r in corpus.run_parallel(_slow_first, items, 2, {}, len(items))] == [p for p, _ in items]


def test_a_validation_report_is_the_same_on_one_core_and_two(
    capsys: pytest.CaptureFixture[str], collection: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    run(capsys, "convert", str(collection), "-o", str(out), "-q")
    (out / "2021" / "t1.tei.xml").write_text("<TEI/>")  # invalid
    (out / "2022" / "t2.jsonld").write_text("{")  # unreadable
    reports = [run(capsys, "validate", str(out), "-j", jobs)[:2] for jobs in ("1", "2")]
    assert reports[0] == reports[1]
    code, stdout = reports[0]
    assert code == 1 and len(stdout.splitlines()) >= 12
