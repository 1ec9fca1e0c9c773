"""The dataclasses whose ``__init__`` is written out (so that mypyc compiles it, see
:class:`transcript_model.model._Record`) behave as the dataclasses they are: the same
parameters, defaults and annotations as the fields, frozen where declared so, comparable,
and (the model's) picklable and copyable, compiled or not."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import inspect
import pickle
from typing import Any

import pytest

from transcript_model import model
from transcript_model.blocks import RawBlock
from transcript_model.dates import DateLine
from transcript_model.labels import Label
from transcript_model.model import (
    Block,
    BlockKind,
    Diagnostic,
    Edit,
    Incident,
    Metadata,
    Note,
    Paragraph,
    Person,
    Repair,
    Severity,
    Span,
    Transcript,
    Turn,
    TurnKind,
)
from transcript_model.repairs import RuleContext
from transcript_model.source import Piece
from transcript_model.titles import PersonRef
from transcript_model.turns import TurnDraft

SPAN = Span(2, 5)
PARAGRAPH = Paragraph("text", SPAN, (Edit(0, 1, "x", SPAN, 0),), (Incident("vocal", 0, 4, "text"),))
PERSON = Person("lavrov", "Sergey Lavrov", "Foreign Minister", "Russia")
METADATA = Metadata("A title", None, dt.datetime(2022, 2, 1, 12, 0, tzinfo=dt.timezone.utc), "123", mentioned=(PERSON,))
TURN = Turn("lavrov", "Sergey Lavrov", Span(0, 13), TurnKind.ANSWER, (PARAGRAPH,))
REPAIR = Repair("hard-wrap", "why", 0, 0, 1, 2, SPAN, "\n", " ")
MODEL: dict[type[Any], Any] = {
    Span: SPAN,
    Block: Block(BlockKind.GAP, SPAN, "\n\n"),
    Person: PERSON,
    Edit: Edit(0, 1, "x", SPAN, 0),
    Incident: Incident("vocal", 0, 4, "text"),
    Paragraph: PARAGRAPH,
    Turn: TURN,
    Repair: REPAIR,
    Diagnostic: Diagnostic(Severity.WARNING, "no-title", "no headline", SPAN, 3),
    Metadata: METADATA,
    Note: Note("description", "A note.", SPAN),
    Transcript: Transcript(METADATA, (PERSON,), (TURN,), (REPAIR,), (), (), (Block(BlockKind.GAP, SPAN, "\n\n"),), "x"),
}
INTERNAL: dict[type[Any], Any] = {
    RawBlock: RawBlock("text", SPAN, 3),
    Piece: Piece(SPAN, "text", None, PARAGRAPH),
    RuleContext: RuleContext("source", 1, 2, frozenset({"word"})),
    Label: Label("Sergey Lavrov", "Sergey Lavrov", 15),
    PersonRef: PersonRef("Sergey Lavrov", "Foreign Minister", None),
    DateLine: DateLine(dt.date(2022, 2, 1), None),
    TurnDraft: TurnDraft("lavrov", "Sergey Lavrov", SPAN, TurnKind.ANSWER, [PARAGRAPH]),
}
EXAMPLES = {**MODEL, **INTERNAL}


def test_every_class_of_the_model_is_checked() -> None:
    classes = {c for c in vars(model).values() if isinstance(c, type) and dataclasses.is_dataclass(c)}
    assert classes == set(MODEL)


@pytest.mark.parametrize("cls", list(EXAMPLES), ids=lambda c: c.__name__)
def test_a_written_out_init_is_the_dataclass_one(cls: type[Any]) -> None:
    fields = dataclasses.fields(cls)
    try:
        params = list(inspect.signature(cls).parameters.values())
    except ValueError:  # compiled, a default mypyc cannot write in a signature (frozenset())
        assert not inspect.isfunction(cls.__init__)
        params = None
    if params is not None:
        assert [p.name for p in params] == [f.name for f in fields]
        assert [p.default for p in params] == [
            inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default for f in fields
        ]
        annotations = [p.annotation for p in params]
        if inspect.Parameter.empty not in annotations:  # compiled, an __init__ keeps none
            assert annotations == [f.type for f in fields]
        assert all(p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD for p in params)
    obj = EXAMPLES[cls]
    values = [getattr(obj, f.name) for f in fields]
    assert cls(*values) == obj == cls(**{f.name: v for f, v in zip(fields, values, strict=True)})
    assert [getattr(cls(*values), f.name) for f in fields] == values
    assert dataclasses.replace(obj) == obj
    with pytest.raises(TypeError):
        cls(*values, None)  # one argument too many
    required = [f for f in fields if f.default is dataclasses.MISSING]
    if required:
        with pytest.raises(TypeError):
            cls(*values[: len(required) - 1])  # one too few
    if cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        assert hash(cls(*values)) == hash(obj)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, fields[0].name, values[0])
        with pytest.raises(dataclasses.FrozenInstanceError):
            delattr(obj, fields[0].name)


@pytest.mark.parametrize("cls", list(MODEL), ids=lambda c: c.__name__)
def test_a_record_of_the_model_pickles_and_copies(cls: type[Any]) -> None:
    obj = MODEL[cls]
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(obj, protocol))
        assert again == obj and type(again) is cls
    assert copy.deepcopy(obj) == obj and copy.copy(obj) == obj
    assert dataclasses.asdict(obj) == dataclasses.asdict(copy.deepcopy(obj))


def test_defaults_are_given() -> None:
    assert Paragraph("a", SPAN) == Paragraph("a", SPAN, (), ())
    assert Piece(SPAN, "a") == Piece(SPAN, "a", None, None, None)
    assert Transcript(METADATA, (), ()) == Transcript(METADATA, (), (), (), (), (), (), None, None)
    assert Metadata() == Metadata(*[None] * 12, ())


def test_a_span_still_checks_its_ends() -> None:
    with pytest.raises(ValueError, match="invalid span"):
        Span(5, 2)
    with pytest.raises(ValueError, match="invalid span"):
        Span(-1, 2)
    with pytest.raises(ValueError, match="invalid span"):
        dataclasses.replace(SPAN, start=-1)
    assert Span(3, 3).slice("abcdef") == ""
    assert Span(1, 2) < Span(1, 3) < Span(2, 2)  # ordered by start, then end
