"""JSON-LD export: closed shape, offline expansion with nothing dropped, determinism."""

from __future__ import annotations

import json
from collections import Counter, UserDict
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE
from pyld import jsonld

import exporters
import transcript_model
from exporters.resources import CONTEXT_IRI, context_document
from exporters.validation import _fast_json_check, _json_validator, _terms_defined, _undefined_terms


def expand(doc: dict[str, Any]) -> list[Any]:
    return jsonld.expand(doc, {"documentLoader": exporters.document_loader})  # type: ignore[no-any-return]


def term_iri(term: str) -> str:
    """The IRI a term of the bundled context stands for (prefixes expanded)."""
    ctx = context_document()["@context"]
    definition = ctx.get(term, term)
    iri = definition["@id"] if isinstance(definition, dict) else definition
    prefix, _, rest = iri.partition(":")
    return ctx[prefix] + rest if prefix in ctx and isinstance(ctx[prefix], str) else iri


def value_counts(value: Any, *, expanded: bool, out: Counter[str] | None = None) -> Counter[str]:
    """How many values each property has across the whole document (list items counted)."""
    out = Counter() if out is None else out
    if isinstance(value, dict):
        for k, v in value.items():
            if k.startswith("@"):
                if k in ("@list", "@graph") or (expanded and k == "@value"):
                    value_counts(v, expanded=expanded, out=out)
                continue
            items = v if isinstance(v, list) else [v]
            if expanded and len(items) == 1 and isinstance(items[0], dict) and "@list" in items[0]:
                items = items[0]["@list"]
            out[k if expanded else term_iri(k)] += len(items)
            for item in items:
                value_counts(item, expanded=expanded, out=out)
    elif isinstance(value, list):
        for v in value:
            value_counts(v, expanded=expanded, out=out)
    return out


