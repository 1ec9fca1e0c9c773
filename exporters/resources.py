"""Where the bundled schemas and the JSON-LD context live, and the offline document loader.

In an installed wheel the files of the repository's ``schemas/`` folder are packaged as
``exporters/schemas/``; in a source checkout they are read from ``schemas/`` beside the
package. Nothing here touches the network.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

CONTEXT_IRI = "urn:transcript-model:context:v1"
"""The pinned IRI of our JSON-LD context; :func:`document_loader` serves it from the package."""

VOCAB_IRI = "urn:transcript-model:vocab:"
TOOL_ID = "transcript-model"

TEI_RNG = "transcript-tei.rng"
TEI_SCH = "transcript-tei.sch"
JSONLD_SCHEMA = "transcript-jsonld.schema.json"
JSONLD_CONTEXT = "transcript-context.jsonld"


class SchemaNotFoundError(FileNotFoundError):
    """A bundled schema file is missing: the installation is broken."""


@functools.cache
def schema_dir() -> Path:
    """The folder holding the bundled schemas."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "schemas", here.parent / "schemas"):
        if (candidate / TEI_RNG).is_file():
            return candidate
    raise SchemaNotFoundError(
        f"bundled schemas not found in {here / 'schemas'} or {here.parent / 'schemas'}: reinstall transcript-model"
    )


def schema_path(name: str) -> Path:
    """The path of one bundled schema file."""
    path = schema_dir() / name
    if not path.is_file():
        raise SchemaNotFoundError(f"bundled schema {name} missing from {schema_dir()}")
    return path


@functools.cache
def _json_resource(name: str) -> Any:
    with open(schema_path(name), encoding="utf-8") as fh:
        return json.load(fh)


def context_document() -> dict[str, Any]:
    """The bundled JSON-LD context document (``{"@context": {...}}``)."""
    doc = _json_resource(JSONLD_CONTEXT)
    assert isinstance(doc, dict)
    return doc


def jsonld_schema() -> dict[str, Any]:
    """The bundled JSON Schema for our JSON-LD output."""
    doc = _json_resource(JSONLD_SCHEMA)
    assert isinstance(doc, dict)
    return doc


BUNDLED_CONTEXTS: dict[str, str] = {CONTEXT_IRI: JSONLD_CONTEXT}


class DocumentLoaderError(LookupError):
    """A JSON-LD document was requested that is not bundled; nothing is fetched."""


def document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A pyld-compatible document loader that serves only bundled contexts.

    Use it as ``pyld.jsonld.expand(doc, {"documentLoader": document_loader})``. Any other
    URL raises instead of going to the network.
    """
    name = BUNDLED_CONTEXTS.get(url)
    if name is None:
        raise DocumentLoaderError(
            f"refusing to load {url!r}: only bundled contexts ({', '.join(BUNDLED_CONTEXTS)}) are served offline"
        )
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": _json_resource(name),
    }
