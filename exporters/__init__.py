"""Exporters: a :class:`~transcript_model.Transcript` to TEI P5 XML and JSON-LD, and validation
of both against the schemas bundled with the package.

>>> import transcript_model, exporters
>>> t = transcript_model.parse("Question: Why?\\n\\nSergey Lavrov: Because.")
>>> exporters.validate_tei(exporters.to_tei(t)), exporters.validate_jsonld(exporters.to_jsonld(t))
([], [])
"""

from __future__ import annotations

from .jsonld import to_jsonld
from .jsonld_reader import JsonLdReadError, from_jsonld
from .resources import CONTEXT_IRI, DocumentLoaderError, SchemaNotFoundError, document_loader, schema_dir
from .tei import ExportError, to_tei
from .tei_reader import TeiReadError, from_tei
from .validation import Issue, IssueSeverity, validate_jsonld, validate_tei

__all__ = [
    "CONTEXT_IRI",
    "DocumentLoaderError",
    "ExportError",
    "Issue",
    "IssueSeverity",
    "JsonLdReadError",
    "SchemaNotFoundError",
    "TeiReadError",
    "document_loader",
    "from_jsonld",
    "from_tei",
    "schema_dir",
    "to_jsonld",
    "to_tei",
    "validate_jsonld",
    "validate_tei",
]
