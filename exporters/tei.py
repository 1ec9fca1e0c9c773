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

from lxml import etree

from transcript_model import BlockKind, Edit, Incident, Paragraph, Person, Transcript, TurnKind
from transcript_model import __version__ as tool_version
from transcript_model.repairs import RULES, is_internal
from transcript_model.source import pieces

from .ids import Ids, host_of, turn_id
from .resources import TOOL_ID

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_T = f"{{{TEI_NS}}}"
_XML_ID = f"{{{XML_NS}}}id"
_XML_LANG = f"{{{XML_NS}}}lang"
_XML_SPACE = f"{{{XML_NS}}}space"
_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
LANGUAGE_NAMES = {"en": "English", "ru": "Russian"}


class ExportError(ValueError):
    """The transcript cannot be written as XML (e.g. it holds characters XML 1.0 forbids)."""


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    e = etree.SubElement(parent, _T + tag)
    for k, v in attrs.items():
        e.set(_XML_ID if k == "xml_id" else k, v)
    if text is not None:
        e.text = text
    return e


def iso(value: dt.date | dt.datetime) -> str:
    """ISO 8601 as TEI's ``@when`` wants it: seconds always, offset when known."""
    if isinstance(value, dt.datetime):
        offset = value.utcoffset()
        if offset is not None and offset.total_seconds() % 60:
            value = value.astimezone(dt.timezone.utc)  # a historic local mean time (+02:30:17)
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def kind_id(kind: TurnKind) -> str:
    return f"kind.{kind.value}"


def rule_id(rule: str) -> str:
    return f"rule.{rule}"


def to_tei(t: Transcript) -> bytes:
    """The transcript as a TEI P5 document (UTF-8 bytes, deterministic).

    Raises :class:`ExportError` if the transcript holds text XML cannot carry.
    """
    return serialise_tei(tei_tree(t))


def tei_tree(t: Transcript) -> etree._ElementTree:
    """The TEI document as an lxml tree, indented as :func:`to_tei` writes it: what a corpus
    run validates before writing, without parsing its own output back."""
    try:
        root = _build(t)
    except ValueError as exc:  # lxml refuses control characters and NUL
        raise ExportError(f"cannot write TEI: {exc}") from None
    _indent(root, 0)
    return root.getroottree()


def serialise_tei(tree: etree._ElementTree) -> bytes:
    """The bytes of a TEI tree: UTF-8, our XML declaration, a final newline."""
    return _XML_DECLARATION + etree.tostring(tree.getroot(), encoding="UTF-8") + b"\n"


_MIXED = {_T + n for n in ("seg", "p", "note", "desc", "choice", "sic", "corr", "surplus", "supplied", "title")}


def _indent(el: etree._Element, depth: int) -> None:
    """Indent the element-only structure; never touch the inside of mixed content, where
    whitespace is text."""
    if el.tag in _MIXED or not len(el):
        return
    inner = "\n" + "  " * (depth + 1)
    el.text = inner
    for child in el:
        child.tail = inner
        _indent(child, depth + 1)
    el[-1].tail = "\n" + "  " * depth


def _build(t: Transcript) -> etree._Element:
    md = t.metadata
    ids = Ids.of(t)
    root = etree.Element(_T + "TEI", nsmap={None: TEI_NS})
    if md.language:
        root.set(_XML_LANG, md.language)
    header = _el(root, "teiHeader")
    _file_desc(header, t)
    _encoding_desc(header, t)
    _profile_desc(header, t)
    text = _el(root, "text")
    body = _el(text, "body")
    div = _el(body, "div", type="transcript")
    for note in t.notes:
        _el(div, "note", note.text, type=note.kind)
    for i, turn in enumerate(t.turns):
        if turn.label is not None:
            _el(div, "note", turn.label, type="speaker")
        u = _el(div, "u", xml_id=turn_id(i))
        if turn.speaker is not None:
            u.set("who", "#" + turn.speaker)
        if turn.kind is not None:
            u.set("ana", "#" + kind_id(turn.kind))
        for para in turn.paragraphs:
            seg = _el(u, "seg", xml_id=ids.paragraphs[id(para)])
            _fill_paragraph(seg, para, t, ids)
    _stand_off(root, t, ids)
    return root


