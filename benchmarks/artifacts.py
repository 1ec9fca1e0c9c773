"""Inject scraping artifacts into clean transcripts, with ground truth.

A clean transcript is a list of turns (label, paragraphs). :func:`inject` lays it out in
the mid.ru text shape and damages it the way scrapers do — a sentence cut and restarted,
a paragraph printed twice, a paragraph split mid-sentence, hover cards, widgets, Markdown
escapes, mojibake, control characters, odd spaces, hyphenation, hard wraps, a space before
punctuation — recording for each artifact the rule that should repair it, where it is in
the damaged text, and what it should become. Used by ``benchmarks/repairs.py`` and the
property tests.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

CleanTurn = tuple[str, list[str]]


@dataclass(frozen=True, slots=True)
class Artifact:
    """One injected artifact: the rule that should repair it, its span in the damaged text,
    and the text that span should become."""

    rule: str
    start: int
    end: int
    replacement: str


@dataclass(slots=True)
class Sample:
    clean: list[CleanTurn]
    text: str
    artifacts: list[Artifact] = field(default_factory=list)


@dataclass(slots=True)
class _Piece:
    """A paragraph being damaged: its text and the artifacts in it (offsets in ``text``)."""

    text: str
    artifacts: list[tuple[str, int, int, str]] = field(default_factory=list)

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or e <= start for _, s, e, _ in self.artifacts)

    def replace(self, start: int, end: int, new: str, rule: str, expected: str) -> None:
        """Put ``new`` at ``[start, end)``; the repair should turn it into ``expected``."""
        delta = len(new) - (end - start)
        self.text = self.text[:start] + new + self.text[end:]
        self.artifacts = [
            (r, s + delta if s >= end else s, e + delta if s >= end else e, x) for r, s, e, x in self.artifacts
        ]
        self.artifacts.append((rule, start, start + len(new), expected))


_WORD = re.compile(r"[^\W\d_]{2,}")
_NAME_PAIR = re.compile(r"\b([A-Z][a-z]{2,}) ([A-Z][a-z]{2,})\b")
_NOT_NAMES = frozenset("President Minister Secretary Council Foreign Prime Vice Deputy General Mr Ms Madam The".split())
_ROLES = ("President of the United States", "Foreign Minister of Russia", "Minister of Defence", "Prime Minister")
_TERMINAL = ".!?…:;)\"'”»’"
_C1_CP1252 = "\x91\x92\x93\x94\x96\x97"  # cp1252 quotes and dashes read as latin-1
_C1_UNDEFINED = "\x81\x8d\x8f\x90\x9d\x7f"


def _mojibake(rng: random.Random, p: _Piece) -> bool:
    """One non-ASCII character written as UTF-8 and read back as Windows-1252."""
    spots = []
    for m in re.finditer(r"[^\x00-\x7f]", p.text):
        if m.group() in "\u00a0\u200b" or not p.free(m.start(), m.end()):
            continue
        try:
            broken = m.group().encode("utf-8").decode("cp1252")
        except UnicodeDecodeError:
            continue
        spots.append((m, broken))
    if not spots:
        return False
    m, broken = rng.choice(spots)
    p.replace(m.start(), m.end(), broken, "mojibake", m.group())
    return True


def _control(rng: random.Random, p: _Piece) -> bool:
    spots = [m.end() for m in _WORD.finditer(p.text) if p.free(m.end(), m.end())]
    if not spots:
        return False
    at = rng.choice(spots)
    p.replace(at, at, rng.choice(_C1_UNDEFINED), "control-characters", "")
    return True


def _odd_space(rng: random.Random, p: _Piece) -> bool:
    spots = [m.start() for m in re.finditer(r"(?<=\w) (?=\w)", p.text) if p.free(m.start(), m.start() + 1)]
    if not spots:
        return False
    at = rng.choice(spots)
    if rng.random() < 0.7:
        p.replace(at, at + 1, "\u00a0", "unicode-spaces", " ")
    else:
        p.replace(at, at, "\u200b", "unicode-spaces", "")
    return True


def _space_punct(rng: random.Random, p: _Piece) -> bool:
    spots = [m.start() for m in re.finditer(r"(?<=[^\W\d_])[,.](?=\s)", p.text) if p.free(m.start(), m.start())]
    if not spots:
        return False
    at = rng.choice(spots)
    p.replace(at, at, " ", "space-before-punctuation", "")
    return True


def _md_escape(rng: random.Random, p: _Piece) -> bool:
    spots = [m.start() for m in re.finditer(r"[\[\]()*_#.-]", p.text) if p.free(m.start(), m.end())]
    if not spots:
        return False
    at = rng.choice(spots)
    ch = p.text[at]
    p.replace(at, at + 1, "\\" + ch, "markdown-escape", ch)
    return True


def _hover(rng: random.Random, p: _Piece) -> bool:
    spots = [m for m in _NAME_PAIR.finditer(p.text) if p.free(m.start(), m.end()) and m.group(1) not in _NOT_NAMES]
    # where pages put person cards: after a name the sentence goes on ("Barack Obama and ...")
    # (not before "of ...": "Asma Khalid Khalid AsmaPrime Minister of NPR" is ambiguous,
    # a page card may well read "Minister of Defence"; the rule takes the longer reading)
    spots = [m for m in spots if re.match(r"(?: (?!of )[a-z]|[,.;:]|’s)", p.text[m.end() : m.end() + 4])]
    if not spots:
        return False
    m = rng.choice(spots)
    card = f" {m.group(2)} {m.group(1)}" + (rng.choice(_ROLES) if rng.random() < 0.5 else "")
    p.replace(m.end(), m.end(), card, "hover-card", "")
    return True


def _widget(rng: random.Random, p: _Piece) -> bool:
    spots = [m.end() for m in re.finditer(r"[.!?](?= [A-ZА-ЯЁ])", p.text) if p.free(m.end(), m.end())]
    if not spots:
        return False
    at = rng.choice(spots)
    title = rng.choice(
        ["Talks with the Foreign Minister of Ruritania", "Trip to the Northern Region", "Meeting with students"]
    )
    date = f"{rng.randint(1, 28)} {rng.choice(['March', 'April', 'May'])} {rng.randint(2015, 2025)}"
    p.replace(at, at, f" See also {title} {date}", "widget-text", "")
    return True


def _hyphen(rng: random.Random, p: _Piece) -> bool:
    if rng.random() < 0.25:
        spots = [m for m in re.finditer(r"\b[a-z]{2,}-(?=[a-z]{2,})", p.text) if p.free(m.start(), m.end())]
        if spots:  # a line break after a real hyphen: it must stay
            m = rng.choice(spots)
            p.replace(m.end(), m.end(), "\n", "hyphenation", "")
            return True
    spots = [m for m in re.finditer(r"\b[a-z]{7,}\b", p.text) if p.free(m.start(), m.end())]
    if not spots:
        return False
    m = rng.choice(spots)
    cut = m.start() + rng.randint(3, len(m.group()) - 3)
    p.replace(cut, cut, "-\n", "hyphenation", "")
    return True


def _wrap(rng: random.Random, p: _Piece, width: int = 72) -> bool:
    """Hard-wrap the whole paragraph at ``width``, as e-mail and Markdown exports do."""
    col = 0
    done = False
    i = 0
    while i < len(p.text):
        col += 1
        if (
            col > width
            and p.text[i] == " "
            and p.text[i - 1] not in " ;:"
            and p.text[i + 1 : i + 2] not in (" ", "")
            and p.free(i, i + 1)
        ):
            p.replace(i, i + 1, "\n", "hard-wrap", " ")
            col = 0
            done = True
        elif p.text[i] == "\n":
            col = 0
        i += 1
    return done


INLINE: dict[str, Callable[[random.Random, _Piece], bool]] = {
    "mojibake": _mojibake,
    "control-characters": _control,
    "unicode-spaces": _odd_space,
    "space-before-punctuation": _space_punct,
    "markdown-escape": _md_escape,
    "hover-card": _hover,
    "widget-text": _widget,
    "hyphenation": _hyphen,
    "hard-wrap": _wrap,
}
STRUCTURAL = ("duplicated-broken-sentence", "repeated-paragraph", "broken-paragraph")
ALL_RULES = (*STRUCTURAL, *INLINE)


def _fragment_cut(words: list[str], rng: random.Random) -> int | None:
    choices = [k for k in range(3, len(words) - 2) if words[k - 1][-1] not in _TERMINAL and words[k - 1][-1] not in ","]
    return rng.choice(choices) if choices else None


def _split_point(text: str, rng: random.Random) -> int | None:
    spots = [m.start() for m in re.finditer(r"(?<=[a-z]) (?=[a-z])", text)]
    spots = [s for s in spots if len(text[:s].split()) >= 4 and len(text[s:].split()) >= 2]
    return rng.choice(spots) if spots else None


def inject(
    turns: Sequence[CleanTurn],
    rng: random.Random,
    *,
    rules: Sequence[str] = ALL_RULES,
    rate: float = 0.5,
    header: bool = True,
) -> Sample:
    """Lay out the clean turns as a mid.ru transcript and damage some paragraphs.

    Each paragraph gets, with probability ``rate``, one artifact of a rule drawn from
    ``rules`` (a structural one moves whole paragraphs; an inline one changes text).
    """
    parts: list[str] = []
    artifacts: list[Artifact] = []
    pos = 0

    def emit(piece: _Piece) -> None:
        nonlocal pos
        for rule, s, e, expected in piece.artifacts:
            artifacts.append(Artifact(rule, pos + s, pos + e, expected))
        parts.append(piece.text)
        pos += len(piece.text)

    def literal(text: str) -> None:
        emit(_Piece(text))

    if header:
        literal(
            "01.02.2022 19:46\n\n№ 132-01-02-2022\n\n"
            "Foreign Minister's remarks and answers to media questions, Moscow, February 1, 2022\n\n"
        )
    for label, paragraphs in turns:
        for p_index, clean in enumerate(paragraphs):
            prefix = f"{label}: " if p_index == 0 else ""
            rule = rng.choice(list(rules)) if rng.random() < rate else None
            words = clean.split()
            if rule == "duplicated-broken-sentence" and (k := _fragment_cut(words, rng)) is not None:
                fragment = " ".join(words[:k])
                if rng.random() < 0.3 and len(words[k - 1]) > 4 and words[k - 1][-3:].isalpha():
                    fragment = fragment[: -rng.randint(1, 2)]  # cut inside the last word
                full = clean[0].lower() + clean[1:] if clean[0].isupper() else clean
                literal(prefix)
                start = pos
                literal(fragment + "\n\n")
                expected = clean[0] if full[0] != clean[0] else ""
                end = pos + 1 if expected else start + len(fragment)  # the repair spans its edits
                artifacts.append(Artifact(rule, start, end, expected))
                literal(full + "\n\n")
                continue
            if rule == "broken-paragraph" and (cut := _split_point(clean, rng)) is not None:
                literal(prefix + clean[:cut])
                artifacts.append(Artifact(rule, pos, pos + 2, " "))
                literal("\n\n" + clean[cut + 1 :] + "\n\n")
                continue
            literal(prefix + clean + "\n\n")
            if rule == "repeated-paragraph" and len(re.findall(r"\w+", clean)) >= 8 and not clean[0].islower():
                artifacts.append(Artifact(rule, pos, pos + len(clean), ""))
                literal(clean + "\n\n")
                continue
            if rule in INLINE:
                # undo the plain paragraph and write it again with the artifact in it
                parts.pop()
                pos -= len(prefix + clean + "\n\n")
                piece = _Piece(clean)
                INLINE[rule](rng, piece)
                literal(prefix)
                emit(piece)
                literal("\n\n")
    literal("https://example.org/transcript/1/")
    return Sample(list(turns), "".join(parts), artifacts)


OWN_TURNS: list[CleanTurn] = [
    (
        "Question",
        ["How would you assess the outcome of today’s talks with your Ruritanian colleague, and what comes next?"],
    ),
    (
        "Elena Sorokina",
        [
            "The talks with Foreign Minister Anna Novak were long and businesslike. We went through the whole agenda, "
            "from trade to the humanitarian track, and agreed on a schedule of consultations.",
            "Our experts will meet in Geneva in April. They will prepare a draft agreement on visas for students, "
            "scientists and journalists, which is something both sides have wanted for a long time.",
            "As for the self-defence arrangements mentioned in the media, no such document is being drafted. "
            "We said so publicly — and we will repeat it as often as necessary.",
        ],
    ),
    (
        "Question",
        [
            "Did you discuss the situation around the nuclear power plant, and is a visit by international "
            "experts possible?"
        ],
    ),
    (
        "Elena Sorokina",
        [
            "Yes, we did. Our position has not changed: safety comes first, and any visit must be agreed with the "
            "operator and the authorities in advance. We are open to a long-term arrangement.",
            "I also thanked Mr Keller for the hospitality of the Swiss side, which made today’s meeting possible.",
        ],
    ),
]
