"""Transcript → TEI P5 XML, in the subset defined by ``schemas/transcript-tei.rng``.

Layout of the output (see the schema for the exact grammar):

- ``teiHeader/fileDesc``: the title, the publisher with the document number and URL as
  ``idno``, and the source (``sourceDesc/bibl``);
- ``encodingDesc``: how repairs were made (``editorialDecl/correction``), the tool
  (``appInfo/application``, referenced by every ``@resp``), and taxonomies of the turn kinds
  and of the repair rules the document used (referenced by ``@ana``);
- ``profileDesc``: language, genre, participants and mentioned persons, place and date;
- ``text/body/div``: per turn, the label as printed (``note type="speaker"``) and a ``u``
  whose ``@who`` points at its person, with one ``seg`` per paragraph. Repairs are marked in
  place: a dropped fragment as ``surplus``, changed text as ``choice/sic/corr``, so the
  source text can be recovered.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from typing import ClassVar, Final

from lxml import etree

from transcript_model import BlockKind, Edit, Incident, Paragraph, Person, Severity, Transcript, TurnKind
from transcript_model import __version__ as tool_version
from transcript_model.reading import utf8_has_xml_forbidden
from transcript_model.repairs import RULES, is_internal
from transcript_model.scans import XML_SPECIALS
from transcript_model.source import piece_rows

from .ids import Ids, turn_id
from .resources import TOOL_ID
from .validation import parse_xml

TEI_NS: Final = "http://www.tei-c.org/ns/1.0"
XML_NS: Final = "http://www.w3.org/XML/1998/namespace"
_XML_DECLARATION: Final = b'<?xml version="1.0" encoding="UTF-8"?>\n'
LANGUAGE_NAMES: Final = {"en": "English", "ru": "Russian"}
# the values of the model's enums, looked up: an enum member's .value is a property written in
# Python (90 ns a read on Python 3.11, this 10), and both exports read one per block and turn
BLOCK_KINDS: Final = {kind: kind.value for kind in BlockKind}
TURN_KINDS: Final = {kind: kind.value for kind in TurnKind}
SEVERITIES: Final = {severity: severity.value for severity in Severity}


class ExportError(ValueError):
    """The transcript cannot be written as XML (e.g. it holds characters XML 1.0 forbids)."""


# --- writing XML text ------------------------------------------------------------------------
#
# The document is written as text, element by element, in the form lxml's serialiser gives
# (the same bytes as the lxml-built tree this replaced, compared on 1,452 transcripts; the
# tests require that lxml, parsing and serialising them, gives them back), then parsed once
# when it is validated. Building an lxml tree element by element took twice as long.
#
# Layout: an element that holds only elements has each child on a line of its own, indented
# two spaces a level; an element that holds text ("mixed": seg, p, note...) is written as is,
# whitespace inside it being text.

_INDENT: Final = ["\n" + "  " * depth for depth in range(64)]
# a raw string: the regex engine reads the escapes (mypyc compiles no surrogates in literals)
_XML_FORBIDDEN: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NOT_XML: Final = "All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters"


_AMP, _LT, _GT, _CR = 1, 2, 4, 8
_SPECIAL_BITS: Final = (("&", _AMP), ("<", _LT), (">", _GT), ("\r", _CR), ('"', 16), ("\n", 32), ("\t", 64))
_TEXT_SPECIALS: Final = _AMP | _LT | _GT | _CR


def _xml_specials_python(s: str) -> int:
    """Which characters markup escapes ``s`` holds, as bits (``&`` 1, ``<`` 2, ``>`` 4, CR 8,
    ``"`` 16, newline 32, tab 64; the last three need escaping in attribute values only).

    >>> _xml_specials_python("a < b & c"), _xml_specials_python("plain"), _xml_specials_python('say "x"\\n')
    (3, 0, 48)
    """
    found = 0
    for char, bit in _SPECIAL_BITS:
        if char in s:
            found |= bit
    return found


_C_XML_SPECIALS: Final = XML_SPECIALS
"""The C scan, as a name of this module's own: compiled, a Final name is read directly,
where an imported one is looked up in the module's dictionary at each use (about 400
look-ups for a reference-sized document)."""


def _xml_specials(s: str) -> int:
    """:func:`_xml_specials_python`'s answer, from one pass of C where it was built (one call
    in place of a search for each character, or of a pattern)."""
    if _C_XML_SPECIALS is not None:
        return _C_XML_SPECIALS(s)
    return _xml_specials_python(s)


def _text(s: str) -> str:
    """Character data as lxml writes it: ``&``, ``<``, ``>`` and CR escaped."""
    found = _xml_specials(s) & _TEXT_SPECIALS
    if not found:
        return s
    if found & _AMP:
        s = s.replace("&", "&amp;")
    if found & _LT:
        s = s.replace("<", "&lt;")
    if found & _GT:
        s = s.replace(">", "&gt;")
    if found & _CR:
        s = s.replace("\r", "&#13;")
    return s


_ATTRIBUTE_ESCAPES: Final = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}
)


def _attrs(attrs: Iterable[tuple[str, str]]) -> str:
    """`` name="value"`` for each attribute, values escaped as lxml writes them."""
    out = ""
    for name, value in attrs:
        escaped = value.translate(_ATTRIBUTE_ESCAPES) if _xml_specials(value) else value
        out += f' {name}="{escaped}"'
    return out


def _leaf(tag: str, text: str | None = None, *attrs: tuple[str, str]) -> str:
    """An element with text only (``None``: empty, written ``<tag/>``)."""
    return _leaf_of(tag, text, attrs)


def _leaf_of(tag: str, text: str | None, attrs: Iterable[tuple[str, str]]) -> str:
    """:func:`_leaf` with its attributes in one argument: for a list made at run time (compiled,
    a call spreading one with ``*`` went through Python's calling convention, 9,000
    instructions, where this is a direct call)."""
    if text is None:
        return f"<{tag}{_attrs(attrs)}/>"
    return f"<{tag}{_attrs(attrs)}>{_text(text)}</{tag}>"


def _box(depth: int, tag: str, children: list[str], *attrs: tuple[str, str]) -> str:
    """An element holding only elements, each child on a line of its own at ``depth + 1``."""
    return _box_of(depth, tag, children, attrs)


def _box_of(depth: int, tag: str, children: list[str], attrs: Iterable[tuple[str, str]]) -> str:
    """:func:`_box` with its attributes in one argument (see :func:`_leaf_of`)."""
    if not children:
        return f"<{tag}{_attrs(attrs)}/>"
    inner = _INDENT[depth + 1]
    return f"<{tag}{_attrs(attrs)}>{inner}{inner.join(children)}{_INDENT[depth]}</{tag}>"


class _Recent:
    """The last few values :func:`iso` wrote, with what it wrote (a transcript's dates are
    written up to four times each by the two exports, 4,700 instructions a time).
    The values are kept alive, so the same object is the same value; one tuple, replaced
    whole, so a thread never sees half of another's."""

    value: ClassVar[tuple[tuple[dt.date, str], ...]] = ()


