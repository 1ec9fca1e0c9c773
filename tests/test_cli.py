"""The ``transcript`` command: outputs, exit codes and error messages, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE

from exporters import cli
from exporters.corpus import Inputs


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@pytest.fixture
def example(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "talk.txt"
    path.parent.mkdir()
    shutil.copy(EXAMPLE, path)
    return path


def test_convert_writes_both_valid_files(capsys: pytest.CaptureFixture[str], example: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run(capsys, "convert", str(example), "-o", str(out))
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == ["talk.jsonld", "talk.tei.xml"]
    code, stdout, _ = run(capsys, "validate", str(out / "talk.tei.xml"), str(out / "talk.jsonld"))
    assert code == 0 and stdout.count(": valid") == 2
    assert json.loads((out / "talk.jsonld").read_text())["reportNumber"] == "517-14-03-2023"


def test_convert_is_deterministic(capsys: pytest.CaptureFixture[str], example: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    run(capsys, "convert", str(example), "-o", str(a))
    run(capsys, "convert", str(example), "-o", str(b))
    for name in ("talk.tei.xml", "talk.jsonld"):
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_convert_to_stdout(capsys: pytest.CaptureFixture[str], example: Path) -> None:
    code = cli.main(["convert", str(example), "--to", "jsonld", "-o", "-"])
    out = capsys.readouterr().out
    assert code == 0 and json.loads(out)["@type"] == ["Report", "Conversation"]


def test_stdout_needs_one_format(capsys: pytest.CaptureFixture[str], example: Path) -> None:
    code, _, err = run(capsys, "convert", str(example), "-o", "-")
    assert code == 2 and "choose --to tei or --to jsonld" in err


def test_only_requested_format(capsys: pytest.CaptureFixture[str], example: Path, tmp_path: Path) -> None:
    code, _, _ = run(capsys, "convert", str(example), "--to", "tei", "-o", str(tmp_path))
    assert code == 0 and (tmp_path / "talk.tei.xml").exists() and not (tmp_path / "talk.jsonld").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the input is empty"),
        (b"\x00\x01binary", ":1: error: binary data"),
        ("Вопрос: Как?\n\nОтвет: Так.".encode("cp1251"), ":1: error: not valid UTF-8"),
    ],
)
def test_unreadable_inputs(capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    code, _, err = run(capsys, "convert", str(bad), "-o", str(tmp_path))
    assert code == 2
    assert str(bad) in err and message in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt"], "no output may be written"


def test_missing_input_and_missing_outdir(capsys: pytest.CaptureFixture[str], tmp_path: Path, example: Path) -> None:
    code, _, err = run(capsys, "convert", str(tmp_path / "nope.txt"), "-o", str(tmp_path))
    assert code == 2 and "nope.txt: error: cannot read: No such file or directory [read]" in err
    code, _, err = run(capsys, "convert", str(example), "-o", str(tmp_path / "nowhere"))
    assert code == 2 and "output folder does not exist" in err


def test_one_bad_input_does_not_stop_the_others(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, example: Path
) -> None:
    code, _, _ = run(capsys, "convert", str(tmp_path / "nope.txt"), str(example), "-o", str(tmp_path))
    assert code == 2
    assert (tmp_path / "talk.tei.xml").exists()


def test_never_overwrites_an_input(capsys: pytest.CaptureFixture[str], example: Path) -> None:
    precious = example.parent / "talk.tei.xml"
    precious.write_bytes(b"<keep/>")
    code, _, err = run(capsys, "convert", str(example), str(precious), "-o", str(example.parent))
    assert precious.read_bytes() == b"<keep/>"
    assert code == 2 and "refusing to overwrite an input file" in err


def test_xml_forbidden_characters_are_removed_with_a_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "ctrl.txt"
    bad.write_text("Question: Why\x01?\n\nSergey Lavrov: Because.")
    code, _, err = run(capsys, "convert", str(bad), "-o", str(tmp_path))
    assert code == 0
    assert f"{bad}:1: warning: removed \\x01 (XML 1.0 cannot carry it) [removed-control-character]" in err
    code, _, _ = run(capsys, "validate", str(tmp_path / "ctrl.tei.xml"), str(tmp_path / "ctrl.jsonld"))
    assert code == 0


def test_validate_reports_problems_with_locations(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, example: Path
) -> None:
    run(capsys, "convert", str(example), "-o", str(tmp_path))
    tei = tmp_path / "talk.tei.xml"
    tei.write_text(tei.read_text().replace('who="#elena-sorokina"', 'who="#ghost"'))
    broken = tmp_path / "broken.xml"
    broken.write_text("<TEI>\n<teiHeader>\n</TEI>\n")
    doc = tmp_path / "talk.jsonld"
    data = json.loads(doc.read_text())
    data["hasPart"][0]["position"] = 0
    doc.write_text(json.dumps(data))
    code, out, _ = run(capsys, "validate", str(tei), str(broken), str(doc))
    assert code == 1
    assert f"{tei}:" in out and "[who-resolves]" in out
    assert f"{broken}:3:" in out and "[xml]" in out
    assert f"{doc}:$.hasPart[0].position: error:" in out


def test_validate_unknown_kind_and_missing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("just text")
    code, out, err = run(capsys, "validate", str(other), str(tmp_path / "missing.xml"))
    assert code == 2
    assert "neither TEI XML nor JSON-LD" in out and "missing.xml: error: cannot read" in out
    assert "2 files validated; 2 error" in err


def test_bad_json_is_reported(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    doc = tmp_path / "x.jsonld"
    doc.write_text('{"@context": \n  [1, }')
    code, out, _ = run(capsys, "validate", str(doc))
    assert code == 1 and f"{doc}:2:" in out and "not valid JSON" in out


def test_show(capsys: pytest.CaptureFixture[str], example: Path) -> None:
    code, out, _ = run(capsys, "show", str(example))
    assert code == 0
    for expected in (
        "Published:   2023-03-14T16:05:00+03:00",
        "Number:      517-14-03-2023",
        "elena-sorokina       Elena Sorokina — Foreign Minister",
        "Repairs (1):",
        "duplicated-broken-sentence at turn 2, paragraph 3",
    ):
        assert expected in out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["convert"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["frobnicate"])
    assert exit_info.value.code == 2


def test_console_script_runs(tmp_path: Path, example: Path) -> None:
    """The installed entry point, as a user calls it."""
    exe = shutil.which("transcript", path=os.path.dirname(sys.executable))
    cmd = [exe] if exe else [sys.executable, "-m", "exporters"]
    proc = subprocess.run(
        [*cmd, "convert", str(example), "-o", str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run([*cmd, "show", str(tmp_path / "missing.txt")], capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "missing.txt: cannot read" in proc.stderr


def test_never_overwrites_an_input_found_in_a_folder(capsys: pytest.CaptureFixture[str], example: Path) -> None:
    """With --glob '*' the folder's earlier outputs are inputs too: they are not overwritten
    (nor converted into themselves), and the run says so."""
    folder = example.parent
    precious = folder / "talk.tei.xml"
    precious.write_bytes(b"<keep/>")
    code, _, err = run(capsys, "convert", str(folder), "--glob", "*", "-o", str(folder), "-q", "-j", "1")
    assert precious.read_bytes() == b"<keep/>"
    assert code == 2 and f"{precious}: refusing to overwrite an input file" in err


def test_inputs_are_decided_without_listing_them(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    lone = tmp_path / "lone.txt"
    inputs = Inputs.of([str(tmp_path / "in"), str(lone), "-"], ["*.txt"])
    assert str(lone) in inputs
    assert str(tmp_path / "in" / "deep" / "a.txt") in inputs
    assert str(tmp_path / "in" / "a.tei.xml") not in inputs  # does not match the globs
    assert str(tmp_path / "other.txt") not in inputs  # outside the folders given
    assert str(tmp_path / "in-sibling" / "a.txt") not in inputs  # a prefix is not a parent


def test_version_says_how_the_installation_runs(capsys: pytest.CaptureFixture[str]) -> None:
    import transcript_model  # noqa: PLC0415
    import transcript_model.parsing  # noqa: PLC0415
    from exporters import validation  # noqa: PLC0415

    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--version"])
    assert exit_info.value.code == 0
    line = capsys.readouterr().out.strip()
    compiled = not (transcript_model.parsing.__file__ or "").endswith(".py")
    expected = (
        f"transcript-model {transcript_model.__version__} "
        f"(parser and exporters {'compiled' if compiled else 'as Python'}, "
        + (
            "C verdicts of the rules and RELAX NG)"
            if validation._native_rules is not None
            else "Python verdict of the rules)"
        )
    )
    assert line == expected


def test_an_empty_output_folder_holds_no_input_even_through_a_link(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, example: Path
) -> None:
    """Into an output folder that held no file, outputs are written without asking whether
    they are inputs: a folder linked there is walked as given, and its files' outputs land
    in the output folder itself, beside the link, never on a file behind it."""
    precious = example.parent / "talk.tei.xml"
    precious.write_bytes(b"<keep/>")
    out = tmp_path / "out"
    out.mkdir()
    (out / "link").symlink_to(example.parent, target_is_directory=True)
    code, _, _ = run(capsys, "convert", str(out / "link"), "--glob", "*", "-o", str(out), "-q", "-j", "1")
    assert precious.read_bytes() == b"<keep/>"
    assert (out / "talk.tei.xml").exists() and (out / "talk.tei.xml").read_bytes() != b"<keep/>"
    # talk.tei.xml, an input by the glob, is read as a transcript too (the parser is tolerant)
    assert code == 0 and (out / "talk.tei.xml.tei.xml").exists()
