"""The package as users get it: a wheel built from the repository, installed outside it,
finds its bundled schemas and context; and the layers import only downward."""

from __future__ import annotations

import ast
import importlib
import importlib.machinery
import importlib.util
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest
from conftest import EXAMPLE, REPO

import exporters
import transcript_model

SCHEMA_FILES = {
    "transcript-tei.rng",
    "transcript-tei.sch",
    "transcript-jsonld.schema.json",
    "transcript-context.jsonld",
}


def _run(*cmd: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (REPO / "pyproject.toml").exists():
        pytest.skip("not running from a source checkout")
    out = tmp_path_factory.mktemp("wheel")
    # the same modules compiled, without the C compiler's optimisations: half the build's time
    env = {**os.environ, "TRANSCRIPT_MODEL_OPT_LEVEL": "0"}
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(REPO), env=env)
    (whl,) = out.glob("transcript_model-*.whl")
    return whl


def build_hook() -> ModuleType:
    """``hatch_build.py``, the build hook, as a module (it names the modules mypyc compiles)."""
    path = REPO / "hatch_build.py"
    if not path.exists():
        pytest.skip("not running from a source checkout")
    spec = importlib.util.spec_from_file_location("hatch_build", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CI_ONLY = "checked on CI only (CI=true), where a C compiler and Python's headers are present"


@pytest.mark.slow
def test_wheel_contains_schemas_and_type_markers(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"exporters/schemas/{f}" for f in SCHEMA_FILES} <= names
    assert {"transcript_model/py.typed", "exporters/py.typed"} <= names
    assert not any(n.startswith(("tests/", "shared/")) for n in names)
    # each compiled module keeps its source beside it
    assert set(build_hook().COMPILED) <= names


@pytest.mark.slow
def test_wheel_holds_the_compiled_modules_on_ci(wheel: Path) -> None:
    if not os.environ.get("CI"):
        pytest.skip(CI_ONLY)
    names = set(zipfile.ZipFile(wheel).namelist())
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    compiled = {p.removesuffix(".py") + suffix for p in build_hook().COMPILED}
    native = {"exporters/_rules" + suffix, "transcript_model/_scan" + suffix}
    assert compiled | {"transcript_model__mypyc" + suffix} | native <= names


def test_the_optimisation_level_is_one_the_compiler_knows(monkeypatch: pytest.MonkeyPatch) -> None:
    hook = build_hook()
    monkeypatch.delenv("TRANSCRIPT_MODEL_OPT_LEVEL", raising=False)
    assert hook._opt_level() == "3"
    monkeypatch.setenv("TRANSCRIPT_MODEL_OPT_LEVEL", "0")
    assert hook._opt_level() == "0"
    monkeypatch.setenv("TRANSCRIPT_MODEL_OPT_LEVEL", "fast")
    with pytest.raises(ValueError, match="must be 0, 1, 2 or 3, not 'fast'"):
        hook._opt_level()


def test_ci_runs_the_parser_and_exporters_compiled() -> None:
    """On CI the package was just installed (not editable) from the repository: each module
    mypyc compiles must be imported compiled, so that a broken build cannot fall back to
    Python unseen (the tests then check the compiled modules)."""
    if not os.environ.get("CI"):
        pytest.skip(CI_ONLY)
    for path in build_hook().COMPILED:
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        assert module.__file__ is not None and not module.__file__.endswith(".py"), module.__file__


@pytest.mark.slow
def test_installed_wheel_works_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    _run(sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--target", str(target), str(wheel))
    work = tmp_path / "elsewhere"
    work.mkdir()
    script = (
        "import sys, exporters, transcript_model\n"
        "from exporters.resources import schema_dir\n"
        "assert exporters.__file__.startswith(sys.argv[1]), exporters.__file__\n"
        "assert str(schema_dir()).startswith(sys.argv[1]), schema_dir()\n"
        "t = transcript_model.read(sys.argv[2])\n"
        "assert exporters.validate_tei(exporters.to_tei(t)) == []\n"
        "assert exporters.validate_jsonld(exporters.to_jsonld(t)) == []\n"
        "print('ok', schema_dir())\n"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    proc = _run(sys.executable, "-c", script, str(target), str(EXAMPLE), cwd=work, env=env)
    assert proc.stdout.startswith("ok ")


@pytest.mark.slow
def test_a_wheel_without_the_c_verdict_validates_the_same(tmp_path: Path) -> None:
    """Where the C verdict is not built (no compiler; here TRANSCRIPT_MODEL_PURE_PYTHON=1), the
    wheel is pure Python and validation gives the same answers through the Python verdict."""
    if not (REPO / "pyproject.toml").exists():
        pytest.skip("not running from a source checkout")
    out = tmp_path / "wheel"
    env = {**os.environ, "TRANSCRIPT_MODEL_PURE_PYTHON": "1"}
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(out), str(REPO), env=env)
    (whl,) = out.glob("transcript_model-*.whl")
    assert whl.name.endswith("-py3-none-any.whl")
    assert not any(n.endswith((".so", ".pyd", ".c")) for n in zipfile.ZipFile(whl).namelist())
    target = tmp_path / "site"
    _run(sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--target", str(target), str(whl))
    script = (
        "import sys, exporters, transcript_model\n"
        "from exporters import validation\n"
        "assert validation._native_rules is None\n"
        "tei = exporters.to_tei(transcript_model.read(sys.argv[1]))\n"
        "assert exporters.validate_tei(tei) == []\n"
        "broken = tei.replace(b'who=\"#', b'who=\"#nobody-', 1)\n"
        "print(sorted({i.rule for i in exporters.validate_tei(broken)}))\n"
    )
    proc = _run(sys.executable, "-c", script, str(EXAMPLE), cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(target)})
    assert proc.stdout.strip() == "['participant-speaks', 'who-resolves']", proc.stdout


def _our_imports(path: Path) -> set[str]:
    """Modules of ours a module imports, as dotted names (relative imports resolved)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level == 1:
                base = f"{path.parent.name}.{base}" if base else path.parent.name
            names.append(base)
    return {n for n in names if n.split(".")[0] in ("transcript_model", "exporters")}


def test_model_layer_never_imports_exporters() -> None:
    for path in (REPO / "transcript_model").glob("*.py"):
        assert not any(n.startswith("exporters") for n in _our_imports(path)), path.name


def test_model_module_imports_nothing_of_ours() -> None:
    assert _our_imports(REPO / "transcript_model" / "model.py") == set()


def test_cli_sits_in_the_top_layer() -> None:
    for path in list((REPO / "exporters").glob("*.py")) + list((REPO / "transcript_model").glob("*.py")):
        if path.name not in ("cli.py", "__main__.py"):
            assert "exporters.cli" not in _our_imports(path), path


_LOADED = """
import sys
import exporters.cli
code = exporters.cli.main(sys.argv[1:])
heavy = ["transcript_model.model", "transcript_model.parsing", "transcript_model.repairs", "exporters.tei",
         "exporters.jsonld", "orjson",
         "jsonschema_rs", "jsonschema", "lxml.isoschematron", "ftfy", "urllib.request"]
print(code, " ".join(m for m in heavy if m in sys.modules))
"""


def test_validating_tei_loads_neither_parser_nor_exporters(tmp_path: Path) -> None:
    # start-up is most of a small validation run: the parser, the exporters and the JSON
    # libraries load only when a command needs them
    tei = tmp_path / "t.tei.xml"
    tei.write_bytes(exporters.to_tei(transcript_model.read(EXAMPLE)))
    proc = _run(sys.executable, "-c", _LOADED, "validate", str(tei), "-q")
    assert proc.stdout.split() == ["0"]
    # and what it does load lazily still works: help lists the rules, a bad rule is refused
    proc = _run(sys.executable, "-c", _LOADED, "convert", "--help")
    assert "hard-wrap" in proc.stdout
    for option, listed in (("--no-repair", "hard-wrap"), ("--profile", "mid.ru")):
        bad = subprocess.run(
            [sys.executable, "-m", "exporters", "show", str(EXAMPLE), option, "nope"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert bad.returncode == 2 and "invalid choice: 'nope'" in bad.stderr and listed in bad.stderr
