"""Validation of TEI and JSON-LD documents against the bundled schemas.

Errors are data: each problem is an :class:`Issue` with a severity, a message, where it is
(line and column for XML, a JSON path for JSON) and which rule failed. Validators are
built once per process and reused (``functools.cache``).

XML is parsed safely: no DTD loading, no entity expansion, no network, and any document
type declaration is rejected.
"""

from __future__ import annotations

import enum
import functools
import os
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree

from .resources import CONTEXT_IRI, JSONLD_SCHEMA, TEI_RNG, TEI_SCH, context_document, jsonld_schema, schema_path


class IssueSeverity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    """One validation problem.

    ``line``/``column`` are 1-based where known (XML); ``path`` is an XPath-like location for
    XML or a JSON path (``$.hasPart[1].text``) for JSON; ``rule`` names what failed
    (``xml``, ``relaxng``, a Schematron assertion id, a JSON Schema keyword, ``context``).
    """

    severity: IssueSeverity
    message: str
    rule: str
    line: int | None = None
    column: int | None = None
    path: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity is IssueSeverity.ERROR

    def format(self, name: str = "-") -> str:
        """``name:line:col: severity: message [rule]``, the form compilers and editors read."""
        where = name
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column else "")
        elif self.path:
            where += f":{self.path}"
        return f"{where}: {self.severity.value}: {self.message} [{self.rule}]"


def errors(issues: Iterable[Issue]) -> list[Issue]:
    """Only the issues that make a document invalid."""
    return [i for i in issues if i.is_error]


# ----------------------------------------------------------------------------- XML


