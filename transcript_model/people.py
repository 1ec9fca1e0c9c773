"""Persons: one participant per real person across the label variants a transcript prints.

``President of Russia Vladimir Putin:``, ``Vladimir Putin:``, ``Putin:`` and ``V.Putin:``
are one person; ``MR. KIRBY:`` is the *John Kirby* of the headline; ``Question:`` is the
anonymous questioner; ``SENIOR ADMINISTRATION OFFICIAL:`` an anonymous official.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from typing import Final, TypeVar

from .labels import Label, label_key
from .model import Person, TurnKind
from .profiles import AnonymousLabel, Vocabulary
from .titles import PersonRef, TitleInfo, split_person

# letters XML 1.0 (4th edition, which libxml2 follows) accepts in names, lower case:
# Latin-1 and Latin Extended-A, Greek, Cyrillic
_ID_UNSAFE: Final = re.compile(
    r"[^a-z0-9\u00df-\u00f6\u00f8-\u00ff\u0101-\u0131\u0135-\u013e\u0142-\u0148\u014b-\u017e"
    r"\u03ac-\u03ce\u0430-\u044f\u0451-\u045c\u045e\u045f]+"
)
_RESERVED: Final = re.compile(r"(?:u\d+(?:\.p\d+)?|e\d+|l\d+|kind\..*|rule\..*)")
_INITIAL_SURNAME: Final = re.compile(r"^(?P<initials>(?:[^\W\d_]\.\s?){1,2})(?P<surname>[^\W\d_][\w’'-]+)$")


_KEPT: Final = 4096
"""How many names each of the caches below keeps: the names a corpus prints are few (its
speakers and the persons its headlines name), the texts of a name are not."""
_PERSON_IDS: Final[dict[str, str]] = {}
_NAME_KEYS: Final[dict[str, tuple[str, str | None]]] = {}
T = TypeVar("T")


def _kept(cache: dict[str, T], name: str, make: Callable[[str], T]) -> T:
    """``make(name)``, made once and kept in ``cache`` (at most :data:`_KEPT` names)."""
    found = cache.get(name)
    if found is None:
        found = make(name)
        if len(cache) < _KEPT:
            cache[name] = found
    return found


def person_id(name: str) -> str:
    """A stable id for a person, safe as an XML ``xml:id`` and a URI fragment.

    Lower-cased letters (Latin, Greek, Cyrillic) and digits of the name joined by hyphens;
    a name with none of those gets a short hash of itself. Kept for the names met before
    (normalising, folding and two patterns took 9,000 instructions a name).

    >>> person_id("Sergey Lavrov"), person_id("В.Путин"), person_id("MS. PSAKI")
    ('sergey-lavrov', 'в-путин', 'ms-psaki')
    """
    return _kept(_PERSON_IDS, name, _person_id)


def _person_id(name: str) -> str:
    slug = _ID_UNSAFE.sub("-", unicodedata.normalize("NFC", name).casefold()).strip("-")
    if not slug:
        return "p-" + hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    if not slug[0].isalpha() or _RESERVED.fullmatch(slug):
        slug = "p-" + slug  # never a turn, paragraph, layout or dropped-paragraph id
    return slug


def name_key(name: str) -> tuple[str, str | None]:
    """``(surname, first initial)`` casefolded: ``"V.Putin"`` and ``"Vladimir Putin"`` →
    ``("putin", "v")``; ``"KIRBY"`` → ``("kirby", None)``. Kept for the names met before
    (a speaker's name is compared with every title person's, again for each question).

    >>> name_key("V.Putin"), name_key("Vladimir Putin"), name_key("KIRBY")
    (('putin', 'v'), ('putin', 'v'), ('kirby', None))
    """
    return _kept(_NAME_KEYS, name, _name_key)


def _name_key(name: str) -> tuple[str, str | None]:
    m = _INITIAL_SURNAME.match(name.strip())
    if m:
        return m["surname"].casefold(), m["initials"][0].casefold()
    tokens = name.split()
    if len(tokens) == 1:
        return tokens[0].casefold(), None
    return tokens[-1].casefold(), tokens[0][0].casefold()


def same_person(a: str, b: str) -> bool:
    """Whether two printed names can be one person (same surname, compatible initials)."""
    (sa, ia), (sb, ib) = name_key(a), name_key(b)
    return sa == sb and (ia is None or ib is None or ia == ib)


def _fuller(new: str, old: str) -> bool:
    """Whether ``new`` names the person more fully than ``old`` ("John Kirby" over "Kirby");
    a printed initials form is never replaced."""
    if _INITIAL_SURNAME.match(old) or _INITIAL_SURNAME.match(new):
        return False
    return len(new.split()) > len(old.split())


def _display(name: str | None) -> str | None:
    """``"KIRBY"`` → ``"Kirby"``: names and roles printed in capitals are shown in title case."""
    if name is None:
        return None
    return name.title() if name.isupper() and len(name) > 3 else name


class People:
    """Persons met so far: title persons, then speakers as their labels appear."""

    def __init__(self, vocab: Vocabulary, info: TitleInfo | None, extra: tuple[PersonRef, ...] = ()) -> None:
        self._vocab = vocab
        self._author = info.author if info else None
        self._title_refs: list[PersonRef] = [r for r in (self._author,) if r is not None]
        self._title_refs.extend(info.mentioned if info else ())
        self._context_refs = list(extra)
        self._speakers: dict[str, Person] = {}
        self._by_label: dict[str, str] = {}
        self._by_printed: dict[tuple[str, str], tuple[str, TurnKind | None]] = {}
        self._names: frozenset[str] | None = None  # known_names(), until a speaker changes

    def known_names(self) -> frozenset[str]:
        """Names and surnames of everyone known, so one-word labels ("Lavrov:") are recognised.

        The same set is returned until a speaker is added or renamed (asked after every label,
        it was built anew each time)."""
        if self._names is not None:
            return self._names
        names = {p.name for p in self._speakers.values() if p.name}
        names.update(r.name for r in (*self._title_refs, *self._context_refs))
        for n in list(names):
            names.add(n.split()[-1])
            names.add(n.split()[-1].upper())
        self._names = frozenset(names)
        return self._names

    def anonymous(self, anon: AnonymousLabel) -> str:
        if anon.person_id not in self._speakers:
            self._speakers[anon.person_id] = Person(anon.person_id, None, anon.role, None, True)
            self._names = None
        return anon.person_id

    def speaker_for(self, label: Label) -> tuple[str, TurnKind | None]:
        """The participant id a label stands for, and the turn kind the label implies.

        The answer for a printed label never changes once given (an anonymous role is one
        participant; a name is resolved once), so it is remembered: labels repeat.
        """
        key = (label.text, label.name)
        found = self._by_printed.get(key)
        if found is None:
            anon = self._vocab.anonymous_labels.get(label_key(label.text))
            if anon is not None:
                found = self.anonymous(anon), anon.kind
            else:
                if label.name not in self._by_label:
                    self._by_label[label.name] = self._resolve(label.name)
                found = self._by_label[label.name], None
            self._by_printed[key] = found
        return found

    def author_id(self) -> str | None:
        """The headline's author as a participant (for a monologue), if the headline names one."""
        return self._add(self._author) if self._author is not None else None

    def _resolve(self, printed: str) -> str:
        words = [w for w in printed.split() if w.strip(".").casefold() not in self._vocab.honorifics]
        bare = " ".join(words) or printed
        ref = split_person(bare, self._vocab)
        if ref is None:
            # only job-title words: an anonymous official ("SENIOR ADMINISTRATION OFFICIAL")
            return self.anonymous(AnonymousLabel(person_id(printed), None, _display(printed)))
        for known in self._candidates():
            if same_person(known.name, ref.name):
                # a label in initials form ("В.Путин") keeps its printed form
                name = ref.name if _INITIAL_SURNAME.match(ref.name) else known.name
                role = known.role if ref.role is None or ref.role.isupper() else ref.role
                return self._add(PersonRef(name, role or _display(ref.role), ref.affiliation or known.affiliation))
        return self._add(PersonRef(_display(ref.name) or ref.name, _display(ref.role), ref.affiliation))

    def _candidates(self) -> list[PersonRef]:
        speakers = [PersonRef(p.name, p.role, p.affiliation) for p in self._speakers.values() if p.name]
        return [*speakers, *self._title_refs, *self._context_refs]

    def _add(self, ref: PersonRef) -> str:
        for pid, person in self._speakers.items():
            if person.anonymous or not person.name or not same_person(person.name, ref.name):
                continue
            name = person.name
            if _fuller(ref.name, name):
                name = ref.name
            self._speakers[pid] = Person(pid, name, person.role or ref.role, person.affiliation or ref.affiliation)
            self._names = None
            return pid
        pid = person_id(ref.name)
        while pid in self._speakers:
            pid += "-2"
        self._speakers[pid] = Person(pid, ref.name, ref.role, ref.affiliation)
        self._names = None
        return pid

    def participants(self) -> tuple[Person, ...]:
        return tuple(self._speakers.values())

    def mentioned(self) -> tuple[Person, ...]:
        """Title persons who never speak."""
        out: list[Person] = []
        seen = set(self._speakers)
        for ref in self._title_refs:
            if self._speaks(ref.name):
                continue
            pid = person_id(ref.name)
            if pid not in seen:
                seen.add(pid)
                out.append(Person(pid, ref.name, ref.role, ref.affiliation))
        return tuple(out)

    def _speaks(self, name: str) -> bool:
        return any(p.name and same_person(p.name, name) for p in self._speakers.values())
