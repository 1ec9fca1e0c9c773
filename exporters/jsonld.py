"""Transcript → JSON-LD (schema.org, with Web Annotation for repairs).

The document is a ``Report`` and a ``Conversation``; each turn is a ``Message`` (also a
``Question`` or an ``Answer`` where the turn kind says so) in the ordered ``hasPart``;
each repair is an ``oa:Annotation`` with motivation ``editing`` whose target selects the
original text in the source (``TextPositionSelector`` + ``TextQuoteSelector``) and whose
body selects the replacement in the message. ``@context`` is the pinned IRI of the bundled
context plus an explicit ``@base``, so every ``#fragment`` id is absolute once expanded.
"""

from __future__ import annotations

import hashlib
import itertools
from typing import Any, Final

from transcript_model import BlockKind, Paragraph, Person, Transcript, Turn, TurnKind
from transcript_model import __version__ as tool_version
from transcript_model.repairs import is_internal
from transcript_model.source import piece_rows

from .ids import Ids, turn_id
from .resources import CONTEXT_IRI, TOOL_ID
from .tei import BLOCK_KINDS, SEVERITIES, TURN_KINDS, iso

JsonObject = dict[str, Any]


def document_iri(t: Transcript) -> str:
    """The IRI the document's ``#fragment`` ids resolve against: the source URL when printed,
    else a content hash of the paragraphs (stable for the same input)."""
    if t.metadata.source_url:
        return t.metadata.source_url
    digest = hashlib.sha256()
    for turn in t.turns:
        for para in turn.paragraphs:
            digest.update(para.text.encode("utf-8", "surrogatepass"))
            digest.update(b"\x00")
    return "urn:sha256:" + digest.hexdigest()


def _person(p: Person) -> JsonObject:
    node: JsonObject = {"@id": "#" + p.id, "@type": "Person"}
    if p.name is not None:
        node["name"] = p.name
    if p.role is not None:
        node["jobTitle"] = p.role
    if p.affiliation is not None:
        node["affiliation"] = {"@type": "Organization", "name": p.affiliation}
    if p.anonymous:
        node["anonymous"] = True
    return node


_TYPES: Final = {TurnKind.QUESTION: "Question", TurnKind.ANSWER: "Answer"}


def to_jsonld(t: Transcript) -> JsonObject:
    """The transcript as a JSON-LD document (a plain ``dict``, deterministic)."""
    md = t.metadata
    doc: JsonObject = {
        "@context": [CONTEXT_IRI, {"@base": document_iri(t)}],
        "@id": "",
        "@type": ["Report", "Conversation"],
    }
    if md.title is not None:
        doc["name"] = md.title
    if md.lead is not None:
        doc["abstract"] = md.lead
    if md.number is not None:
        doc["reportNumber"] = md.number
    if md.published is not None:
        doc["datePublished"] = iso(md.published)
    if md.language is not None:
        doc["inLanguage"] = md.language
    if md.genre is not None:
        doc["genre"] = md.genre
    if md.publisher is not None:
        doc["publisher"] = {"@type": "GovernmentOrganization", "name": md.publisher}
    if md.place is not None:
        doc["locationCreated"] = {"@type": "Place", "name": md.place}
    if md.source_url is not None:
        doc["url"] = md.source_url
    source_node: JsonObject = {"@id": "#source-text", "@type": "MediaObject", "encodingFormat": "text/plain"}
    if md.source_url is not None:
        source_node["url"] = md.source_url
    doc["isBasedOn"] = source_node
    if md.occasion or md.event_date or md.event_start:
        event: JsonObject = {"@type": "Event"}
        if md.occasion is not None:
            event["name"] = md.occasion
        if md.event_start is not None:
            event["startDate"] = iso(md.event_start)
        elif md.event_date is not None:
            event["startDate"] = iso(md.event_date)
        if md.place is not None:
            event["location"] = {"@type": "Place", "name": md.place}
        doc["about"] = event
    if t.participants:
        doc["contributor"] = [_person(p) for p in t.participants]
    if md.mentioned:
        doc["mentions"] = [_person(p) for p in md.mentioned]
    if t.notes:
        doc["comment"] = [{"@type": "Comment", "kind": n.kind, "text": n.text} for n in t.notes]
    ids = Ids.of(t)
    doc["hasPart"] = [_message(i, turn, t, ids) for i, turn in enumerate(t.turns)]
    if t.repairs:
        starts = _paragraph_starts(t)
        doc["repairs"] = [_repair(i, t, starts) for i in range(len(t.repairs))]
    doc["layout"] = _layout(t, ids)
    if t.diagnostics:
        doc["diagnostics"] = _diagnostics(t, ids)
    if t.profile is not None:
        doc["profile"] = t.profile
    if t.source_name is not None:
        doc["sourceName"] = t.source_name
    return doc


