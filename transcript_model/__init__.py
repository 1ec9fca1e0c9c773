"""transcript-model: read press and diplomatic transcripts into a typed, repaired model.

>>> import transcript_model
>>> t = transcript_model.parse("Question: Why?\\n\\nSergey Lavrov: Because.")
>>> [turn.label for turn in t.turns]
['Question', 'Sergey Lavrov']
"""

from __future__ import annotations

import os
from collections.abc import Collection
from typing import TYPE_CHECKING

from .errors import UnreadableInputError
from .lazy import lazy_exports

if TYPE_CHECKING:
    from .model import (
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
    from .parsing import parse, parse_batch
    from .profiles import PROFILES, Profile
    from .reading import decode, read_text
    from .repairs import RULES
    from .source import source_text

# The parser and its rules load on first use, so that a tool needing only the model (the
# exporters' readers) does not pay for them: 60 ms of start-up; the model too, so that
# ``transcript validate``, which needs neither, does not pay its 10 ms.
_LAZY = {
    "Block": "model",
    "BlockKind": "model",
    "Diagnostic": "model",
    "Edit": "model",
    "Incident": "model",
    "Metadata": "model",
    "Note": "model",
    "Paragraph": "model",
    "Person": "model",
    "Repair": "model",
    "Severity": "model",
    "Span": "model",
    "Transcript": "model",
    "Turn": "model",
    "TurnKind": "model",
    "parse": "parsing",
    "parse_batch": "parsing",
    "PROFILES": "profiles",
    "Profile": "profiles",
    "decode": "reading",
    "read_text": "reading",
    "RULES": "repairs",
    "source_text": "source",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY, globals())

__all__ = [
    "PROFILES",
    "RULES",
    "Block",
    "BlockKind",
    "Diagnostic",
    "Edit",
    "Incident",
    "Metadata",
    "Note",
    "Paragraph",
    "Person",
    "Profile",
    "Repair",
    "Severity",
    "Span",
    "Transcript",
    "Turn",
    "TurnKind",
    "UnreadableInputError",
    "decode",
    "parse",
    "parse_batch",
    "read",
    "read_text",
    "source_text",
]

__version__ = "0.1.0"


def read(
    path: str | os.PathLike[str],
    *,
    profile: str | Profile | None = None,
    repairs: Collection[str] | None = None,
) -> Transcript:
    """Read and parse a transcript file (UTF-8 with or without BOM, any newline style).

    ``profile`` and ``repairs`` are those of :func:`parse`. Raises
    :class:`UnreadableInputError` when the file cannot be read or decoded, naming the file
    and, where it can, the line.
    """
    from .parsing import parse  # noqa: PLC0415 - loaded on first use, see _LAZY
    from .reading import read_text  # noqa: PLC0415

    name = os.fspath(path)
    return parse(read_text(name), source=name, profile=profile, repairs=repairs)