def iso(value: dt.date | dt.datetime) -> str:
    """ISO 8601 as TEI's ``@when`` wants it: seconds always, offset when known.

    >>> iso(dt.datetime(1917, 1, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2, minutes=30, seconds=17))))
    '1917-01-01T09:29:43+00:00'
    >>> iso(dt.date(2022, 2, 1))
    '2022-02-01'
    """
    recent = _Recent.value
    for seen, text in recent:
        if seen is value:
            return text
    text = _iso(value)
    _Recent.value = ((value, text), *recent[:3])
    return text


def _iso(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        offset = value.utcoffset()
        if offset is not None and offset.total_seconds() % 60:
            value = value.astimezone(dt.timezone.utc)  # a historic local mean time (+02:30:17)
        return value.isoformat(timespec="seconds")
    return value.isoformat()


_KIND_IDS: Final = {kind: f"kind.{kind.value}" for kind in TurnKind}
_RULE_IDS: Final = {rule: f"rule.{rule}" for rule in RULES}


def kind_id(kind: TurnKind) -> str:
    return _KIND_IDS[kind]


def rule_id(rule: str) -> str:
    """``rule.NAME``: the id of a repair rule's category in the TEI header.

    >>> rule_id("hard-wrap"), rule_id("a-rule-of-another-version")
    ('rule.hard-wrap', 'rule.a-rule-of-another-version')
    """
    found = _RULE_IDS.get(rule)
    return found if found is not None else f"rule.{rule}"


def to_tei(t: Transcript) -> bytes:
    """The transcript as a TEI P5 document (UTF-8 bytes, deterministic).

    Raises :class:`ExportError` if the transcript holds text XML cannot carry.
    """
    parts = _document(t)
    try:  # checked in the bytes (C, a tenth of the pattern's time), the pattern names the culprit
        # encoded part by part: a string holding one character outside Latin-1 ("№", a curly
        # quote) is stored two bytes a character and encoded character by character, an
        # ASCII one is copied (the whole document at once took 18 µs when only the source
        # layout held such a character)
        data = b"".join([part.encode("utf-8") for part in parts])
        clean = not utf8_has_xml_forbidden(data, nul=True)
    except UnicodeEncodeError:  # a lone surrogate
        clean = False
    if not clean:
        found = _XML_FORBIDDEN.search("".join(parts))
        raise ExportError(f"cannot write TEI: {_NOT_XML} (found {found.group() if found else '?'!r})")
    return data


def tei_tree(t: Transcript) -> etree._ElementTree:
    """The TEI document as an lxml tree, parsed from :func:`to_tei`'s bytes (with line
    numbers, as a reader gets it)."""
    return parse_xml(to_tei(t))


def serialise_tei(tree: etree._ElementTree) -> bytes:
    """The bytes of a TEI tree: UTF-8, our XML declaration, a final newline (the form
    :func:`to_tei` writes)."""
    return _XML_DECLARATION + etree.tostring(tree.getroot(), encoding="UTF-8") + b"\n"


def _document(t: Transcript) -> list[str]:
    """The document's text, in parts: the header, the text and the standOff between the
    lines that open and close it."""
    md = t.metadata
    ids = Ids.of(t)
    root = [("xml:lang", md.language)] if md.language else []
    header = _box(1, "teiHeader", [_file_desc(t), _encoding_desc(t), _profile_desc(t)])
    div: list[str] = [_leaf("note", note.text, ("type", note.kind)) for note in t.notes]
    for i, turn in enumerate(t.turns):
        if turn.label is not None:
            div.append(f'<note type="speaker">{_text(turn.label)}</note>')
        # our ids and the turn kinds need no escaping; the speaker, the model's, does
        attrs = f' xml:id="{turn_id(i)}"'
        if turn.speaker is not None:
            attrs += _attrs((("who", "#" + turn.speaker),))
        if turn.kind is not None:
            attrs += f' ana="#{kind_id(turn.kind)}"'
        segs = []
        for para in turn.paragraphs:
            inner = _fill_paragraph(para, t, ids)
            pid = ids.paragraphs[id(para)]
            segs.append(f'<seg xml:id="{pid}">{inner}</seg>' if inner else f'<seg xml:id="{pid}"/>')
        div.append(f"<u{attrs}>{_INDENT[5]}{_INDENT[5].join(segs)}{_INDENT[4]}</u>" if segs else f"<u{attrs}/>")
    # what _box(0, "TEI", [header, text, standOff], ...) writes, with text and standOff in
    # parts: the transcript's text and its layout are joined once, not again at every level
    # (a 4 MB transcript's were copied six times, at twice the cost per KB of a small one)
    opening = f"{_XML_DECLARATION.decode('ascii')}<TEI{_attrs((('xmlns', TEI_NS), *root))}>{_INDENT[1]}"
    parts = [opening, header, _INDENT[1]]
    if div:
        parts += [
            f'<text>{_INDENT[2]}<body>{_INDENT[3]}<div type="transcript">{_INDENT[4]}',
            _INDENT[4].join(div),
            f"{_INDENT[3]}</div>{_INDENT[2]}</body>{_INDENT[1]}</text>",
        ]
    else:
        parts.append(
            f'<text>{_INDENT[2]}<body>{_INDENT[3]}<div type="transcript"/>{_INDENT[2]}</body>{_INDENT[1]}</text>'
        )
    parts.append(_INDENT[1])
    parts += _stand_off(t, ids)
    parts.append(f"{_INDENT[0]}</TEI>\n")
    return parts


def _stand_off(t: Transcript, ids: Ids) -> list[str]:
    """The source layout (every piece of the source in order, paragraphs by reference) and
    the parser's diagnostics, in parts."""
    layout: list[str] = []  # mixed content: pieces and the text between them, as written
    targets: dict[tuple[int, int], str] = {}
    label_turns = {(s.start, s.end): turn_id(i) for i, turn in enumerate(t.turns) if (s := turn.label_span) is not None}
    n = 0
    # the ids are ours (``u1.p2``, ``e1``, ``l3``) and the block kinds a fixed vocabulary, with
    # nothing to escape: written directly (escaping every attribute was a fifth of the export)
    for start, end, _, _, original, block, paragraph, edit in piece_rows(t):
        if paragraph is not None:
            ref = ids.paragraphs[id(paragraph)]
            layout.append(f'<ptr target="#{ref}"/>')
            targets[(start, end)] = ref
        elif edit is not None:
            layout.append(f'<ptr target="#{ids.of_dropped(edit)}"/>')
        elif block is not None and block.kind is BlockKind.GAP:
            layout.append(_text(original))
        elif block is not None:
            n += 1
            corresp = ""
            turn = label_turns.get((start, end)) if block.kind is BlockKind.LABEL else None
            if turn is not None:
                corresp = f' corresp="#{turn}"'
            layout.append(f'<seg type="{BLOCK_KINDS[block.kind]}" xml:id="l{n}"{corresp}>{_text(original)}</seg>')
            targets.setdefault((start, end), f"l{n}")
    # an empty piece of text still makes the seg <seg></seg>, as lxml wrote it; written in
    # parts, as _box(1, "standOff", [seg, listAnnotation]) writes it
    opening = f'<standOff>{_INDENT[2]}<seg type="source-layout" xml:space="preserve"'
    parts = [f"{opening}>", "".join(layout), "</seg>"] if layout else [f"{opening}/>"]
    if t.diagnostics:
        notes = []
        for d in t.diagnostics:
            note_attrs = [("type", SEVERITIES[d.severity]), ("subtype", d.code)]
            if d.line is not None:
                note_attrs.append(("n", str(d.line)))
            if d.span is not None:
                target = targets.get((d.span.start, d.span.end))
                if target is None:
                    raise ExportError(f"diagnostic {d.code} points at no piece of the source ({d.span})")
                note_attrs.append(("target", "#" + target))
            notes.append(_leaf_of("note", d.message, note_attrs))
        parts += [_INDENT[2], _box(2, "listAnnotation", notes, ("type", "diagnostics"))]
    parts.append(f"{_INDENT[1]}</standOff>")
    return parts


def _file_desc(t: Transcript) -> str:
    md = t.metadata
    if md.title is not None:
        title = _leaf("title", md.title)
    else:
        title = _leaf("title", "Untitled transcript", ("type", "untitled"))
    pub: list[str] = []
    if md.publisher is not None:
        pub.append(_leaf("publisher", md.publisher))
    else:
        pub.append(_leaf("authority", "transcript-model (publisher not identified in the source)"))
    published = iso(md.published) if md.published is not None else None
    if published is not None:
        pub.append(_leaf("date", published, ("when", published)))
    if md.number is not None:
        pub.append(_leaf("idno", md.number, ("type", "number")))
    if md.source_url is not None:
        pub.append(_leaf("idno", md.source_url, ("type", "URI")))
    bibl: list[str] = []
    if md.title is not None:
        bibl.append(_leaf("title", md.title))
    if md.publisher is not None:
        bibl.append(_leaf("publisher", md.publisher))
    if published is not None:
        bibl.append(_leaf("date", published, ("when", published)))
    if md.source_url is not None:
        bibl.append(_leaf("ref", md.source_url, ("target", md.source_url)))
    if t.source_name is not None:
        bibl.append(_leaf("idno", t.source_name, ("type", "file")))
    if not bibl:
        bibl.append(_leaf("note", "Source not identified in the transcript."))
    return _box(
        2,
        "fileDesc",
        [
            _box(3, "titleStmt", [title]),
            _box(3, "publicationStmt", pub),
            _box(3, "sourceDesc", [_box(4, "bibl", bibl)]),
        ],
    )


def _encoding_desc(t: Transcript) -> str:
    app = [_leaf("label", "transcript-model")]
    if t.profile is not None:
        app.append(_leaf("desc", t.profile, ("type", "profile")))
    application = _box(4, "application", app, ("xml:id", TOOL_ID), ("ident", TOOL_ID), ("version", tool_version))
    counts: dict[str, int] = {}
    for r in t.repairs:
        counts[r.rule] = counts.get(r.rule, 0) + 1
    summary = ", ".join(f"{rule} ({n})" for rule, n in counts.items()) or "none"
    correction = _leaf(
        "p",
        "Scraping artifacts were repaired automatically by transcript-model. Dropped text is kept "
        "in surplus, changed text in choice/sic/corr; each carries resp pointing at the tool and "
        "ana pointing at the rule. Repairs applied: " + summary + ".",
    )
    taxonomies = [_turn_kinds()]
    # the rules this document's repairs used (the full list is RULES, in the docs): a file
    # describes itself, and twelve categories restated in every file were an eighth of its
    # elements, paid for by every reader and validator
    used = [name for name in RULES if name in counts] + sorted(set(counts) - set(RULES))
    if used:
        rules = [_box(5, "category", [_leaf("catDesc", name)], ("xml:id", rule_id(name))) for name in used]
        taxonomies.append(_box(4, "taxonomy", rules, ("xml:id", "repair-rules")))
    return _box(
        2,
        "encodingDesc",
        [
            _box(3, "appInfo", [application]),
            _box(3, "editorialDecl", [_box(4, "correction", [correction], ("method", "markup"))]),
            _box(3, "classDecl", taxonomies),
        ],
    )


@functools.cache
def _turn_kinds() -> str:
    """The taxonomy of turn kinds, the same in every document: written once."""
    kinds = [_box(5, "category", [_leaf("catDesc", kind.value)], ("xml:id", kind_id(kind))) for kind in TurnKind]
    return _box(4, "taxonomy", kinds, ("xml:id", "turn-kinds"))


def _profile_desc(t: Transcript) -> str:
    md = t.metadata
    prof: list[str] = []
    if md.lead is not None:
        prof.append(_box(3, "abstract", [_leaf("p", para) for para in md.lead.split("\n\n")]))
    if md.genre is not None:
        keywords = _box(4, "keywords", [_leaf("term", md.genre, ("type", "genre"))])
        prof.append(_box(3, "textClass", [keywords]))
    if md.language is not None:
        language = _leaf("language", LANGUAGE_NAMES.get(md.language, md.language), ("ident", md.language))
        prof.append(_box(3, "langUsage", [language]))
    if t.participants or md.mentioned:
        lists = []
        if t.participants:
            lists.append(_box(4, "listPerson", [_person(p) for p in t.participants], ("type", "participants")))
        if md.mentioned:
            lists.append(_box(4, "listPerson", [_person(p) for p in md.mentioned], ("type", "mentioned")))
        prof.append(_box(3, "particDesc", lists))
    if md.place or md.event_date or md.occasion or md.event_start:
        setting: list[str] = []
        if md.place is not None:
            setting.append(_leaf("placeName", md.place))
        if md.event_date is not None:
            setting.append(_leaf("date", iso(md.event_date), ("when", iso(md.event_date))))
        if md.event_start is not None:
            setting.append(_leaf("time", iso(md.event_start), ("when", iso(md.event_start))))
        if md.occasion is not None:
            setting.append(_leaf("activity", md.occasion))
        prof.append(_box(3, "settingDesc", [_box(4, "setting", setting)]))
    return _box(2, "profileDesc", prof)


def _person(p: Person) -> str:
    attrs = [("xml:id", p.id)]
    if p.anonymous:
        attrs.append(("role", "anonymous"))
    children: list[str] = []
    if p.name is not None:
        children.append(_leaf("persName", p.name))
    if p.role is not None or p.affiliation is not None:
        aff = []
        if p.role is not None:
            aff.append(_leaf("roleName", p.role))
        if p.affiliation is not None:
            aff.append(_leaf("orgName", p.affiliation))
        children.append(_box(6, "affiliation", aff))
    if not children:
        children.append(_leaf("persName"))
    return _box_of(5, "person", children, attrs)


_INCIDENT_ELEMENTS: Final = {"vocal": "vocal", "kinesic": "kinesic", "incident": "incident"}


def _fill_paragraph(para: Paragraph, t: Transcript, ids: Ids) -> str:
    """A paragraph's text with its edits and stage directions marked in place (the inside
    of its seg: mixed content, written as is)."""
    if not para.edits and not para.incidents:  # most paragraphs
        return _text(para.text)
    out: list[str] = []
    pos = 0
    marks: list[tuple[int, int, int, Edit | Incident]] = [(e.start, e.end, k, e) for k, e in enumerate(para.edits)]
    marks += [(inc.start, inc.end, -1, inc) for inc in para.incidents]
    if len(marks) > 1:  # most paragraphs that have marks have one
        marks.sort(key=lambda m: (m[0], m[1], isinstance(m[3], Incident), m[2]))
    for start, end, k, mark in marks:
        out.append(_text(para.text[pos:start]))
        if isinstance(mark, Incident):
            if mark.kind == "note":
                out.append(_leaf("note", mark.text, ("type", "stage")))
            else:
                tag = _INCIDENT_ELEMENTS.get(mark.kind, "incident")
                out.append(f"<{tag}>{_leaf('desc', mark.text)}</{tag}>")
        else:
            repair = t.repairs[mark.repair]
            attrs = [("resp", "#" + TOOL_ID), ("ana", "#" + rule_id(repair.rule)), ("n", str(mark.repair))]
            if not is_internal(mark, para):
                attrs.append(("xml:id", ids.externals[(id(para), k)]))
            if mark.start == mark.end:
                out.append(_leaf_of("surplus", mark.original, [("reason", repair.reason), *attrs]))
            elif not mark.original:
                out.append(_leaf_of("supplied", para.text[mark.start : mark.end], [("reason", repair.reason), *attrs]))
            else:
                sic, corr = _leaf("sic", mark.original), _leaf("corr", para.text[mark.start : mark.end])
                out.append(f"<choice{_attrs(attrs)}>{sic}{corr}</choice>")
        pos = end
    out.append(_text(para.text[pos:]))
    return "".join(out)