def _stand_off(root: etree._Element, t: Transcript, ids: Ids) -> None:
    """The source layout (every piece of the source in order, paragraphs by reference) and
    the parser's diagnostics."""
    stand_off = _el(root, "standOff")
    layout = _el(stand_off, "seg", type="source-layout")
    layout.set(_XML_SPACE, "preserve")
    targets: dict[tuple[int, int], str] = {}
    last: etree._Element | None = None
    label_turns = {turn.label_span: turn_id(i) for i, turn in enumerate(t.turns) if turn.label_span is not None}
    n = 0
    for piece in pieces(t):
        if piece.paragraph is not None:
            ref = ids.paragraphs[id(piece.paragraph)]
            last = _el(layout, "ptr", target="#" + ref)
            targets[(piece.span.start, piece.span.end)] = ref
        elif piece.edit is not None:
            host, k = host_of(t, piece.edit)
            last = _el(layout, "ptr", target="#" + ids.externals[(id(host), k)])
        elif piece.block is not None and piece.block.kind is BlockKind.GAP:
            if last is None:
                layout.text = (layout.text or "") + piece.original
            else:
                last.tail = (last.tail or "") + piece.original
            continue
        elif piece.block is not None:
            n += 1
            last = _el(layout, "seg", piece.original, type=piece.block.kind.value, xml_id=f"l{n}")
            if piece.block.kind is BlockKind.LABEL and piece.span in label_turns:
                last.set("corresp", "#" + label_turns[piece.span])
            targets.setdefault((piece.span.start, piece.span.end), f"l{n}")
    if t.diagnostics:
        diagnostics = _el(stand_off, "listAnnotation", type="diagnostics")
        for d in t.diagnostics:
            note = _el(diagnostics, "note", d.message, type=d.severity.value, subtype=d.code)
            if d.line is not None:
                note.set("n", str(d.line))
            if d.span is not None:
                target = targets.get((d.span.start, d.span.end))
                if target is None:
                    raise ExportError(f"diagnostic {d.code} points at no piece of the source ({d.span})")
                note.set("target", "#" + target)


def _file_desc(header: etree._Element, t: Transcript) -> None:
    md = t.metadata
    file_desc = _el(header, "fileDesc")
    title_stmt = _el(file_desc, "titleStmt")
    if md.title is not None:
        _el(title_stmt, "title", md.title)
    else:
        _el(title_stmt, "title", "Untitled transcript", type="untitled")
    pub = _el(file_desc, "publicationStmt")
    if md.publisher is not None:
        _el(pub, "publisher", md.publisher)
    else:
        _el(pub, "authority", "transcript-model (publisher not identified in the source)")
    if md.published is not None:
        _el(pub, "date", iso(md.published), when=iso(md.published))
    if md.number is not None:
        _el(pub, "idno", md.number, type="number")
    if md.source_url is not None:
        _el(pub, "idno", md.source_url, type="URI")
    source_desc = _el(file_desc, "sourceDesc")
    bibl = _el(source_desc, "bibl")
    if md.title is not None:
        _el(bibl, "title", md.title)
    if md.publisher is not None:
        _el(bibl, "publisher", md.publisher)
    if md.published is not None:
        _el(bibl, "date", iso(md.published), when=iso(md.published))
    if md.source_url is not None:
        _el(bibl, "ref", md.source_url, target=md.source_url)
    if t.source_name is not None:
        _el(bibl, "idno", t.source_name, type="file")
    if not len(bibl):
        _el(bibl, "note", "Source not identified in the transcript.")


def _encoding_desc(header: etree._Element, t: Transcript) -> None:
    enc = _el(header, "encodingDesc")
    app_info = _el(enc, "appInfo")
    app = _el(app_info, "application", xml_id=TOOL_ID, ident=TOOL_ID, version=tool_version)
    _el(app, "label", "transcript-model")
    if t.profile is not None:
        _el(app, "desc", t.profile, type="profile")
    editorial = _el(enc, "editorialDecl")
    correction = _el(editorial, "correction", method="markup")
    counts: dict[str, int] = {}
    for r in t.repairs:
        counts[r.rule] = counts.get(r.rule, 0) + 1
    summary = ", ".join(f"{rule} ({n})" for rule, n in counts.items()) or "none"
    _el(
        correction,
        "p",
        "Scraping artifacts were repaired automatically by transcript-model. Dropped text is kept "
        "in surplus, changed text in choice/sic/corr; each carries resp pointing at the tool and "
        "ana pointing at the rule. Repairs applied: " + summary + ".",
    )
    class_decl = _el(enc, "classDecl")
    kinds = _el(class_decl, "taxonomy", xml_id="turn-kinds")
    for kind in TurnKind:
        cat = _el(kinds, "category", xml_id=kind_id(kind))
        _el(cat, "catDesc", kind.value)
    # the rules this document's repairs used (the full list is RULES, in the docs): a file
    # describes itself, and twelve categories restated in every file were an eighth of its
    # elements, paid for by every reader and validator
    used = [name for name in RULES if name in counts] + sorted(set(counts) - set(RULES))
    if used:
        rules = _el(class_decl, "taxonomy", xml_id="repair-rules")
        for name in used:
            cat = _el(rules, "category", xml_id=rule_id(name))
            _el(cat, "catDesc", name)


