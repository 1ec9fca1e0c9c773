"""TEI written by :func:`exporters.to_tei` → the :class:`~transcript_model.Transcript` it encodes.

The reader takes everything from the TEI alone: metadata from the header, persons from
``particDesc``, turns and paragraphs (repaired text, edits, stage directions) from the
body, and the source text from the layout in ``standOff``; spans and repairs follow from
these (see :mod:`transcript_model.assemble`). XML is parsed safely.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from transcript_model import BlockKind, Incident, Metadata, Person, Severity, Transcript, TurnKind
from transcript_model.assemble import (
    AssemblyError,
    DiagnosticRecord,
    EditRecord,
    ParagraphRecord,
    PieceRecord,
    TurnRecord,
    assemble,
)

from .tei import TEI_NS, XML_NS
from .validation import parse_xml

_T = f"{{{TEI_NS}}}"
_ID = f"{{{XML_NS}}}id"
_LANG = f"{{{XML_NS}}}lang"
NS = {"t": TEI_NS}


class TeiReadError(ValueError):
    """The document is not TEI written by transcript-model (or is damaged)."""


def _text(el: etree._Element | None) -> str | None:
    return None if el is None else (el.text or "")


def _find(root: etree._Element, path: str) -> etree._Element | None:
    return root.find(path, NS)


def _when(value: str | None) -> dt.datetime | dt.date | None:
    if not value:
        return None
    return dt.date.fromisoformat(value) if len(value) == 10 else dt.datetime.fromisoformat(value)


def _person(el: etree._Element) -> Person:
    return Person(
        el.get(_ID) or "",
        _text(_find(el, "t:persName")) or None,
        _text(_find(el, "t:affiliation/t:roleName")),
        _text(_find(el, "t:affiliation/t:orgName")),
        el.get("role") == "anonymous",
    )


def _persons(root: etree._Element, kind: str) -> list[Person]:
    return [_person(p) for p in root.iterfind(f".//t:particDesc/t:listPerson[@type='{kind}']/t:person", NS)]


def _metadata(root: etree._Element) -> Metadata:
    header = _find(root, "t:teiHeader")
    if header is None:
        raise TeiReadError("no teiHeader")
    pub = _find(header, "t:fileDesc/t:publicationStmt")
    setting = _find(header, "t:profileDesc/t:settingDesc/t:setting")
    lead = [p.text or "" for p in header.iterfind("t:profileDesc/t:abstract/t:p", NS)]
    event_start = _when(_attr(setting, "t:time", "when"))
    return Metadata(
        title=_title(header),
        lead="\n\n".join(lead) if lead else None,
        published=_when(_attr(pub, "t:date", "when")),
        number=_text(_find(pub, "t:idno[@type='number']")) if pub is not None else None,
        genre=_text(_find(header, "t:profileDesc/t:textClass/t:keywords/t:term[@type='genre']")),
        occasion=_text(_find(setting, "t:activity")) if setting is not None else None,
        place=_text(_find(setting, "t:placeName")) if setting is not None else None,
        event_date=_date(_when(_attr(setting, "t:date", "when"))),
        event_start=event_start if isinstance(event_start, dt.datetime) else None,
        language=root.get(_LANG),
        publisher=_text(_find(pub, "t:publisher")) if pub is not None else None,
        source_url=_text(_find(pub, "t:idno[@type='URI']")) if pub is not None else None,
        mentioned=tuple(_persons(root, "mentioned")),
    )


def _title(header: etree._Element) -> str | None:
    title = _find(header, "t:fileDesc/t:titleStmt/t:title")
    return None if title is None or title.get("type") == "untitled" else title.text or ""


def _date(value: dt.datetime | dt.date | None) -> dt.date | None:
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None


def _attr(parent: etree._Element | None, path: str, name: str) -> str | None:
    if parent is None:
        return None
    el = parent.find(path, NS)
    return el.get(name) if el is not None else None


def _rule(el: etree._Element) -> str:
    return (el.get("ana") or "#rule.unknown").removeprefix("#rule.")


_INCIDENTS = {_T + "vocal": "vocal", _T + "kinesic": "kinesic", _T + "incident": "incident"}


def _paragraph(seg: etree._Element) -> ParagraphRecord:
    record = ParagraphRecord(seg.get(_ID) or "", "")
    parts: list[str] = [seg.text or ""]
    pos = len(parts[0])
    for child in seg:
        tag = child.tag
        if tag == _T + "choice":
            corr = _text(_find(child, "t:corr")) or ""
            record.edits.append(
                EditRecord(
                    pos, pos + len(corr), _text(_find(child, "t:sic")) or "", int(child.get("n", "0")), _rule(child)
                )
            )
            parts.append(corr)
            pos += len(corr)
        elif tag == _T + "surplus":
            record.edits.append(
                EditRecord(pos, pos, child.text or "", int(child.get("n", "0")), _rule(child), child.get(_ID))
            )
        elif tag == _T + "supplied":
            text = child.text or ""
            record.edits.append(EditRecord(pos, pos + len(text), "", int(child.get("n", "0")), _rule(child)))
            parts.append(text)
            pos += len(text)
        elif tag in _INCIDENTS or (tag == _T + "note" and child.get("type") == "stage"):
            text = (child.text or "") if tag == _T + "note" else (_text(_find(child, "t:desc")) or "")
            record.incidents.append(Incident(_INCIDENTS.get(tag, "note"), pos, pos + len(text), text))
            parts.append(text)
            pos += len(text)
        else:
            raise TeiReadError(f"unexpected element {tag!s} in a paragraph (line {child.sourceline})")
        parts.append(child.tail or "")
        pos += len(child.tail or "")
    record.text = "".join(parts)
    return record


def _turns(root: etree._Element) -> tuple[list[TurnRecord], list[str]]:
    div = _find(root, "t:text/t:body/t:div")
    if div is None:
        raise TeiReadError("no text/body/div")
    turns: list[TurnRecord] = []
    notes: list[str] = []
    label: str | None = None
    for el in div:
        if el.tag == _T + "note" and el.get("type") == "speaker":
            label = el.text or ""
        elif el.tag == _T + "note":
            notes.append(el.get("type") or "description")
        elif el.tag == _T + "u":
            who = el.get("who")
            ana = el.get("ana")
            kind = TurnKind(ana.removeprefix("#kind.")) if ana else None
            paragraphs = [_paragraph(seg) for seg in el.iterfind("t:seg", NS)]
            turns.append(TurnRecord(el.get(_ID) or "", who[1:] if who else None, label, kind, paragraphs))
            label = None
    return turns, notes


def _layout(root: etree._Element) -> list[PieceRecord]:
    seg = _find(root, "t:standOff/t:seg[@type='source-layout']")
    if seg is None:
        raise TeiReadError("no source layout in standOff: the document was not written by transcript-model")
    pieces: list[PieceRecord] = []

    def gap(text: str | None) -> None:
        if text:
            pieces.append(PieceRecord(BlockKind.GAP, text))

    gap(seg.text)
    for child in seg:
        if child.tag == _T + "ptr":
            pieces.append(PieceRecord(ref=(child.get("target") or "#")[1:]))
        else:
            corresp = child.get("corresp")
            pieces.append(
                PieceRecord(
                    BlockKind(child.get("type")),
                    child.text or "",
                    turn=corresp[1:] if corresp else None,
                    id=child.get(_ID),
                )
            )
        gap(child.tail)
    return pieces


def _diagnostics(root: etree._Element) -> list[DiagnosticRecord]:
    out = []
    for note in root.iterfind("t:standOff/t:listAnnotation[@type='diagnostics']/t:note", NS):
        line = note.get("n")
        target = note.get("target")
        out.append(
            DiagnosticRecord(
                Severity(note.get("type")),
                note.get("subtype") or "",
                note.text or "",
                int(line) if line else None,
                target[1:] if target else None,
            )
        )
    return out


def from_tei(data: bytes | str | etree._ElementTree) -> Transcript:
    """Read back a TEI document written by :func:`exporters.to_tei`.

    ``from_tei(to_tei(t)) == t`` for every transcript. Raises :class:`TeiReadError` for
    XML that is not such a document.
    """
    tree = data if isinstance(data, etree._ElementTree) else parse_xml(data)
    root = tree.getroot()
    if root.tag != _T + "TEI":
        raise TeiReadError(f"root element is {root.tag!s}, expected TEI")
    # the parser keeps no id table (see validation.parse_xml): pointers would resolve to
    # whichever of two elements came last
    seen: set[str] = set()
    for ident in root.xpath("//@xml:id", smart_strings=False):
        if ident in seen:
            raise TeiReadError(f'xml:id "{ident}" is used more than once: ids must be unique')
        seen.add(ident)
    try:
        turns, notes = _turns(root)
        source_name = _text(_find(root, "t:teiHeader/t:fileDesc/t:sourceDesc/t:bibl/t:idno[@type='file']"))
        return assemble(
            metadata=_metadata(root),
            participants=_persons(root, "participants"),
            turns=turns,
            layout=_layout(root),
            notes=notes,
            diagnostics=_diagnostics(root),
            profile=_text(_find(root, "t:teiHeader/t:encodingDesc/t:appInfo/t:application/t:desc[@type='profile']")),
            source_name=source_name,
        )
    except (AssemblyError, ValueError, KeyError) as exc:
        raise TeiReadError(f"cannot read the transcript from this TEI: {exc}") from None
