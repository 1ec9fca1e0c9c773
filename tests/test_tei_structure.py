"""The C reading of our RELAX NG (``structure`` in exporters/_rules.c): it accepts every
document we write and nothing libxml2's RELAX NG validation rejects, so that validating
our own files need not wait for libxml2 (which then only checks and explains the rest)."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable

import pytest
from conftest import EXAMPLE, SHARED, WRITTEN
from hypothesis import event, given, settings
from hypothesis import strategies as st
from lxml import etree

import exporters
import transcript_model
from exporters import validation
from exporters.tei import TEI_NS
from exporters.validation import parse_xml, tei_relaxng

NATIVE_MISSING = "the C verdicts (exporters/_rules.c) are not built here: no C compiler when the package was installed"
XMLID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"tei": TEI_NS}
T = f"{{{TEI_NS}}}"

WRITTEN_HERE = [
    *WRITTEN,
    # a repair of each kind the rules make (surplus, choice), a stage direction, a diagnostic
    "Question: How did the talks go?\n\nSergey Lavrov: We will insist on honest\n\nwe will insist on "
    "honest talks with our part-\nners (Applause).\n\nQuestion: And ?\n\n???\n\nSergey Lavrov: No.",
]


@pytest.fixture(autouse=True)
def _native() -> None:
    if validation._native_structure is None:
        pytest.skip(NATIVE_MISSING)


def structure(tree: etree._ElementTree) -> int:
    assert validation._native_structure is not None
    return validation._native_structure(tree.getroot())


def relaxng_valid(tree: etree._ElementTree) -> bool:
    return tei_relaxng().validate(tree) == []


@functools.cache
def documents() -> list[bytes]:
    texts = [transcript_model.read(EXAMPLE), *(transcript_model.parse(t) for t in WRITTEN_HERE)]
    corpus = SHARED / "corpus"  # ../shared or $TRANSCRIPT_SHARED, as every test reads it
    for path in sorted(corpus.glob("*/*.txt")) if corpus.is_dir() else []:
        texts.append(transcript_model.read(path))
    return [exporters.to_tei(t) for t in texts]


def test_every_document_we_write_is_accepted() -> None:
    """The exports of the example, the written texts and (where present) the whole
    development corpus: none waits for libxml2."""
    docs = documents()
    refused = [d[:300] for d in docs if structure(parse_xml(d)) != 1]
    assert refused == []
    shapes = [b"<surplus", b"<choice", b"<listAnnotation", b"<kinesic", b"<authority"]
    if (SHARED / "corpus").is_dir():  # Russian ids, every part of the header, stage directions
        shapes += [
            "в-путин".encode(),
            b"<abstract",
            b"<time",
            b"<vocal",
            b"<incident",
            b'type="stage"',
            b'type="description"',
            b'type="mentioned"',
            b"<orgName",
            b'type="untitled"',
        ]
    assert [s for s in shapes if not any(s in d for d in docs)] == []


def test_a_supplied_text_is_accepted() -> None:
    """No rule supplies text yet, but the exporter writes supplied for such an edit: a
    surplus made one (no xml:id) is valid, and accepted."""
    doc = next(d for d in documents() if b"<surplus" in d)

    def supplied(e: etree._Element) -> None:
        e.tag = T + "supplied"
        e.attrib.pop(XMLID, None)

    tree = _with(parse_xml(doc), "//tei:surplus", supplied)
    assert relaxng_valid(tree)
    assert structure(tree) == 1


def test_it_never_says_invalid() -> None:
    """It accepts or leaves the document to libxml2 (-1), which explains what fails."""
    tree = parse_xml(documents()[0])
    tree.getroot().find(f"{T}teiHeader").append(etree.Element(f"{T}junk"))
    assert structure(tree) == -1
    assert not relaxng_valid(tree)
    issues = exporters.validate_tei(tree)
    assert issues and all(i.rule == "relaxng" for i in issues) and "junk" in issues[0].message


def test_what_it_leaves_to_libxml2_is_validated_as_before() -> None:
    """A valid document in a form it does not read (a comment, an id outside ASCII and
    Russian letters) goes to libxml2, and is valid."""
    data = documents()[0]
    assert b'xml:id="questioner"' in data and b'who="#questioner"' in data
    person = "frågeställare"  # a letter outside ASCII and Russian: an NCName all the same
    data = data.replace(b'xml:id="questioner"', f'xml:id="{person}"'.encode()).replace(
        b'who="#questioner"', f'who="#{person}"'.encode()
    )
    data = data.replace(b"<teiHeader>", b"<teiHeader><!-- checked by hand -->", 1)
    tree = parse_xml(data)
    assert structure(tree) == -1
    assert relaxng_valid(tree)
    assert exporters.validate_tei(tree) == exporters.validate_tei(documents()[0]) == []


def _with(tree: etree._ElementTree, path: str, edit: Callable[[etree._Element], object]) -> etree._ElementTree:
    changed = copy.deepcopy(tree)
    found = changed.getroot().xpath(path, namespaces=NS)
    assert found, path
    edit(found[0])
    return changed


# values put where the schema wants a datatype; each entry: (value, in a form we write)
DATES = [
    "2023-03-14",
    "2024-02-29",
    "2023-02-29",
    "1900-02-29",
    "2000-02-29",
    "2023-04-31",
    "2023-13-01",
    "2023-00-10",
    "0000-01-01",
    "0001-01-01",
    "99999-01-01",
    "2023-3-14",
    "2023-03-14Z",
    "2023-03-14+03:00",
    "2023-03-14T16:05:00",
    "2023-03-14T16:05:00+03:00",
    "2023-03-14T16:05:00Z",
    "2023-03-14T24:00:00",
    "2023-03-14T23:60:00",
    "2023-03-14T16:05:60",
    "2023-03-14T16:05:00+14:00",
    "2023-03-14T16:05:00-13:59",
    "2023-03-14T16:05:00+14:01",
    "2023-03-14T16:05:00.5",
    "2023-03-14T16:05",
    "2023-03-14 16:05:00",
    " 2023-03-14",
    "2023-03-14T16:05:00+3:00",
    "2023-03-14T16:05:00+03",
    "",
    "yesterday",
    "-2023-03-14",
]
IDS = ["u1", "_x", "x.y-z_1", "1x", ".x", "-x", "x y", " x", "", "в-путин", "Ёлка", "x:y", "é", "ѐ", "x\u00a0", "u1é"]
URIS = [
    "https://example.org/transcripts/0",
    "http://a.b:8080/x?y=1&z=%20#f",
    "http://a/#x#y",
    "http://a:/x",
    "http://a:123456/",
    "https://a b",
    "ftp://a/",
    "https://",
    "https://a/%zz",
    "https://a/ü",
    "relative/path",
    "http://user@a/",
    "https://a/[x]",
    "https://a/x'y",
    "",
    "https://a/<x>",
]
VERSIONS = ["0.1.0", "1", "1.2.3.4", "1.2.3.4.5", "1a", "1a2.3b4", "1.", ".1", "a1", "1.0 ", "1..2", "1.2-rc1", ""]
LANGUAGES = ["en", "ru", "eng", "e", "english", "en-GB", "EN", "e1", "", " en"]
NUMBERS = ["0", "1", "007", "123456789", "1234567890", "-1", "+3", "1.0", "", " 1", "x"]
TEXTS = ["", " ", "\n\t", "\u00a0", "x", " x "]


def _values_agree(
    tree: etree._ElementTree, path: str, set_value: Callable[[etree._Element, str], object], values: list[str]
) -> None:
    for value in values:
        changed = _with(tree, path, lambda e, v=value: set_value(e, v))  # type: ignore[misc]
        verdict = structure(changed)
        valid = relaxng_valid(changed)
        assert verdict in (1, -1)
        assert not (verdict == 1 and not valid), (path, value)


def _set_attr(name: str) -> Callable[[etree._Element, str], object]:
    return lambda e, v: e.set(name, v)


def _set_text(e: etree._Element, v: str) -> None:
    e.text = v


@pytest.mark.parametrize(
    ("path", "setter", "values"),
    [
        ("//tei:publicationStmt/tei:date", _set_attr("when"), DATES),
        ("//tei:setting/tei:date", _set_attr("when"), DATES),
        ("//tei:body//tei:u[1]", _set_attr(XMLID), IDS),
        ("//tei:person[1]", _set_attr(XMLID), IDS),
        ("//tei:application", _set_attr("ident"), IDS),
        ("//tei:application/tei:desc", _set_text, IDS),
        ("//tei:application", _set_attr("version"), VERSIONS),
        ("//tei:publicationStmt/tei:idno[@type='URI']", _set_text, URIS),
        ("//tei:sourceDesc//tei:ref", _set_attr("target"), URIS),
        ("/tei:TEI", _set_attr("{http://www.w3.org/XML/1998/namespace}lang"), LANGUAGES),
        ("//tei:language", _set_attr("ident"), LANGUAGES),
        ("//tei:surplus[1]", _set_attr("n"), NUMBERS),
        ("//tei:listAnnotation/tei:note[1]", _set_attr("n"), NUMBERS),
        ("//tei:listAnnotation/tei:note[1]", _set_attr("subtype"), IDS),
        ("//tei:titleStmt/tei:title", _set_text, TEXTS),
        ("//tei:body/tei:div/tei:note[1]", _set_text, TEXTS),
        ("//tei:catDesc[1]", _set_text, TEXTS),
        ("//tei:surplus[1]", _set_attr("reason"), TEXTS),
        ("//tei:person/tei:persName[1]", _set_text, TEXTS),
        ("//tei:choice[1]/tei:sic", _set_text, TEXTS),
    ],
)
def test_values_it_accepts_are_valid(
    path: str, setter: Callable[[etree._Element, str], object], values: list[str]
) -> None:
    """Each datatype's values, in the forms we write and others: whatever it accepts,
    RELAX NG accepts; and it accepts the forms we write (checked against the value lists
    by hand: the dates of the Gregorian calendar without zones or with offsets under 14 h,
    ASCII and Russian NCNames, http(s) URIs of RFC 3986, two- or three-letter languages)."""
    docs = [d for d in documents() if parse_xml(d).getroot().xpath(path, namespaces=NS)]
    assert docs, path
    _values_agree(parse_xml(docs[0]), path, setter, values)


ACCEPTED = {
    "when": {
        "2023-03-14",
        "2024-02-29",
        "2000-02-29",
        "0001-01-01",
        "2023-03-14T16:05:00",
        "2023-03-14T16:05:00+03:00",
        "2023-03-14T16:05:00Z",
        "2023-03-14T16:05:00-13:59",
    },
    "id": {"u1", "_x", "x.y-z_1", "в-путин", "Ёлка"},
    "uri": {"https://example.org/transcripts/0", "http://a.b:8080/x?y=1&z=%20#f", "https://a/x'y"},  # ' a sub-delim
    "version": {"0.1.0", "1", "1.2.3.4", "1a", "1a2.3b4"},
    "language": {"en", "ru", "eng", "EN"},
}


@pytest.mark.parametrize(
    ("kind", "path", "setter", "values"),
    [
        ("when", "//tei:publicationStmt/tei:date", _set_attr("when"), DATES),
        ("id", "//tei:body//tei:u[1]", _set_attr(XMLID), IDS),
        ("uri", "//tei:sourceDesc//tei:ref", _set_attr("target"), URIS),
        ("version", "//tei:application", _set_attr("version"), VERSIONS),
        ("language", "//tei:language", _set_attr("ident"), LANGUAGES),
    ],
)
def test_which_values_it_accepts(
    kind: str, path: str, setter: Callable[[etree._Element, str], object], values: list[str]
) -> None:
    """The values it accepts, listed by hand: the rest go to libxml2."""
    tree = parse_xml(documents()[0])
    accepted = {v for v in values if structure(_with(tree, path, lambda e, v=v: setter(e, v))) == 1}  # type: ignore[misc]
    assert accepted == ACCEPTED[kind]


def _elements(root: etree._Element) -> list[etree._Element]:
    return [e for e in root.iter() if isinstance(e.tag, str)]


NAMES = sorted(
    {
        "TEI",
        "teiHeader",
        "fileDesc",
        "titleStmt",
        "title",
        "publicationStmt",
        "publisher",
        "authority",
        "date",
        "idno",
        "sourceDesc",
        "bibl",
        "ref",
        "note",
        "encodingDesc",
        "appInfo",
        "application",
        "label",
        "desc",
        "editorialDecl",
        "correction",
        "p",
        "classDecl",
        "taxonomy",
        "category",
        "catDesc",
        "profileDesc",
        "abstract",
        "textClass",
        "keywords",
        "term",
        "langUsage",
        "language",
        "particDesc",
        "listPerson",
        "person",
        "persName",
        "affiliation",
        "roleName",
        "orgName",
        "settingDesc",
        "setting",
        "placeName",
        "time",
        "activity",
        "text",
        "body",
        "div",
        "u",
        "seg",
        "surplus",
        "supplied",
        "choice",
        "sic",
        "corr",
        "vocal",
        "kinesic",
        "incident",
        "standOff",
        "ptr",
        "listAnnotation",
        "junk",
    }
)
ATTRIBUTES = ["type", "n", "who", "ana", "resp", "reason", "target", "corresp", "when", "ident", "role", XMLID, "x"]
VALUES = [
    "",
    " ",
    "x",
    "u1",
    "#u1",
    "1",
    "0",
    "en",
    "speaker",
    "description",
    "stage",
    "transcript",
    "untitled",
    "number",
    "URI",
    "file",
    "participants",
    "mentioned",
    "anonymous",
    "genre",
    "profile",
    "warning",
    "2023-03-14",
    "https://example.org/",
]


@settings(max_examples=600, deadline=None)
@given(data=st.data())
def test_random_edits_it_accepts_are_valid(data: st.DataObject) -> None:
    """Random edits of the structure (elements removed, duplicated, moved, renamed,
    wrapped; attributes added, removed, changed; text put in or taken out; comments):
    whatever it still accepts, RELAX NG accepts."""
    docs = documents()
    tree = parse_xml(docs[data.draw(st.integers(0, len(docs) - 1), label="document")])
    root = tree.getroot()
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        elements = _elements(root)
        el = data.draw(st.sampled_from(elements[1:]), label="element")
        parent = el.getparent()
        kind = data.draw(
            st.sampled_from(
                [
                    "remove",
                    "duplicate",
                    "move",
                    "rename",
                    "attribute",
                    "drop-attribute",
                    "text",
                    "tail",
                    "comment",
                    "child",
                ]
            ),
            label="kind",
        )
        if kind == "remove":
            parent.remove(el)
        elif kind == "duplicate":
            el.addnext(copy.deepcopy(el))
        elif kind == "move":
            target = data.draw(st.sampled_from([e for e in elements if el not in e.iterancestors() and e is not el]))
            target.insert(data.draw(st.integers(0, len(target)), label="position"), el)
        elif kind == "rename":
            el.tag = T + data.draw(st.sampled_from(NAMES), label="name")
        elif kind == "attribute":
            el.set(
                data.draw(st.sampled_from(ATTRIBUTES), label="attr"), data.draw(st.sampled_from(VALUES), label="value")
            )
        elif kind == "drop-attribute":
            if el.attrib:
                del el.attrib[data.draw(st.sampled_from(sorted(el.attrib)), label="attr")]
        elif kind == "text":
            el.text = data.draw(st.sampled_from(["", " ", "x", "\n  "]), label="text")
        elif kind == "tail":
            el.tail = data.draw(st.sampled_from(["", " ", "x", "\n  "]), label="tail")
        elif kind == "comment":
            el.addnext(etree.Comment("x"))
        else:
            etree.SubElement(el, T + data.draw(st.sampled_from(NAMES), label="child name"))
    for tree_form in (tree, parse_xml(etree.tostring(tree))):  # as edited, and as read from its bytes
        verdict = structure(tree_form)
        valid = relaxng_valid(tree_form)
        event(f"accepted: {verdict == 1}, valid: {valid}")
        assert verdict in (1, -1)
        assert not (verdict == 1 and not valid), etree.tostring(tree_form)[:400]