def safe_parser(*, collect_ids: bool = True) -> etree.XMLParser:
    """An XML parser that loads no DTD, expands no entity and never touches the network.

    ``collect_ids=False`` keeps no table of ``xml:id`` values (a fifth of the time a
    reference-sized TEI file takes to parse); our Schematron checks that ids are unique.
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        collect_ids=collect_ids,
    )


_PARSERS = threading.local()


class _XPaths:
    """This thread's compiled XPath expressions (lxml's are not to be shared between threads)."""

    def __init__(self) -> None:
        self.unchanged_choice = etree.XPath(
            "boolean(/tei:TEI/tei:text/tei:body/tei:div/tei:u/tei:seg/tei:choice[string(tei:sic) = string(tei:corr)])",
            namespaces={"tei": _TN[1:-1]},
        )
        # the layout's pointers as strings, with no element objects made for them (ptr is
        # allowed only there)
        self.layout_targets = etree.XPath(
            "/tei:TEI/tei:standOff/tei:seg/tei:ptr/@target", namespaces={"tei": _TN[1:-1]}, smart_strings=False
        )


def _xpaths() -> _XPaths:
    found: _XPaths | None = getattr(_PARSERS, "xpaths", None)
    if found is None:
        found = _PARSERS.xpaths = _XPaths()
    return found


def _document_parser() -> etree.XMLParser:
    """This thread's parser for documents (lxml parsers must not be shared between threads;
    building one per document cost 7 µs)."""
    parser: etree.XMLParser | None = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = safe_parser(collect_ids=False)
    return parser


class XmlInputError(ValueError):
    """The bytes are not a well-formed, safe XML document; ``issue`` says where and why."""

    def __init__(self, issue: Issue) -> None:
        self.issue = issue
        super().__init__(issue.message)


def parse_xml(data: bytes | str) -> etree._ElementTree:
    """Parse XML safely; raise :class:`XmlInputError` with line and column on failure."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    try:
        root = etree.fromstring(data, _document_parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        msg = exc.msg or str(exc)
        raise XmlInputError(Issue(IssueSeverity.ERROR, f"not well-formed XML: {msg}", "xml", line, column)) from None
    tree = root.getroottree()
    if tree.docinfo.doctype:
        raise XmlInputError(
            Issue(
                IssueSeverity.ERROR,
                "document type declarations are not accepted (no DTDs or entities): remove the DOCTYPE",
                "xml",
                1,
                1,
            )
        )
    return tree


def _log_issues(log: Any, rule: str) -> Iterator[Issue]:
    for entry in log:
        yield Issue(IssueSeverity.ERROR, entry.message, rule, entry.line or None, entry.column or None, entry.path)


class RelaxNGValidator:
    """A compiled RELAX NG schema (build once: ``tei_all`` takes seconds to compile)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._schema = etree.RelaxNG(etree.parse(os.fspath(path), safe_parser()))

    def validate(self, tree: etree._ElementTree) -> list[Issue]:
        if self._schema.validate(tree):
            return []
        return list(_log_issues(self._schema.error_log, "relaxng"))


_LOCATION_STEP = re.compile(r"\*\[local-name\(\)='([^']+)'(?: and namespace-uri\(\)='[^']*')?\](\[\d+\])?")


def _short_location(location: str) -> str:
    """``/*[local-name()='TEI' and ...]/*[local-name()='u' ...][2]`` → ``/TEI/u[2]``."""
    return _LOCATION_STEP.sub(lambda m: m.group(1) + (m.group(2) or ""), location)


class SchematronValidator:
    """A compiled ISO Schematron schema (XSLT 1.0 binding), reporting failed assertions."""

    _SVRL = "{http://purl.oclc.org/dsdl/svrl}"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        from lxml.isoschematron import Schematron  # noqa: PLC0415 - only to explain failures, or for --sch

        self._schema = Schematron(etree.parse(os.fspath(path), safe_parser()), store_report=True)

    def validate(self, tree: etree._ElementTree) -> list[Issue]:
        self._schema.validate(tree)
        report = self._schema.validation_report
        issues: list[Issue] = []
        if report is None:
            return issues
        for node in report.iter(self._SVRL + "failed-assert", self._SVRL + "successful-report"):
            text = " ".join("".join(node.itertext()).split())
            location = node.get("location", "")
            line = None
            try:
                found = tree.xpath(location) if location else []
            except etree.XPathError:
                found = []
            if isinstance(found, list) and found and isinstance(found[0], etree._Element):
                line = found[0].sourceline
            severity = IssueSeverity.WARNING if node.get("role") in ("warning", "info") else IssueSeverity.ERROR
            issues.append(
                Issue(severity, text, node.get("id") or "schematron", line, None, _short_location(location) or None)
            )
        return issues


@functools.cache
def tei_relaxng() -> RelaxNGValidator:
    """Our bundled RELAX NG schema, compiled once per process."""
    return RelaxNGValidator(schema_path(TEI_RNG))


@functools.cache
def tei_schematron() -> SchematronValidator:
    """Our bundled Schematron rules, compiled once per process."""
    return SchematronValidator(schema_path(TEI_SCH))


def prepare_validators(*, tei: bool = True, jsonld: bool = False) -> None:
    """Build our validators now rather than on first use: a corpus run calls this before
    forking its workers, so that they share what was built instead of each building it."""
    if tei:
        tei_relaxng()
    if jsonld:
        _fast_json_check()
        _context_terms()


@functools.cache
def relaxng(path: str) -> RelaxNGValidator:
    """Any RELAX NG schema by path, compiled once per process (e.g. ``tei_all.rng``)."""
    return RelaxNGValidator(path)


def validate_tei(data: bytes | str | etree._ElementTree, *, extra: Iterable[RelaxNGValidator] = ()) -> list[Issue]:
    """Check a TEI document against our RELAX NG and Schematron (and any ``extra`` schemas).

    Schematron runs only on documents that pass RELAX NG, since its rules assume the
    structure RELAX NG guarantees. Returns every problem found; an empty list means valid.
    Bytes that our own reading accepts (:func:`read_and_accepted`) are valid without a
    libxml2 tree being built.
    """
    if isinstance(data, etree._ElementTree):
        tree = data
    else:
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not extra and read_and_accepted(data):
            return []
        try:
            tree = parse_xml(data)
        except XmlInputError as exc:
            return [exc.issue]
    issues = [] if structure_accepted(tree) else tei_relaxng().validate(tree)
    for validator in extra:
        issues.extend(validator.validate(tree))
    if not issues and not rules_hold(tree):
        issues.extend(tei_schematron().validate(tree))
    return issues


_TN = "{http://www.tei-c.org/ns/1.0}"
_ID = "{http://www.w3.org/XML/1998/namespace}id"
_XML_SPACE = " \t\r\n"
"""What XPath's normalize-space() removes (not Python's wider str.strip())."""
_DIGITS = str.maketrans("", "", "0123456789")
_APPLICATION, _TAXONOMY, _LIST_PERSON, _DATE = (_TN + n for n in ("application", "taxonomy", "listPerson", "date"))
_U, _SEG, _SURPLUS, _CHOICE, _SUPPLIED = (_TN + n for n in ("u", "seg", "surplus", "choice", "supplied"))
_PTR, _NOTE = _TN + "ptr", _TN + "note"
_CATEGORY, _PERSON, _SETTING = _TN + "category", _TN + "person", _TN + "setting"


def _refs(values: Iterable[str | None]) -> set[str | None]:
    """The pointers given, as a set (built in C), without the absent ones."""
    found = set(values)
    found.discard(None)
    return found


def _hashed(ids: Iterable[str | None]) -> set[str | None]:
    """What a pointer to each id says (``#`` and the id): pointers are compared as given,
    so one that lacks the ``#`` or has more resolves to nothing."""
    return {"#" + i for i in ids if i is not None}


def _child(parent: etree._Element, name: str) -> etree._Element | None:
    return next(parent.iterchildren(_TN + name), None)


def _load_native_rules() -> Callable[[etree._Element], int] | None:
    """The C verdict (``exporters/_rules.c``), or ``None`` where it was not built (no C
    compiler when the package was installed): the Python verdict then decides alone."""
    try:
        from ._rules import check  # noqa: PLC0415 - optional, built at install time
    except ImportError:
        return None
    return check


def _load_native_structure() -> Callable[[etree._Element], int] | None:
    """The C reading of our RELAX NG (``exporters/_rules.c``), or ``None`` where it was not
    built: libxml2 then validates every document."""
    try:
        from ._rules import structure  # noqa: PLC0415 - optional, built at install time
    except ImportError:
        return None
    return structure


def _load_native_accept() -> Callable[[bytes], int] | None:
    """Our own reading of a TEI file's bytes (``exporters/_read_tei.h``), with the C
    verdicts run on the tree it builds; ``None`` where it was not built."""
    try:
        from ._rules import accept  # noqa: PLC0415 - optional, built at install time
    except ImportError:
        return None
    return accept


_native_rules = _load_native_rules()
_native_structure = _load_native_structure()
_native_accept = _load_native_accept()


def read_and_accepted(data: bytes) -> bool:
    """Whether our own reading of the bytes finds a document that libxml2 reads without
    error, that the C reading of our RELAX NG accepts, and on which every assertion of our
    Schematron holds (the C verdict): a valid document, for which no libxml2 tree need be
    built.

    The reading (``exporters/_read_tei.h``) knows only the forms of XML we write (our XML
    declaration, UTF-8, the TEI namespace as the default one, the five predefined entities,
    no comments, CDATA sections, DOCTYPE or character references...) and builds the tree
    libxml2 builds from them, in a block reused from file to file: a reference-sized file
    takes about a third of the instructions of libxml2's reading and the checks (0.39 M
    against 1.21 M). Anything else, and any document it does not find valid, says False:
    libxml2 then reads the bytes, and the validators say what is wrong. The tests compare
    the two trees on every document we write and on random edits of their bytes, and the
    issues :func:`validate_tei` reports with and without this reading.
    """
    return _native_accept is not None and _native_accept(data) == 1


def structure_accepted(tree: etree._ElementTree) -> bool:
    """Whether the C reading of our RELAX NG accepts the document, so that libxml2 need not
    validate it.

    It accepts the shapes the schema allows, in the forms we write (ids in ASCII and Russian
    letters, dates without zones or with offsets, http(s) URIs...), and says nothing of
    anything else: libxml2 validates those and explains what fails. It takes a tenth of
    libxml2's time on a reference-sized file (8 against 77 µs in one run of
    ``benchmarks/validate_steps.py``): libxml2 looks each datatype up by name and compiles
    each pattern facet at every value, and leaves its caches colder for the rest of the
    pipeline. It must accept nothing our RELAX NG rejects (tested on the exports of every
    test document and on random edits of them).
    """
    return _native_structure is not None and _native_structure(tree.getroot()) == 1


def rules_hold(tree: etree._ElementTree) -> bool:
    """Whether every assertion of our Schematron holds (warnings included), checked natively.

    The Schematron stays the contract and explains any failure: this is its fast verdict on
    documents that pass (the usual case). It runs only on documents that passed our RELAX
    NG (as the Schematron does). The C verdict decides where it is built (15 µs for a
    reference-sized file, against 85 µs for the Python one and 1.5 ms for the XSLT); the
    Python verdict decides where it is not, and where the C one cannot (an attribute or a
    text made of entity references, which only lxml reads). Both must give the
    Schematron's verdict on every document (tested on mutated exports of every test
    document, as parsed and as built).
    """
    if _native_rules is not None:
        verdict = _native_rules(tree.getroot())
        if verdict >= 0:
            return verdict == 1
    return _rules_hold_python(tree)


def _div_in_order(text: etree._Element) -> bool:
    """The div-order rules: each speaker note is followed by a u, each description note is
    preceded by description notes only (RELAX NG allows note and u alone in the div)."""
    div = text.find(f"{_TN}body/{_TN}div")
    if div is None:
        return True
    after_turn = False  # a u or a speaker note came before
    speaker_waits = False  # the element before was a speaker note
    for child in div.iterchildren("*"):
        if speaker_waits and child.tag != _U:
            return False
        kind = child.get("type") if child.tag == _NOTE else None
        if kind == "description" and after_turn:
            return False
        speaker_waits = kind == "speaker"
        after_turn = after_turn or kind != "description"
    return not speaker_waits


def _rules_hold_python(tree: etree._ElementTree) -> bool:
    """The Python verdict of :func:`rules_hold`. It looks only where RELAX NG allows each
    element: one walk per kind of element, which lxml does in C, so that no element's tag
    is read in Python; references are compared as sets of ids."""
    root = tree.getroot()
    header, text, stand_off = _child(root, "teiHeader"), _child(root, "text"), _child(root, "standOff")
    if header is None or text is None or stand_off is None:
        return False
    # header: the application, the taxonomies and their categories, the people, the dates
    applications = [a.get(_ID) for a in header.iter(_APPLICATION)]
    resp = next(("#" + i for i in applications if i is not None), "#")
    ids = applications
    taxonomy: dict[str | None, list[str | None]] = {}
    for tax in header.iter(_TAXONOMY):
        cats = [c.get(_ID) for c in tax.iterchildren(_CATEGORY)]
        name = tax.get(_ID)
        taxonomy.setdefault(name, []).extend(cats)
        ids.append(name)
        ids += cats
    participants: set[str | None] = set()
    for persons in header.iter(_LIST_PERSON):
        found = [p.get(_ID) for p in persons.iterchildren(_PERSON)]
        ids += found
        if persons.get("type") == "participants":
            participants.update(found)
    for date in header.iter(_DATE):
        when = date.get("when")
        parent = date.getparent()
        if parent is not None and parent.tag == _SETTING:
            if when is None or len(when) != 10 or when.translate(_DIGITS) != "--":
                return False  # event-date-is-day
        elif when is not None and len(when) > 10:
            if not (when.endswith("Z") or "+" in when[19:] or "-" in when[19:]):
                return False  # datetime-has-zone (a warning)
            if "".join(date.itertext()) != when:
                return False  # date-text-matches
    # body: the order of the div's children, turns, paragraphs, edits
    if not _div_in_order(text):
        return False  # speaker-note-before-u, description-notes-first
    turns = list(text.iter(_U))
    who = [u.get("who") for u in turns]
    kinds = [u.get("ana") for u in turns]
    turn_ids = [u.get(_ID) for u in turns]
    segs = list(text.iter(_SEG))
    paragraphs = [s.get(_ID) for s in segs]
    for seg in segs:
        first = seg.text
        if first and first[0] not in _XML_SPACE:
            continue  # the usual paragraph: text from its first character
        if (
            not (first and first.strip(_XML_SPACE))
            and seg.find(_SURPLUS) is None
            and not "".join(seg.itertext()).strip(_XML_SPACE)
        ):
            return False  # seg-has-text
    edits = list(text.iter(_SURPLUS, _CHOICE, _SUPPLIED))
    if any(edit.get("resp") != resp for edit in edits):
        return False  # resp-resolves
    rules = [edit.get("ana") for edit in edits]
    surplus = [edit.get(_ID) for edit in edits if edit.tag == _SURPLUS]
    if edits and _xpaths().unchanged_choice(root):
        return False  # choice-changes (string values, as XPath takes them: comments split text)
    ids += turn_ids
    # standOff: the layout's pieces, pointers and labels, the diagnostics' targets
    layout = _refs(_xpaths().layout_targets(root))
    pieces = list(stand_off.iter(_SEG))
    labels = [s.get("corresp") for s in pieces]
    piece_ids = [s.get(_ID) for s in pieces]
    diagnostics = [n.get("target") for n in stand_off.iter(_NOTE)]
    ids += paragraphs
    ids += surplus
    ids += piece_ids
    ids = [i for i in ids if i is not None]
    if len(set(ids)) != len(ids):
        return False  # unique-id
    in_body = _hashed(paragraphs)
    pointable = in_body | _hashed(surplus) | _hashed(piece_ids)
    return (
        _refs(who) == _hashed(participants)  # who-resolves, and participant-speaks (a warning: still not "holds")
        and _refs(kinds) <= _hashed(taxonomy.get("turn-kinds", ()))  # kind-resolves
        and _refs(rules) <= _hashed(taxonomy.get("repair-rules", ()))  # rule-resolves
        and layout <= pointable  # layout-resolves
        and in_body <= layout  # paragraph-in-layout
        and _refs(labels) <= _hashed(turn_ids)  # label-resolves
        and _refs(diagnostics) <= pointable  # diagnostic-resolves
    )


# ---------------------------------------------------------------------------- JSON


if TYPE_CHECKING:
    import jsonschema


@functools.cache
def _json_validator() -> jsonschema.protocols.Validator:
    """Python jsonschema, for its messages. Imported on first need: its "iri" format checker
    takes most of a second to import, more than validating a whole corpus with jsonschema-rs."""
    import jsonschema  # noqa: PLC0415 - deferred on purpose, see the docstring

    schema = jsonld_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator: jsonschema.protocols.Validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    return validator


@functools.cache
def _fast_json_check() -> Callable[[Any], bool] | None:
    """jsonschema-rs's verdict (hundreds of times faster than jsonschema on large documents);
    jsonschema then explains a failure. ``None`` where jsonschema-rs is not installed."""
    try:
        import jsonschema_rs  # noqa: PLC0415 - 11 ms of start-up that validating TEI does not need
    except ImportError:  # pragma: no cover - a platform without its wheels
        return None
    checker = jsonschema_rs.Draft202012Validator(jsonld_schema(), validate_formats=True)
    is_valid: Callable[[Any], bool] = checker.is_valid
    return is_valid


@functools.cache
def _context_terms() -> frozenset[str]:
    ctx = context_document()["@context"]
    return frozenset(k for k in ctx if not k.startswith("@"))


def json_path(parts: Iterable[str | int]) -> str:
    """``["hasPart", 1, "text"]`` → ``$.hasPart[1].text``."""
    out = "$"
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        elif p.isidentifier():
            out += f".{p}"
        else:
            out += "[" + repr(p) + "]"
    return out


def _terms_defined(doc: Any) -> bool:
    """Fast verdict of :func:`_undefined_terms`: every key is a defined term, a keyword or a
    compact IRI. Walks plain dicts and lists without building paths; ``False`` for any
    other mapping, so that the thorough walk decides."""
    terms = _context_terms()
    stack = [doc]
    while stack:
        value = stack.pop()
        if type(value) is dict:
            for key, item in value.items():
                if key == "@context":
                    continue
                if key not in terms and not key.startswith("@") and ":" not in key:
                    return False
                if not isinstance(item, str):
                    stack.append(item)
        elif type(value) is list:
            stack.extend(value)
        elif isinstance(value, Mapping):
            return False
    return True


def _undefined_terms(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[Issue]:
    """Every key that is neither a term of the bundled context, a keyword nor a compact
    IRI, with its JSON path."""
    terms = _context_terms()
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "@context":
                continue
            if not key.startswith("@") and key not in terms and ":" not in key:
                yield Issue(
                    IssueSeverity.ERROR,
                    f"term {key!r} is not defined in the bundled context and would be dropped by JSON-LD expansion",
                    "context",
                    path=json_path((*path, key)),
                )
            yield from _undefined_terms(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _undefined_terms(item, (*path, i))


def validate_jsonld(doc: Any) -> list[Issue]:
    """Check a JSON-LD document against our JSON Schema and the bundled context.

    The context check refuses any ``@context`` other than the pinned bundled one (a remote
    context is reported, never fetched) and any term the context does not define.
    """
    issues: list[Issue] = []
    if isinstance(doc, Mapping):
        ctx = doc.get("@context")
        first = ctx[0] if isinstance(ctx, list) and ctx else ctx
        if first != CONTEXT_IRI:
            issues.append(
                Issue(
                    IssueSeverity.ERROR,
                    f"@context must start with the bundled context {CONTEXT_IRI!r}, found {first!r}: "
                    "remote contexts are never fetched",
                    "context",
                    path="$['@context']",
                )
            )
    fast = _fast_json_check()
    schema_valid = fast is not None and fast(doc)
    schema_errors = [] if schema_valid else _json_validator().iter_errors(doc)
    for error in sorted(schema_errors, key=lambda e: list(map(str, e.absolute_path))):
        issues.append(
            Issue(
                IssueSeverity.ERROR,
                error.message,
                f"json-schema:{error.validator}",
                path=json_path(error.absolute_path),
            )
        )
    # Our JSON Schema admits no property but the context's terms, keywords and compact IRIs
    # (every object in it forbids others: tests/test_jsonld.py checks the schema for that),
    # so a document it accepts uses defined terms only: the walk is for the others.
    if not schema_valid and not _terms_defined(doc):
        issues.extend(_undefined_terms(doc))
    return issues


__all__ = [
    "JSONLD_SCHEMA",
    "Issue",
    "IssueSeverity",
    "RelaxNGValidator",
    "SchematronValidator",
    "XmlInputError",
    "errors",
    "parse_xml",
    "prepare_validators",
    "relaxng",
    "safe_parser",
    "validate_jsonld",
    "validate_tei",
]
