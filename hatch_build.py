"""Hatchling build hook: compiles ``exporters/_rules.c``, the C verdict of our Schematron rules.

The module is optional. Where it cannot be compiled (no C compiler or no Python headers), or
with ``TRANSCRIPT_MODEL_PURE_PYTHON=1``, the wheel is built without it and ``transcript
validate`` uses the Python verdict: the same answers, in about 40% more time over a corpus. An
editable install puts the module beside its source, where the package is imported from.

setuptools compiles it (it knows every platform's compiler and flags); lxml's headers give
libxml2's node structures, which the module reads from the trees lxml builds.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def compile_rules(source: Path, work: Path) -> Path:
    """Compile ``source`` into ``work``; return the extension module's path."""
    import lxml  # noqa: PLC0415 - a build requirement, needed only here
    from setuptools import Distribution, Extension  # noqa: PLC0415
    from setuptools.command.build_ext import build_ext  # noqa: PLC0415

    ext = Extension("exporters._rules", [str(source)], include_dirs=lxml.get_include())
    command = build_ext(Distribution({"name": "transcript-model", "ext_modules": [ext]}))
    command.build_lib = str(work / "lib")
    command.build_temp = str(work / "temp")
    command.ensure_finalized()
    command.run()
    return Path(command.get_ext_fullpath("exporters._rules"))


class RulesBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self._work: str | None = None
        if self.target_name != "wheel":
            return
        if os.environ.get("TRANSCRIPT_MODEL_PURE_PYTHON"):
            self.app.display_info("TRANSCRIPT_MODEL_PURE_PYTHON is set: exporters/_rules.c is not compiled")
            return
        self._work = tempfile.mkdtemp(prefix="transcript-model-build-")
        source = Path(self.root) / "exporters" / "_rules.c"
        try:
            built = compile_rules(source, Path(self._work))
        except Exception as exc:  # any compiler failure: build without it
            self.app.display_warning(
                f"exporters/_rules.c could not be compiled ({type(exc).__name__}: {exc}); "
                "the package will use its Python verdict of the Schematron rules"
            )
            return
        if version == "editable":
            shutil.copy2(built, source.parent / built.name)
        else:
            build_data["force_include"][str(built)] = f"exporters/{built.name}"
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
