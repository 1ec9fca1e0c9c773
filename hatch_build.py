"""Hatchling build hook: compiles the modules a document goes through (with mypyc),
``exporters/_rules.c``, the C verdicts of our Schematron rules and RELAX NG, and
``transcript_model/_scan.c``, the parser's character scans.

All are optional. Where they cannot be compiled (no C compiler or no Python headers), or with
``TRANSCRIPT_MODEL_PURE_PYTHON=1``, the wheel is pure Python: the same answers, in more time
(1.7 to 1.9 times as long to convert a document, about five times as long to validate our TEI
files).

- mypyc compiles :data:`COMPILED`, the modules that parse a document and write its exports,
  from the same typed source: a wheel holds each module's ``.py`` and its extension module,
  which Python imports first. The model is compiled too: its frozen dataclasses write their
  ``__init__`` out so that mypyc compiles it (see ``transcript_model.model._Record``), and the
  modules that read its fields read them natively. Not compiled: the CLI, corpus and
  validation layers, which the tests patch and which wait on C libraries.
  An editable install is not compiled, so that an edited ``.py`` file takes effect. Compiling
  takes about 30 s (the modules' C files are compiled in parallel).
- setuptools compiles ``_rules.c`` and ``_scan.c`` (it knows every platform's compiler and
  flags); lxml's headers give libxml2's node structures, which ``_rules`` reads from the
  trees lxml builds. An editable install puts them beside their sources, where the packages
  are imported from.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# the modules mypyc compiles, in dependency order (tests/test_packaging.py checks that a CI
# install has each of them compiled)
COMPILED = [
    "transcript_model/model.py",
    "transcript_model/reading.py",
    "transcript_model/blocks.py",
    "transcript_model/dates.py",
    "transcript_model/labels.py",
    "transcript_model/people.py",
    "transcript_model/profiles.py",
    "transcript_model/gates.py",
    "transcript_model/layout.py",
    "transcript_model/titles.py",
    "transcript_model/repairs.py",
    "transcript_model/turns.py",
    "transcript_model/source.py",
    "transcript_model/assemble.py",
    "transcript_model/parsing.py",
    "exporters/ids.py",
    "exporters/tei.py",
    "exporters/jsonld.py",
]
# mypyc puts its runtime and the shared code of the compiled modules in one extension module
# beside the packages, named for this group: transcript_model__mypyc
GROUP = "transcript_model"


def _build(extensions: list[Any], work: Path) -> list[tuple[Path, str]]:
    """Build ``extensions`` into ``work``; return each module's file and its path in a wheel."""
    from setuptools import Distribution  # noqa: PLC0415 - a build requirement, needed only here
    from setuptools.command.build_ext import build_ext  # noqa: PLC0415

    command = build_ext(Distribution({"name": "transcript-model", "ext_modules": extensions}))
    command.build_lib = str(work / "lib")
    command.build_temp = str(work / "temp")
    command.parallel = os.cpu_count() or 1
    command.ensure_finalized()
    command.run()
    built = []
    for ext in extensions:
        path = Path(command.get_ext_fullpath(ext.name))
        built.append((path, str(path.relative_to(work / "lib").as_posix())))
    return built


def _opt_level() -> str:
    """The C compiler's optimisation level for mypyc's code: 3, or ``TRANSCRIPT_MODEL_OPT_LEVEL``
    (0 to 3). The tests that build a wheel to look inside it set 0: the same modules, compiled
    in a fraction of the time, which is most of the test suite's."""
    level = os.environ.get("TRANSCRIPT_MODEL_OPT_LEVEL", "3")
    if level not in ("0", "1", "2", "3"):
        raise ValueError(f"TRANSCRIPT_MODEL_OPT_LEVEL must be 0, 1, 2 or 3, not {level!r}")
    return level


def compile_modules(root: Path, work: Path) -> list[tuple[Path, str]]:
    """Compile :data:`COMPILED` with mypyc into ``work``; return the extension modules."""
    from mypyc.build import mypycify  # noqa: PLC0415 - a build requirement, needed only here

    here = os.getcwd()
    os.chdir(root)  # mypy names the modules by their paths from the project's root
    try:
        # no config file: [tool.mypy] is for checking (strict, Python 3.10); compiling needs the
        # running Python's version, and third-party packages absent from the build are Any
        extensions = mypycify(
            ["--config-file=", "--ignore-missing-imports", f"--cache-dir={work / 'cache'}", *COMPILED],
            target_dir=str(work / "c"),
            multi_file=True,
            group_name=GROUP,
            debug_level="0",
            opt_level=_opt_level(),
        )
    finally:
        os.chdir(here)
    return _build(extensions, work)


def compile_rules(source: Path, work: Path) -> Path:
    """Compile ``source`` (``exporters/_rules.c``) into ``work``; return the extension module's path."""
    import lxml  # noqa: PLC0415 - a build requirement, needed only here

    return compile_c("exporters._rules", source, work, lxml.get_include())


def compile_scans(source: Path, work: Path) -> Path:
    """Compile ``source`` (``transcript_model/_scan.c``) into ``work``; return the extension module's path."""
    return compile_c("transcript_model._scan", source, work, [])


def compile_c(name: str, source: Path, work: Path, include_dirs: list[str]) -> Path:
    from setuptools import Extension  # noqa: PLC0415 - a build requirement, needed only here

    ((built, _),) = _build([Extension(name, [str(source)], include_dirs=include_dirs)], work / name)
    return built


class RulesBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self._work: str | None = None
        if self.target_name != "wheel":
            return
        if os.environ.get("TRANSCRIPT_MODEL_PURE_PYTHON"):
            self.app.display_info("TRANSCRIPT_MODEL_PURE_PYTHON is set: nothing is compiled")
            return
        self._work = tempfile.mkdtemp(prefix="transcript-model-build-")
        root = Path(self.root)
        try:
            built = [
                (compile_rules(root / "exporters" / "_rules.c", Path(self._work)), "exporters"),
                (compile_scans(root / "transcript_model" / "_scan.c", Path(self._work)), "transcript_model"),
            ]
        except Exception as exc:  # any compiler failure: build without them
            self.app.display_warning(
                f"the C modules could not be compiled ({type(exc).__name__}: {exc}); the package will "
                "use its Python verdict of the Schematron rules and its Python character scans"
            )
            return
        for path, package in built:
            if version == "editable":
                shutil.copy2(path, root / package / path.name)
            else:
                build_data["force_include"][str(path)] = f"{package}/{path.name}"
        if version != "editable":
            self._compile_modules(build_data)
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def _compile_modules(self, build_data: dict[str, Any]) -> None:
        assert self._work is not None
        try:
            built = compile_modules(Path(self.root), Path(self._work) / "mypyc")
        except (Exception, SystemExit) as exc:  # mypyc exits on a type error; a compiler may fail
            self.app.display_warning(
                f"mypyc could not compile the parser and exporters ({type(exc).__name__}: {exc}); "
                "the package will run them as Python"
            )
            return
        for path, name in built:
            build_data["force_include"][str(path)] = name

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