def _profile_desc(header: etree._Element, t: Transcript) -> None:
    md = t.metadata
    prof = _el(header, "profileDesc")
    if md.lead is not None:
        abstract = _el(prof, "abstract")
        for para in md.lead.split("\n\n"):
            _el(abstract, "p", para)
    if md.genre is not None:
        keywords = _el(_el(prof, "textClass"), "keywords")
        _el(keywords, "term", md.genre, type="genre")
    if md.language is not None:
        usage = _el(prof, "langUsage")
        _el(usage, "language", LANGUAGE_NAMES.get(md.language, md.language), ident=md.language)
    if t.participants or md.mentioned:
        partic = _el(prof, "particDesc")
        if t.participants:
            lst = _el(partic, "listPerson", type="participants")
            for p in t.participants:
                _person(lst, p)
        if md.mentioned:
            lst = _el(partic, "listPerson", type="mentioned")
            for p in md.mentioned:
                _person(lst, p)
    if md.place or md.event_date or md.occasion or md.event_start:
        setting = _el(_el(prof, "settingDesc"), "setting")
        if md.place is not None:
            _el(setting, "placeName", md.place)
        if md.event_date is not None:
            _el(setting, "date", iso(md.event_date), when=iso(md.event_date))
        if md.event_start is not None:
            _el(setting, "time", iso(md.event_start), when=iso(md.event_start))
        if md.occasion is not None:
            _el(setting, "activity", md.occasion)


def _person(parent: etree._Element, p: Person) -> None:
    person = _el(parent, "person", xml_id=p.id)
    if p.anonymous:
        person.set("role", "anonymous")
    if p.name is not None:
        _el(person, "persName", p.name)
    if p.role is not None or p.affiliation is not None:
        aff = _el(person, "affiliation")
        if p.role is not None:
            _el(aff, "roleName", p.role)
        if p.affiliation is not None:
            _el(aff, "orgName", p.affiliation)
    if not len(person):
        _el(person, "persName")


_INCIDENT_ELEMENTS = {"vocal": "vocal", "kinesic": "kinesic", "incident": "incident"}


def _fill_paragraph(seg: etree._Element, para: Paragraph, t: Transcript, ids: Ids) -> None:
    """Write a paragraph's text with its edits and stage directions marked in place."""
    pos = 0
    last: etree._Element | None = None

    def add_text(s: str) -> None:
        if not s:
            return
        if last is None:
            seg.text = (seg.text or "") + s
        else:
            last.tail = (last.tail or "") + s

    marks: list[tuple[int, int, int, Edit | Incident]] = [(e.start, e.end, k, e) for k, e in enumerate(para.edits)]
    marks += [(inc.start, inc.end, -1, inc) for inc in para.incidents]
    for start, end, k, mark in sorted(marks, key=lambda m: (m[0], m[1], isinstance(m[3], Incident), m[2])):
        add_text(para.text[pos:start])
        if isinstance(mark, Incident):
            if mark.kind == "note":
                last = _el(seg, "note", mark.text, type="stage")
            else:
                last = _el(seg, _INCIDENT_ELEMENTS.get(mark.kind, "incident"))
                _el(last, "desc", mark.text)
        else:
            repair = t.repairs[mark.repair]
            attrs = {"resp": "#" + TOOL_ID, "ana": "#" + rule_id(repair.rule), "n": str(mark.repair)}
            if not is_internal(mark, para):
                attrs["xml_id"] = ids.externals[(id(para), k)]
            if mark.start == mark.end:
                last = _el(seg, "surplus", mark.original, reason=repair.reason, **attrs)
            elif not mark.original:
                last = _el(seg, "supplied", para.text[mark.start : mark.end], reason=repair.reason, **attrs)
            else:
                last = _el(seg, "choice", **attrs)
                _el(last, "sic", mark.original)
                _el(last, "corr", para.text[mark.start : mark.end])
        pos = end
    add_text(para.text[pos:])
