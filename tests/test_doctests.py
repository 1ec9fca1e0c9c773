"""Run the docstring examples of every module: they are documentation that must stay true.

The examples are read from each module's source file and run in the imported module's
namespace, so that they also check the modules an installed wheel holds compiled (mypyc's
functions keep no docstrings for :mod:`doctest` to find)."""

from __future__ import annotations

import ast
import doctest
import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

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
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def source_of(module: ModuleType) -> Path:
    """The ``.py`` file of ``module``, beside it whether it was imported compiled or not."""
    assert module.__file__ is not None
    path = Path(module.__file__)
    return path.with_name(("__init__" if path.stem.startswith("__init__") else path.name.split(".")[0]) + ".py")


def docstring_tests(module: ModuleType) -> list[doctest.DocTest]:
    """The examples of every docstring in ``module``'s source (the module's, its classes', its
    functions' and methods'), each to run in a copy of the module's namespace. A module
    written in C (no ``.py``) gives what :mod:`doctest` finds in it."""
    path = source_of(module)
    if not path.exists():
        return doctest.DocTestFinder().find(module)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parser = doctest.DocTestParser()
    tests = []
    for node in ast.walk(tree):
        doc, name = None, ""
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            doc, name = ast.get_docstring(node, clean=False), getattr(node, "name", "")
        elif (  # rule.__doc__ = """...""" (rules made by a factory)
            isinstance(node, ast.Assign)
            and isinstance(target := node.targets[0], ast.Attribute)
            and target.attr == "__doc__"
            and isinstance(target.value, ast.Name)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            doc, name = node.value.value, target.value.id
        if doc and ">>>" in doc:
            qualified = f"{module.__name__}.{name}".rstrip(".")
            tests.append(parser.get_doctest(doc, dict(vars(module)), qualified, str(path), getattr(node, "lineno", 1)))
    return tests


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    for test in docstring_tests(importlib.import_module(name)):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


def test_docstring_examples_are_found_as_doctest_finds_them() -> None:
    """Reading the source finds the examples :mod:`doctest` finds in each module imported as
    Python (a compiled module shows doctest none)."""
    finder = doctest.DocTestFinder()
    interpreted = [m for m in map(importlib.import_module, MODULES) if (m.__file__ or "").endswith(".py")]
    assert len(interpreted) >= 5
    for module in interpreted:
        # doctest names a method Class.method, the source walk by its own name: compare the last part
        found = sorted((t.name.rsplit(".", 1)[-1], len(t.examples)) for t in finder.find(module) if t.examples)
        ours = sorted((t.name.rsplit(".", 1)[-1], len(t.examples)) for t in docstring_tests(module))
        assert found == ours, module.__name__


def test_a_failing_example_fails() -> None:
    module = ModuleType("example")
    test = doctest.DocTestParser().get_doctest(">>> 1 + 1\n3\n", dict(vars(module)), "example", None, 0)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test, out=lambda _: None)
    assert runner.summarize(verbose=False).failed == 1


def test_modules_have_examples() -> None:
    """The repair catalogue and the parser stages document themselves with examples."""
    for name in ("transcript_model.repairs", "transcript_model.titles", "transcript_model.labels"):
        tests = docstring_tests(importlib.import_module(name))
        assert sum(len(t.examples) for t in tests) >= 3, name
