"""Speaker labels: a short, name-like prefix ending in a colon at the start of a paragraph.

``"Sergey Lavrov: Today, we heard ..."`` opens a turn; ``"The minister said: ..."`` does
not (lower-case words), nor does ``"Note: ..."`` (a word the profile excludes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .profiles import Profile

_LABEL = re.compile(r"(?P<label>[^\W\d_][^:\n]{0,79}?)\s*(?P<colon>:)(?:[ \t\u00a0]+|\n|$)", re.UNICODE)
_PAREN = re.compile(r"\s*\([^()]{1,40}\)\s*$")
_TOKEN = re.compile(r"^[^\W\d_][\w.'’-]*$")


@dataclass(frozen=True, slots=True)
class Label:
    """A recognised label: the text as printed (without the colon) and where the body starts.

    ``end`` is the offset, in the paragraph, of the first character after the colon and
    the whitespace that follows it.
    """

    text: str
    name: str
    end: int


def label_key(text: str) -> str:
    """Casefolded label without a parenthetical note or punctuation: ``"Question (retranslated)"``
    → ``"question"``."""
    return re.sub(r"[^\w ]+", "", _PAREN.sub("", text)).strip().casefold()


def find_label(paragraph: str, profile: Profile, known_names: frozenset[str] = frozenset()) -> Label | None:
    """The speaker label that opens ``paragraph``, or ``None``.

    >>> from transcript_model.profiles import MID_RU
    >>> find_label("Sergey Lavrov: Today, we heard", MID_RU)
    Label(text='Sergey Lavrov', name='Sergey Lavrov', end=15)
    >>> find_label("The minister said: no", MID_RU) is None
    True
    """
    m = _LABEL.match(paragraph)
    if m is None:
        return None
    text = m["label"].strip()
    name = _PAREN.sub("", text).strip()
    key = label_key(text)
    if not name or key in profile.not_labels:
        return None
    if key in profile.anonymous_labels:
        return Label(text, name, m.end())
    tokens = name.split()
    if not 1 <= len(tokens) <= 7:
        return None
    if not all(_TOKEN.match(t) and (t[0].isupper() or t in profile.name_particles) for t in tokens):
        return None
    if not tokens[-1][0].isupper():
        return None
    # A single word is a label only when it names someone already known (a surname) or
    # is written in capitals as transcripts print role labels ("MODERATOR").
    if len(tokens) == 1 and name not in known_names and not (name.isupper() and len(name) > 1):
        return None
    return Label(text, name, m.end())