def _layout(t: Transcript, ids: Ids) -> list[JsonObject]:
    """The source piece by piece: layout blocks with their text, paragraphs by id."""
    out: list[JsonObject] = []
    label_turns = {(s.start, s.end): turn_id(i) for i, turn in enumerate(t.turns) if (s := turn.label_span) is not None}
    n = 0
    for start, end, _, _, original, block, paragraph, edit in piece_rows(t):
        if paragraph is not None:
            out.append({"ref": "#" + ids.paragraphs[id(paragraph)]})
        elif edit is not None:
            out.append({"ref": "#" + ids.of_dropped(edit)})
        elif block is not None and block.kind is BlockKind.GAP:
            out.append({"kind": "gap", "text": original})
        elif block is not None:
            n += 1
            item: JsonObject = {"@id": f"#l{n}", "kind": BLOCK_KINDS[block.kind], "text": original}
            turn = label_turns.get((start, end))
            if turn is not None:
                item["turn"] = "#" + turn
            out.append(item)
    return out


def _diagnostics(t: Transcript, ids: Ids) -> list[JsonObject]:
    anchors: dict[tuple[int, int], str] = {}
    n = 0
    for start, end, _, _, _, block, paragraph, _ in piece_rows(t):
        if paragraph is not None:
            anchors[(start, end)] = ids.paragraphs[id(paragraph)]
        elif block is not None and block.kind is not BlockKind.GAP:
            n += 1
            anchors.setdefault((start, end), f"l{n}")
    out: list[JsonObject] = []
    for d in t.diagnostics:
        item: JsonObject = {"severity": SEVERITIES[d.severity], "code": d.code, "description": d.message}
        if d.line is not None:
            item["line"] = d.line
        if d.span is not None:
            item["anchor"] = "#" + anchors[(d.span.start, d.span.end)]
        out.append(item)
    return out


def _message(i: int, turn: Turn, t: Transcript, ids: Ids) -> JsonObject:
    types = ["Message"]
    if turn.kind in _TYPES:
        types.append(_TYPES[turn.kind])
    msg: JsonObject = {"@id": "#" + turn_id(i), "@type": types, "position": i + 1}
    if turn.speaker is not None:
        msg["author"] = "#" + turn.speaker
    if turn.label is not None:
        msg["label"] = turn.label
    if turn.kind is not None:
        msg["turnKind"] = TURN_KINDS[turn.kind]
    msg["text"] = turn.text
    msg["paragraphs"] = [_paragraph(p, t, ids) for p in turn.paragraphs]
    return msg


def _paragraph(para: Paragraph, t: Transcript, ids: Ids) -> JsonObject:
    out: JsonObject = {"@id": "#" + ids.paragraphs[id(para)], "text": para.text}
    if para.edits:
        edits = []
        for k, e in enumerate(para.edits):
            edit: JsonObject = {
                "start": e.start,
                "end": e.end,
                "original": e.original,
                "repair": e.repair,
                "rule": t.repairs[e.repair].rule,
            }
            if not is_internal(e, para):
                edit["@id"] = "#" + ids.external(para, k)
            edits.append(edit)
        out["edits"] = edits
    if para.incidents:
        out["incidents"] = [{"kind": i.kind, "start": i.start, "end": i.end, "text": i.text} for i in para.incidents]
    return out


def _paragraph_starts(t: Transcript) -> list[list[int]]:
    """For each turn, where each paragraph starts in ``Turn.text`` (paragraphs joined by
    blank lines)."""
    return [[0, *itertools.accumulate(len(p.text) + 2 for p in turn.paragraphs)] for turn in t.turns]


def _repair(i: int, t: Transcript, starts: list[list[int]]) -> JsonObject:
    r = t.repairs[i]
    start = starts[r.turn][r.paragraph] + r.start
    end = starts[r.turn][r.paragraph] + r.end
    return {
        "@id": f"#repair-{i + 1}",
        "@type": "Annotation",
        "motivation": "editing",
        "rule": r.rule,
        "description": r.reason,
        "creator": tool_node(),
        "target": {
            "@type": "SpecificResource",
            "source": "#source-text",
            "selector": [
                {"@type": "TextPositionSelector", "start": r.source.start, "end": r.source.end},
                {"@type": "TextQuoteSelector", "exact": r.original},
            ],
        },
        "body": {
            "@type": "SpecificResource",
            "source": "#" + turn_id(r.turn),
            "selector": [
                {"@type": "TextPositionSelector", "start": start, "end": end},
                {"@type": "TextQuoteSelector", "exact": r.replacement},
            ],
        },
    }


def tool_node() -> JsonObject:
    """The software that made the document (referenced by every repair's ``creator``)."""
    return {"@id": "#" + TOOL_ID, "@type": "SoftwareApplication", "name": TOOL_ID, "softwareVersion": tool_version}