def properties(value: Any) -> set[str]:
    """Every property key used anywhere in a compact document."""
    if isinstance(value, dict):
        keys = {k for k in value if not k.startswith("@")}
        return keys.union(*(properties(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(properties(v) for v in value))
    return set()


@pytest.fixture(scope="module", params=["reference", "example"])
def doc(request: pytest.FixtureRequest) -> dict[str, Any]:
    path = request.getfixturevalue("seed_path") if request.param == "reference" else EXAMPLE
    return exporters.to_jsonld(transcript_model.read(path))


def test_valid_against_the_bundled_schema(doc: dict[str, Any]) -> None:
    assert exporters.validate_jsonld(doc) == []


def test_expands_offline_without_dropping_anything(doc: dict[str, Any]) -> None:
    expanded = expand(doc)
    assert len(expanded) == 1
    assert properties(doc) <= set(context_document()["@context"])
    assert value_counts(expanded, expanded=True) == value_counts(doc, expanded=False)


def test_a_dropped_term_would_be_noticed(doc: dict[str, Any]) -> None:
    bad = {**doc, "hasPart": [{**doc["hasPart"][0], "sentiment": "calm"}, *doc["hasPart"][1:]]}
    assert value_counts(expand(bad), expanded=True) != value_counts(bad, expanded=False)


def test_ids_are_absolute_after_expansion(doc: dict[str, Any]) -> None:
    expanded = expand(doc)

    def ids(v: Any) -> list[str]:
        if isinstance(v, dict):
            found = [v["@id"]] if isinstance(v.get("@id"), str) else []
            return found + [i for x in v.values() for i in ids(x)]
        if isinstance(v, list):
            return [i for x in v for i in ids(x)]
        return []

    assert all(":" in i for i in ids(expanded))


def test_reference_content(seed_path: Path) -> None:
    doc = exporters.to_jsonld(transcript_model.read(seed_path))
    assert doc["@type"] == ["Report", "Conversation"]
    assert doc["reportNumber"] == "132-01-02-2022"
    assert doc["datePublished"] == "2022-02-01T19:46:00+03:00"
    assert doc["publisher"] == {
        "@type": "GovernmentOrganization",
        "name": "Ministry of Foreign Affairs of the Russian Federation",
    }
    assert doc["about"]["startDate"] == "2022-02-01"
    assert [m["@type"] for m in doc["hasPart"]] == [["Message", "Question"], ["Message", "Answer"]]
    assert [m["author"] for m in doc["hasPart"]] == ["#questioner", "#sergey-lavrov"]
    (repair,) = doc["repairs"]
    assert repair["rule"] == "duplicated-broken-sentence"
    target, body = repair["target"]["selector"], repair["body"]["selector"]
    assert target[1]["exact"].startswith("We are also concerned over the position of other NATO countries for\n\nw")
    text = doc["hasPart"][1]["text"]
    assert text[body[0]["start"] : body[0]["end"]] == body[1]["exact"] == "W"
    source = transcript_model.read_text(seed_path)
    assert source[target[0]["start"] : target[0]["end"]] == target[1]["exact"]


def test_deterministic(seed_path: Path) -> None:
    a = json.dumps(exporters.to_jsonld(transcript_model.read(seed_path)))
    b = json.dumps(exporters.to_jsonld(transcript_model.read(seed_path)))
    assert a == b


def test_loader_serves_only_bundled_contexts() -> None:
    assert exporters.document_loader(CONTEXT_IRI)["document"] == context_document()
    with pytest.raises(exporters.DocumentLoaderError, match="refusing to load"):
        exporters.document_loader("https://schema.org/")
    with pytest.raises(jsonld.JsonLdError):
        expand({"@context": "https://schema.org/", "name": "x"})


def test_unknown_keys_and_remote_contexts_are_reported(seed_path: Path) -> None:
    doc = exporters.to_jsonld(transcript_model.read(seed_path))
    doc["hasPart"][0]["sentiment"] = "calm"
    doc["@context"] = ["https://example.org/ctx.jsonld", doc["@context"][1]]
    issues = exporters.validate_jsonld(doc)
    paths = {(i.rule, i.path) for i in issues}
    assert ("context", "$['@context']") in paths
    assert ("context", "$.hasPart[0].sentiment") in paths
    assert ("json-schema:additionalProperties", "$.hasPart[0]") in paths


def test_formats_are_checked(seed_path: Path) -> None:
    doc = exporters.to_jsonld(transcript_model.read(seed_path))
    doc["datePublished"] = "yesterday"
    doc["url"] = "not a uri"
    paths = {i.path for i in exporters.validate_jsonld(doc)}
    assert {"$.datePublished", "$.url"} <= paths


def _mutations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for key in list(doc):
        d = json.loads(json.dumps(doc))
        del d[key]
        out.append(d)
        d = json.loads(json.dumps(doc))
        d[key] = 12345
        out.append(d)
    for change in ({"datePublished": "yesterday"}, {"url": "not a uri"}, {"extra": 1}, {"inLanguage": "English"}):
        d = json.loads(json.dumps(doc))
        d.update(change)
        out.append(d)
    d = json.loads(json.dumps(doc))
    d["hasPart"][0]["position"] = 0
    out.append(d)
    d = json.loads(json.dumps(doc))
    d["@context"][1]["@base"] = "not an iri"
    out.append(d)
    return out


def test_compiled_and_python_json_schema_give_the_same_verdicts(doc: dict[str, Any]) -> None:
    """jsonschema-rs decides, jsonschema explains: they must agree on every document."""
    fast = _fast_json_check()
    if fast is None:
        pytest.skip("jsonschema-rs is not installed")
    for candidate in [doc, *_mutations(doc)]:
        assert fast(candidate) == _json_validator().is_valid(candidate)


def test_fast_term_verdict_agrees_with_the_thorough_walk(seed_path: Path) -> None:
    """The path-free scan used for valid documents gives the thorough walk's verdict, with
    the unknown key at every depth (top level, inside a list item, inside a nested object)
    and inside a mapping that is not a plain dict."""
    doc = exporters.to_jsonld(transcript_model.read(seed_path))
    variants: list[Any] = [doc]
    for where in ("top", "part", "nested"):
        d = json.loads(json.dumps(doc))
        target = {"top": d, "part": d["hasPart"][0], "nested": d["hasPart"][0]["paragraphs"][0]}[where]
        target["sentiment"] = "calm"
        variants.append(d)
    d = json.loads(json.dumps(doc))
    d["hasPart"][0] = UserDict({**d["hasPart"][0], "sentiment": "calm"})
    variants.append(d)
    d = json.loads(json.dumps(doc))
    d["ex:sentiment"] = "calm"  # a compact IRI is allowed
    variants.append(d)
    verdicts = [(_terms_defined(v), not list(_undefined_terms(v))) for v in variants]
    assert verdicts == [(True, True), (False, False), (False, False), (False, False), (False, False), (True, True)]


def _schema_positions(node: Any, path: str) -> list[tuple[str, Any]]:
    """Every subschema of ``node`` that a value of the document is checked against directly
    (properties, items...), with its JSON pointer; combinator branches belong to their
    parent, which they only narrow."""
    found = [(path, node)]
    if not isinstance(node, dict):
        return found
    for name, sub in node.get("properties", {}).items():
        found += _schema_positions(sub, f"{path}/properties/{name}")
    for key in ("items", "additionalProperties", "contains", "unevaluatedItems"):
        if isinstance(node.get(key), dict):
            found += _schema_positions(node[key], f"{path}/{key}")
    for key in ("anyOf", "oneOf", "allOf"):  # a branch narrows its parent: only what it holds
        for i, sub in enumerate(node.get(key, [])):
            found += _schema_positions(sub, f"{path}/{key}/{i}")[1:]
    for i, sub in enumerate(node.get("prefixItems", [])):
        found += _schema_positions(sub, f"{path}/prefixItems/{i}")
    for name, sub in node.get("$defs", {}).items():
        found += _schema_positions(sub, f"{path}/$defs/{name}")
    return found


def test_the_schema_admits_defined_terms_only() -> None:
    """validate_jsonld skips the term walk for documents the JSON Schema accepts: sound only
    while every object the schema admits forbids other properties and every property it
    names is a term of the bundled context, a keyword or a compact IRI."""
    schema = json.loads(Path(exporters.schema_dir(), "transcript-jsonld.schema.json").read_text(encoding="utf-8"))
    terms = {k for k in context_document()["@context"] if not k.startswith("@")}
    for path, node in _schema_positions(schema, "#"):
        if "/properties/@context" in path:
            continue  # the context itself is checked apart, and never walked
        assert isinstance(node, dict) and node, f"{path} admits anything"
        types = node.get("type", [])
        types = types if isinstance(types, list) else [types]
        assert types or any(k in node for k in ("$ref", "const", "enum", "anyOf", "oneOf", "allOf")), path
        if "object" in types or "properties" in node:
            assert node.get("additionalProperties") is False, f"{path} admits other properties"
        assert "patternProperties" not in node, path
        for name in node.get("properties", {}):
            assert name in terms or name.startswith("@") or ":" in name, f"{path}: {name!r} is not a term"


def test_a_document_the_schema_accepts_is_not_walked(doc: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    from exporters import validation  # noqa: PLC0415

    if _fast_json_check() is None:
        pytest.skip("jsonschema-rs is not installed")

    def walked(value: Any) -> bool:
        raise AssertionError("the term walk ran on a document the schema accepts")

    monkeypatch.setattr(validation, "_terms_defined", walked)
    assert exporters.validate_jsonld(doc) == []
