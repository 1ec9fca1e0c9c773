"""YAML front matter (``---`` ... ``---`` at the very start), as Markdown exports carry it.

Parsed with PyYAML's ``BaseLoader``: every value stays a string (no implicit typing of
dates or numbers), while YAML's own escapes and line folding are decoded properly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Span

_FRONT = re.compile(r"\A---[ \t]*\n(?P<body>.*?\n)---[ \t]*(?:\n|\Z)", re.DOTALL)


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The string fields of a front matter block and where the block ends in the source."""

    fields: dict[str, str]
    span: Span


def read_front_matter(text: str) -> FrontMatter | None:
    """The front matter at the start of ``text``, or ``None`` (also for malformed YAML).

    >>> read_front_matter('---\\ntitle: "A\\\\u2019s"\\ndate: 2021-12-30\\n---\\nBody').fields
    {'title': 'A’s', 'date': '2021-12-30'}
    """
    m = _FRONT.match(text)
    if m is None:
        return None
    import yaml  # noqa: PLC0415 - only documents with front matter need it (13 ms to import)

    try:
        data = yaml.load(m["body"], Loader=yaml.BaseLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    fields = {str(k): v.strip() for k, v in data.items() if isinstance(v, str) and v.strip()}
    return FrontMatter(fields, Span(0, m.end()))
