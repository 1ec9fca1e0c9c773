"""Our own reading of the bytes of our TEI files (``read`` and ``accept`` in
exporters/_rules.c, the reading in exporters/_read_tei.h): the tree it builds is the one
libxml2 builds, it reads nothing libxml2 rejects, and ``validate_tei`` reports the same
issues with it as without it. Whatever it cannot read goes to libxml2 as before."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st
from lxml import etree
from test_tei_structure import documents

import exporters
import transcript_model
from exporters import corpus, validation
from exporters.validation import Issue, XmlInputError, parse_xml, tei_relaxng, tei_schematron, validate_tei

NATIVE_MISSING = "our reading (exporters/_read_tei.h) is not built here: no C compiler when the package was installed"


@pytest.fixture(autouse=True)
def _native() -> None:
    if validation._native_accept is None:
        pytest.skip(NATIVE_MISSING)


def read(data: bytes) -> object:
    from exporters import _rules  # noqa: PLC0415 - built only where a C compiler was

    return _rules.read(data)


def accept(data: bytes) -> int:
    assert validation._native_accept is not None
    return validation._native_accept(data)


def _name(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return None, tag


def libxml2_tree(element: etree._Element) -> tuple[object, ...]:
    """The tree lxml reads, in the form ``read`` gives: (namespace, name, attributes,
    children), texts as str."""
    attrs = tuple((*_name(str(k)), v) for k, v in element.attrib.items())
    kids: list[object] = [element.text] if element.text else []
    for child in element:
        assert isinstance(child.tag, str), "a comment or processing instruction: not ours to read"
        kids.append(libxml2_tree(child))
        if child.tail:
            kids.append(child.tail)
    return (*_name(str(element.tag)), attrs, tuple(kids))


def issues_without_reading(data: bytes) -> list[Issue]:
    saved = validation._native_accept
    validation._native_accept = None
    try:
        return validate_tei(data)
    finally:
        validation._native_accept = saved


def test_it_reads_every_document_we_write_as_libxml2_does() -> None:
    """The exports of the example, the written texts and (where present) the whole
    development corpus: the same tree, and those with nothing to report valid without
    libxml2."""
    docs = documents()
    assert [d[:200] for d in docs if read(d) != libxml2_tree(parse_xml(d).getroot())] == []
    # valid without libxml2, unless there is something to report (a warning among them)
    assert [d[:200] for d in docs if (accept(d) == 1) != (issues_without_reading(d) == [])] == []
    assert sum(accept(d) == 1 for d in docs) >= len(docs) - 2
    assert any("в-путин".encode() in d or b"&amp;" in d for d in docs)  # non-ASCII or an entity among them


def test_it_reads_single_quotes_blanks_and_entities_as_libxml2_does() -> None:
    data = documents()[0]
    edited = (
        data.replace(b'xml:lang="en"', b"xml:lang = 'en' ", 1)
        .replace(b"<teiHeader>", b"<teiHeader >", 1)
        .replace(b"</teiHeader>", b"</teiHeader\n>", 1)
        .replace(b"<p>", b"<p>&lt;&gt;&amp;&quot;&apos;", 1)
    )
    assert edited != data
    tree = read(edited)
    assert tree is not None
    assert tree == libxml2_tree(parse_xml(edited).getroot())
    assert accept(edited) == 1


def test_a_long_document_then_a_short_one() -> None:
    """A tree of thousands of nodes takes many of the reading's blocks, given back after it:
    read as libxml2 reads it, and the next document too."""
    turns = "".join(
        f"Question: What was said at meeting {i}? We ask & we wait.\n\nSergey Lavrov: We said {i} things.\n\n"
        for i in range(600)
    )
    long_doc = exporters.to_tei(transcript_model.parse("Press conference\n\n" + turns))
    assert long_doc.count(b"<u ") == 1200
    for data in (long_doc, documents()[0], long_doc):
        assert read(data) == libxml2_tree(parse_xml(data).getroot())
        assert (accept(data) == 1) == (issues_without_reading(data) == [])
    assert accept(documents()[0]) == 1


# Edits of a document we write that our reading leaves to libxml2: (what, edit, valid)
LEFT_TO_LIBXML2 = [
    ("a character reference", lambda d: d.replace(b"<p>", b"<p>&#65;", 1), True),
    ("a comment", lambda d: d.replace(b"<teiHeader>", b"<teiHeader><!-- x -->", 1), True),
    ("a CDATA section", lambda d: d.replace(b"<p>", b"<p><![CDATA[x]]>", 1), True),
    ("a processing instruction", lambda d: d.replace(b"<p>", b"<p><?x y?>", 1), True),
    ("a byte order mark", lambda d: b"\xef\xbb\xbf" + d, True),
    ("carriage returns", lambda d: d.replace(b"\n", b"\r\n"), True),
    ("another XML declaration", lambda d: d.replace(b'"1.0" encoding="UTF-8"', b"'1.0' encoding='UTF-8'", 1), True),
    ("no XML declaration", lambda d: d[d.index(b"<TEI") :], True),
    (
        "a prefix declared",
        lambda d: d.replace(b"<TEI ", b'<TEI xmlns:t="http://www.tei-c.org/ns/1.0" ', 1),
        True,
    ),
    ("a tab in an attribute", lambda d: d.replace(b'xml:lang="en"', b'xml:lang="e\tn"', 1), False),
    ("a duplicate attribute", lambda d: d.replace(b'xml:lang="en"', b'xml:lang="en" xml:lang="en"', 1), False),
    ("an undeclared entity", lambda d: d.replace(b"<p>", b"<p>&nbsp;", 1), False),
    ("a DOCTYPE", lambda d: d.replace(b"?>", b"?><!DOCTYPE TEI>", 1), False),
    ("a byte that is not UTF-8", lambda d: d.replace(b"<p>", b"<p>\xff", 1), False),
    ("a non-character", lambda d: d.replace(b"<p>", "<p>\ufffe".encode(), 1), False),
    ("a control character", lambda d: d.replace(b"<p>", b"<p>\x01", 1), False),
    ("a NUL", lambda d: d.replace(b"<p>", b"<p>\x00", 1), False),
    ("]]> in text", lambda d: d.replace(b"<p>", b"<p>]]>", 1), False),
    ("< in an attribute", lambda d: d.replace(b'xml:lang="en"', b'xml:lang="&lt;<"', 1), False),
    ("an end tag that closes another", lambda d: d.replace(b"</teiHeader>", b"</teiheader>", 1), False),
    ("text after the root", lambda d: d + b"x", False),
    ("an element after the root", lambda d: d + b"<TEI/>", False),
    ("no blank before an attribute", lambda d: d.replace(b'" xml:lang=', b'"xml:lang=', 1), False),
    ("an element with a prefix", lambda d: d.replace(b"<p>", b'<t:p xmlns:t="urn:x"/><p>', 1), False),
    ("another default namespace", lambda d: d.replace(b"<p>", b'<p xmlns="urn:x">', 1), False),
    ("the root unclosed", lambda d: d[: d.rindex(b"</TEI>")], False),
    ("elements 201 deep", lambda d: d.replace(b"<p>", b"<p>" + b"<hi>" * 201 + b"</hi>" * 201, 1), False),
]


@pytest.mark.parametrize(
    ("edit", "valid"), [(e, v) for _, e, v in LEFT_TO_LIBXML2], ids=[w for w, _, _ in LEFT_TO_LIBXML2]
)
def test_what_it_cannot_read_goes_to_libxml2(edit: object, valid: bool) -> None:
    data = documents()[0]
    assert callable(edit)
    edited = edit(data)
    assert edited != data
    assert read(edited) is None
    issues = validate_tei(edited)
    assert issues == issues_without_reading(edited)
    assert (issues == []) is valid, issues[:2]


def test_a_document_it_reads_but_finds_invalid_goes_to_libxml2() -> None:
    """A pointer to an id that is not there (our Schematron), a date in no form of the schema
    (our RELAX NG): read, not accepted, and the validators say what fails."""
    data = documents()[0]
    assert b'who="#questioner"' in data
    dangling = data.replace(b'who="#questioner"', b'who="#nobody"', 1)
    assert read(dangling) is not None and accept(dangling) == -1
    assert [i.rule for i in validate_tei(dangling)] == ["who-resolves", "participant-speaks"]  # and no one else speaks
    assert b'when="' in data
    bad_date = data.replace(b'when="', b'when="x', 1)
    assert read(bad_date) is not None and accept(bad_date) == -1
    assert {i.rule for i in validate_tei(bad_date)} == {"relaxng"}


MARK = re.compile(rb'>|="')
SNIPPETS = [
    b"<",
    b">",
    b"&",
    b"&amp;",
    b"&lt;",
    b"&#65;",
    b"&x;",
    b"]]>",
    b"]]",
    b"\r",
    b"\t",
    b"\n",
    b" ",
    b"\x00",
    b"\x01",
    b"\x7f",
    b"\xff",
    b"\xc3",
    "é".encode(),
    "в".encode(),
    "\ufffe".encode(),
    b"\xed\xa0\x80",  # a surrogate
    b"\xc0\xaf",  # an overlong '/'
    b"\xf4\x90\x80\x80",  # beyond U+10FFFF
    b"<!-- c -->",
    b"<![CDATA[x]]>",
    b"<?pi x?>",
    b'"',
    b"'",
    b"=",
    b"/",
    b"/>",
    b":",
    b"</seg>",
    b"<seg>",
    b"<seg/>",
    b"</p>",
    b"<p>",
    b' xml:id="x"',
    b' n="1"',
    b" n='1'",
    b' n="1" n="2"',
    b' xmlns="http://www.tei-c.org/ns/1.0"',
    b' xmlns=""',
    b' xmlns:a="urn:a"',
    b' a:b="1"',
    b' xml:space="preserve"',
    b"<a:b/>",
    b"<!DOCTYPE TEI>",
    b"\xef\xbb\xbf",
    b"x",
]


@settings(max_examples=500, deadline=None)
@given(data=st.data())
def test_random_byte_edits(data: st.DataObject) -> None:
    """Random edits of the bytes (markup, references, bytes that are not UTF-8 or not XML
    characters, blanks, quotes; at any byte, after a tag or in an attribute's value;
    spans deleted or doubled): whatever it reads, libxml2 reads into the same tree;
    whatever it accepts, RELAX NG and the Schematron accept; and ``validate_tei`` says
    the same with it and without it."""
    docs = documents()
    doc = docs[data.draw(st.integers(0, len(docs) - 1), label="document")]
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        marks = [m.end() for m in MARK.finditer(doc)]  # after a tag, in an attribute's value
        at = data.draw(st.one_of(st.integers(0, len(doc)), st.sampled_from(marks)), label="at")
        kind = data.draw(st.sampled_from(["insert", "insert", "delete", "double"]), label="kind")
        if kind == "insert":
            doc = doc[:at] + data.draw(st.sampled_from(SNIPPETS), label="snippet") + doc[at:]
        else:
            n = data.draw(st.integers(1, 40), label="length")
            doc = doc[:at] + (doc[at : at + n] if kind == "double" else b"") + doc[at + n :]
    tree = read(doc)
    event("read" if tree is not None else "left to libxml2")
    if tree is not None:
        assert tree == libxml2_tree(parse_xml(doc).getroot())  # parse_xml raises where libxml2 cannot read
    if accept(doc) == 1:
        event("accepted")
        parsed = parse_xml(doc)
        assert tei_relaxng().validate(parsed) == []
        assert tei_schematron().validate(parsed) == []
    assert validate_tei(doc) == issues_without_reading(doc)


def test_what_it_cannot_read_libxml2_may_reject() -> None:
    """It never says a document is invalid: the bytes libxml2 rejects are reported as not
    well-formed, with a line, as before."""
    data = documents()[0].replace(b"</teiHeader>", b"</teiheader>", 1)
    assert accept(data) == -1
    with pytest.raises(XmlInputError):
        parse_xml(data)
    (issue,) = validate_tei(data)
    assert issue.rule == "xml" and issue.line is not None


def test_validating_files_checks_other_schemas_on_a_tree(tmp_path: Path) -> None:
    """``transcript validate`` takes a file our reading accepts as valid by our schemas,
    and still checks any other schema asked for against libxml2's tree."""
    data = documents()[0]
    assert corpus.Checks().validate("a.tei.xml", data) == []
    other = tmp_path / "other.rng"
    other.write_text('<element name="other" xmlns="http://relaxng.org/ns/structure/1.0"><empty/></element>')
    issues = corpus.Checks(rng=[validation.RelaxNGValidator(other)]).validate("a.tei.xml", data)
    assert issues and all(i.is_error and i.rule == "relaxng" for i in issues)
