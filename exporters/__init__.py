"""Exporters: a :class:`~transcript_model.Transcript` to TEI P5 XML and JSON-LD, and validation
of both against the schemas bundled with the package.

>>> import transcript_model, exporters
>>> t = transcript_model.parse("Question: Why?\\n\\nSergey Lavrov: Because.")
>>> exporters.validate_tei(exporters.to_tei(t)), exporters.validate_jsonld(exporters.to_jsonld(t))
([], [])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from transcript_model.lazy import lazy_exports

from .resources import CONTEXT_IRI, DocumentLoaderError, SchemaNotFoundError, document_loader, schema_dir
from .validation import Issue, IssueSeverity, validate_jsonld, validate_tei

if TYPE_CHECKING:
    from .jsonld import to_jsonld
    from .jsonld_reader import JsonLdReadError, from_jsonld
    from .tei import ExportError, to_tei
    from .tei_reader import TeiReadError, from_tei

# The exporters and readers (and the parser they need) load on first use, so that
# ``transcript validate`` does not pay for them: 80 ms of its start-up.
_LAZY = {
    "to_jsonld": "jsonld",
    "JsonLdReadError": "jsonld_reader",
    "from_jsonld": "jsonld_reader",
    "ExportError": "tei",
    "to_tei": "tei",
    "TeiReadError": "tei_reader",
    "from_tei": "tei_reader",
}


__getattr__, __dir__ = lazy_exports(__name__, _LAZY, globals())

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
