"""Speaker labels: a short, name-like prefix ending in a colon at the start of a paragraph.

Recognised shapes: ``Sergey Lavrov:``, ``President of Russia Vladimir Putin:``,
``Question (retranslated):``, ``MS. PSAKI:``, ``SENIOR ADMINISTRATION OFFICIAL:``,
``В.Путин:``, ``Q`` followed by spaces, and labels with a hover card glued in by a scraper
(``Defence Minister Sergei Shoigu Shoigu SergeiDefence Minister :``). Not labels:
``The minister said: ...`` (lower-case words), ``Note: ...`` (a word the vocabulary
excludes), ``Germany: "..."`` (a single unknown word), ``The United Kingdom: ...``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final

from .profiles import Vocabulary

# A label: up to 200 characters before the first colon, on the first line, opening with a
# letter; the asterisks (two at most) and spaces before the colon are not the label's. Said
# with the label's repetition greedy (the one colon it can reach is the first), the regex
# engine does not try the colon after each of its characters (1,600 -> 700 ns); the label is
# then read off by :func:`_label_before`. tests/test_titles_and_labels.py compares the two
# with the lazy form, r"(?P<label>[^\W\d_][^:\n]{0,199}?)[*_]{0,2}[ \t\u00a0]*:..."
_LABEL: Final = re.compile(r"[^\W\d_][^:\n]{0,199}[*_]{0,2}[ \t\u00a0]*:[*_]{0,2}(?:[ \t\u00a0]+|\n|$)")
_Q_LABEL: Final = re.compile(r"(?P<label>Q)(?:[ \t\u00a0]*[:.][ \t\u00a0]+|[ \t\u00a0]{2,}|[ \t\u00a0](?=[A-Z(“\"]))")
_PAREN: Final = re.compile(r"\s*\([^()]{1,40}\)\s*$")
_TOKEN: Final = re.compile(r"^[^\W\d_][\w.'’-]*,?$")
_INITIALS: Final = re.compile(r"^(?:[^\W\d_]\.\s?){1,2}[^\W\d_][\w’'-]+$")
_UPPER_TOKEN: Final = re.compile(r"^[^\W\d_a-zа-яё][^\Wa-zа-яё]*[.,]?$")
# "Sergei Shoigu Shoigu SergeiDefence Minister": the name again, surname first, with the
# card's job title glued on.
_HOVER_CARD: Final = re.compile(
    r"(?P<name>\b(?P<first>[^\W\d_][\w'-]+)(?: [^\W\d_][\w'-]+)*? (?P<last>[^\W\d_][\w'-]+)) (?P=last) (?P=first)"
)


@dataclass(frozen=True, slots=True)
class Label:
    """A recognised label.

    ``text`` is the label exactly as printed (without the colon), ``name`` the label with a
    parenthetical note and any glued-in hover card removed, ``end`` the offset in the
    paragraph of the first character after the colon and the whitespace that follows it.
    """

    text: str
    name: str
    end: int

    def __init__(self, text: str, name: str, end: int) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "end", end)


_NOT_WORD_OR_SPACE: Final = re.compile(r"[^\w ]+")
_DIGIT: Final = re.compile(r"\d")
_SENTENCE_END: Final = re.compile(r"[^\W\d_]{3,}\.\s")  # a word of three letters or more, a full stop, a space


@functools.lru_cache(maxsize=4096)  # a transcript prints the same few labels again and again
def label_key(text: str) -> str:
    """Casefolded label without a parenthetical note or punctuation: ``"Question (retranslated)"``
    → ``"question"``."""
    return _NOT_WORD_OR_SPACE.sub("", _PAREN.sub("", text)).strip().casefold()


def strip_hover_card(text: str) -> str:
    """Remove a person card a scraper glued into a label.

    >>> strip_hover_card("Defence Minister Sergei Shoigu Shoigu SergeiDefence Minister")
    'Defence Minister Sergei Shoigu'
    >>> strip_hover_card("President of Turkey Recep Tayyip Erdogan Erdogan Recep TayyipPresident of Turkey")
    'President of Turkey Recep Tayyip Erdogan'
    >>> strip_hover_card("Sergey Lavrov")
    'Sergey Lavrov'
    """
    m = _HOVER_CARD.search(text)
    if m is None:
        return text
    return text[: m.end("name")].rstrip()


def find_label(paragraph: str, vocab: Vocabulary, known_names: frozenset[str] = frozenset()) -> Label | None:
    """The speaker label that opens ``paragraph``, or ``None``.

    ``known_names`` are names and surnames of persons already met: a one-word label is
    accepted only when it names one of them, is an anonymous role (``Question``), or is
    printed in capitals as a role (``MODERATOR``).

    >>> from transcript_model.profiles import VOCABULARY as V
    >>> find_label("Sergey Lavrov: Today, we heard", V)
    Label(text='Sergey Lavrov', name='Sergey Lavrov', end=15)
    >>> find_label("The minister said: no", V) is None
    True
    >>> find_label("Q    Thanks, John.", V).text
    'Q'
    """
    if paragraph.startswith("Q"):  # asked of every paragraph: the pattern only of these
        q = _Q_LABEL.match(paragraph)
        if q is not None:
            return Label("Q", "Q", q.end())
    colon = paragraph.find(":")
    if colon < 0 or paragraph.find("\n", 0, colon) >= 0:
        return None  # a label ends at the first colon, on the first line: most paragraphs have none
    m = _LABEL.match(paragraph)
    if m is None:
        return None
    text = _label_before(paragraph, colon).strip()
    name = _label_name(text, vocab, known_names)
    return None if name is None else Label(text, name, m.end())


def _label_before(paragraph: str, colon: int) -> str:
    """The label of a paragraph that :data:`_LABEL` matches, its colon at ``colon``: the
    text before it, less the spaces and then the asterisks or underscores (two at most)
    before the colon.

    >>> _label_before("Lavrov *: Yes", 8), _label_before("Lavrov**  : Yes", 10), _label_before("A *** : x", 6)
    ('Lavrov ', 'Lavrov', 'A *')
    """
    end = len(paragraph[:colon].rstrip(" \t\u00a0"))
    for _ in range(2):
        if end > 1 and paragraph[end - 1] in "*_":
            end -= 1
    return paragraph[:end]


_NAMES: Final[dict[tuple[str, int, frozenset[str]], tuple[Vocabulary, str | None]]] = {}
""":func:`_label_name` by label text, vocabulary (its identity, kept in the entry so that
it is never reused) and known names."""


def _label_name(text: str, vocab: Vocabulary, known_names: frozenset[str]) -> str | None:
    """The name a candidate label stands for (see :class:`Label`), or ``None`` if it is no
    label. Remembered: a transcript prints the same few labels at every turn, and deciding
    one takes a dozen pattern matches."""
    key = (text, id(vocab), known_names)
    found = _NAMES.get(key)
    if found is not None and found[0] is vocab:
        return found[1]
    if len(_NAMES) > 4096:
        _NAMES.clear()
    name = strip_hover_card(_PAREN.sub("", text).strip()) if _is_label(text, vocab, known_names) else None
    _NAMES[key] = (vocab, name)
    return name


def _capitalised(token: str) -> bool:
    """``Lavrov``, and surnames with a lower-case particle joined by a hyphen: ``al-Ketbi``."""
    return token[:1].isupper() or ("-" in token and token.rsplit("-", 1)[1][:1].isupper())


def _is_label(text: str, vocab: Vocabulary, known_names: frozenset[str]) -> bool:
    if not text[:1].isupper():
        return False  # "question: will ..." continues a sentence
    key = label_key(text)
    if key in vocab.anonymous_labels:
        return True
    name = strip_hover_card(_PAREN.sub("", text).strip())
    if not name or key in vocab.not_labels:
        return False
    tokens = name.split()
    if tokens[0].casefold().strip(".,") in vocab.not_label_starts:
        return False
    if _INITIALS.match(name):  # В.Путин, V.Putin, A. Smith
        return True
    if all(_UPPER_TOKEN.match(t) for t in tokens) and len(tokens) <= 6 and any(len(t.strip(".,")) > 1 for t in tokens):
        return not _DIGIT.search(name)  # MS. PSAKI, SENIOR ADMINISTRATION OFFICIAL
    if len(tokens) == 1:
        return name in known_names
    if len(tokens) > 20 or not _capitalised(tokens[-1]):
        return False
    for t in tokens:
        bare = t.strip(",")
        if not _TOKEN.match(t):
            return False
        low = bare.casefold()
        if _capitalised(bare) or low in vocab.name_particles or low in vocab.nobiliary or low in vocab.role_words:
            continue
        return False
    # sentence punctuation inside a label means it is a sentence, not a name ("Yes. Mr Smith")
    return not _SENTENCE_END.search(name)
