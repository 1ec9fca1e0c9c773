"""Run the docstring examples of every module: they are documentation that must stay true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import exporters
import transcript_model

MODULES = sorted(
    {pkg.__name__ for pkg in (transcript_model, exporters)}
    | {
        f"{pkg.__name__}.{m.name}"
        for pkg in (transcript_model, exporters)
        for m in pkgutil.iter_modules(pkg.__path__)
        if m.name != "__main__"
    }
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


def test_modules_have_examples() -> None:
    """The repair catalogue and the parser stages document themselves with examples."""
    finder = doctest.DocTestFinder()
    for name in ("transcript_model.repairs", "transcript_model.titles", "transcript_model.labels"):
        tests = finder.find(importlib.import_module(name))
        assert sum(len(t.examples) for t in tests) >= 3, name
