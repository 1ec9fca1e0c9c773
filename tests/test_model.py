"""The model's classes built by :func:`transcript_model.model.quick_init` behave as the
dataclasses they are: same parameters and defaults, frozen, comparable, copyable."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
from typing import Any

import pytest

from transcript_model.blocks import RawBlock
from transcript_model.model import Block, BlockKind, Edit, Paragraph, Repair, Span, quick_init
from transcript_model.source import Piece

SPAN = Span(2, 5)
EXAMPLES: dict[type[Any], Any] = {
    Span: SPAN,
    Block: Block(BlockKind.GAP, SPAN, "\n\n"),
    Edit: Edit(0, 1, "x", SPAN, 0),
    Paragraph: Paragraph("text", SPAN, (Edit(0, 1, "x", SPAN, 0),)),
    Repair: Repair("hard-wrap", "why", 0, 0, 1, 2, SPAN, "\n", " "),
    RawBlock: RawBlock("text", SPAN, 3),
    Piece: Piece(SPAN, "text", None, Paragraph("text", SPAN)),
}


@pytest.mark.parametrize("cls", list(EXAMPLES), ids=lambda c: c.__name__)
def test_a_quickly_built_class_is_the_dataclass_it_was(cls: type[Any]) -> None:
    fields = dataclasses.fields(cls)
    params = list(inspect.signature(cls).parameters.values())
    assert [p.name for p in params] == [f.name for f in fields]
    assert [p.default for p in params] == [
        inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default for f in fields
    ]
    obj = EXAMPLES[cls]
    values = [getattr(obj, f.name) for f in fields]
    assert cls(*values) == obj == cls(**{f.name: v for f, v in zip(fields, values, strict=True)})
    assert hash(cls(*values)) == hash(obj)
    assert pickle.loads(pickle.dumps(obj)) == obj and copy.deepcopy(obj) == obj
    assert dataclasses.replace(obj) == obj
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(obj, fields[0].name, values[0])
    with pytest.raises(TypeError):
        cls(*values, None)  # one argument too many
    required = [f for f in fields if f.default is dataclasses.MISSING]
    with pytest.raises(TypeError):
        cls(*values[: len(required) - 1])  # one too few


def test_defaults_are_given() -> None:
    assert Paragraph("a", SPAN) == Paragraph("a", SPAN, (), ())
    assert Piece(SPAN, "a") == Piece(SPAN, "a", None, None, None)


def test_a_span_still_checks_its_ends() -> None:
    with pytest.raises(ValueError, match="invalid span"):
        Span(5, 2)
    with pytest.raises(ValueError, match="invalid span"):
        dataclasses.replace(SPAN, start=-1)
    assert Span(3, 3).slice("abcdef") == ""


def test_a_field_quick_init_cannot_set_is_refused() -> None:
    with pytest.raises(TypeError, match="not a plain field"):

        @quick_init
        @dataclasses.dataclass(frozen=True, slots=True)
        class Bag:
            items: list[str] = dataclasses.field(default_factory=list)
