"""JSON-LD written by :func:`exporters.to_jsonld` → the :class:`~transcript_model.Transcript` it encodes.

Reads the compact document as written (with our pinned context); metadata from the
schema.org properties, turns and paragraphs from ``hasPart``, the source from ``layout``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

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

from .resources import CONTEXT_IRI


class JsonLdReadError(ValueError):
    """The document is not JSON-LD written by transcript-model (or is damaged)."""


def _when(value: str | None) -> dt.datetime | dt.date | None:
    if not value:
        return None
    return dt.date.fromisoformat(value) if len(value) == 10 else dt.datetime.fromisoformat(value)


def _frag(value: str | None) -> str | None:
    return value[1:] if value and value.startswith("#") else value


def _person(node: Mapping[str, Any]) -> Person:
    affiliation = node.get("affiliation")
    return Person(
        _frag(node["@id"]) or "",
        node.get("name"),
        node.get("jobTitle"),
        affiliation.get("name") if isinstance(affiliation, Mapping) else None,
        bool(node.get("anonymous", False)),
    )


def _metadata(doc: Mapping[str, Any]) -> Metadata:
    about = doc.get("about") or {}
    start = _when(about.get("startDate"))
    place = doc.get("locationCreated") or {}
    publisher = doc.get("publisher") or {}
    return Metadata(
        title=doc.get("name"),
        lead=doc.get("abstract"),
        published=_when(doc.get("datePublished")),
        number=doc.get("reportNumber"),
        genre=doc.get("genre"),
        occasion=about.get("name"),
        place=place.get("name"),
        # a start time is on the event's day (the parser builds it from that day)
        event_date=start.date() if isinstance(start, dt.datetime) else start,
        event_start=start if isinstance(start, dt.datetime) else None,
        language=doc.get("inLanguage"),
        publisher=publisher.get("name"),
        source_url=doc.get("url"),
        mentioned=tuple(_person(p) for p in doc.get("mentions", [])),
    )


def _paragraph(node: Mapping[str, Any]) -> ParagraphRecord:
    record = ParagraphRecord(_frag(node["@id"]) or "", node["text"])
    for e in node.get("edits", []):
        record.edits.append(
            EditRecord(e["start"], e["end"], e["original"], e["repair"], e["rule"], _frag(e.get("@id")))
        )
    for i in node.get("incidents", []):
        record.incidents.append(Incident(i["kind"], i["start"], i["end"], i["text"]))
    return record


def _turn(node: Mapping[str, Any]) -> TurnRecord:
    kind = node.get("turnKind")
    return TurnRecord(
        _frag(node["@id"]) or "",
        _frag(node.get("author")),
        node.get("label"),
        TurnKind(kind) if kind else None,
        [_paragraph(p) for p in node.get("paragraphs", [])],
    )


def _piece(node: Mapping[str, Any]) -> PieceRecord:
    if "ref" in node:
        return PieceRecord(ref=_frag(node["ref"]))
    return PieceRecord(BlockKind(node["kind"]), node["text"], turn=_frag(node.get("turn")), id=_frag(node.get("@id")))


def from_jsonld(doc: Mapping[str, Any]) -> Transcript:
    """Read back a JSON-LD document written by :func:`exporters.to_jsonld`.

    ``from_jsonld(to_jsonld(t)) == t`` for every transcript. Raises
    :class:`JsonLdReadError` for documents that are not ours.
    """
    context = doc.get("@context") if isinstance(doc, Mapping) else None
    if not isinstance(context, list) or not context or context[0] != CONTEXT_IRI:
        raise JsonLdReadError(f"not a transcript-model document: @context must start with {CONTEXT_IRI!r}")
    try:
        return assemble(
            metadata=_metadata(doc),
            participants=[_person(p) for p in doc.get("contributor", [])],
            turns=[_turn(m) for m in doc.get("hasPart", [])],
            layout=[_piece(p) for p in doc.get("layout", [])],
            notes=[c.get("kind", "description") for c in doc.get("comment", [])],
            diagnostics=[
                DiagnosticRecord(
                    Severity(d["severity"]), d["code"], d["description"], d.get("line"), _frag(d.get("anchor"))
                )
                for d in doc.get("diagnostics", [])
            ],
            profile=doc.get("profile"),
            source_name=doc.get("sourceName"),
        )
    except (AssemblyError, KeyError, TypeError, ValueError) as exc:
        raise JsonLdReadError(f"cannot read the transcript from this JSON-LD: {exc}") from None
