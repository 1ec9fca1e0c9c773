"""The C verdicts of our Schematron rules and RELAX NG (``_rules.c``); built at install time where a C compiler is."""

from lxml import etree

def check(root: etree._Element, /) -> int:
    """1 if every assertion of our Schematron holds, 0 if one fails, -1 if it cannot decide."""

def structure(root: etree._Element, /) -> int:
    """1 if the document has a shape our RELAX NG accepts, -1 if it cannot say (never 0)."""

def accept(data: bytes, /) -> int:
    """1 if our own reading of the bytes (``_read_tei.h``) finds a document that libxml2 reads,
    ``structure`` accepts and ``check`` finds valid; -1 if it cannot say (never 0)."""

Tree = tuple[str | None, str, tuple[tuple[str | None, str, str], ...], tuple["Tree | str", ...]]

def read(data: bytes, /) -> Tree | None:
    """The tree our own reading builds, as ``(namespace, name, attributes, children)`` with
    texts as str; ``None`` where it cannot read the bytes (for the tests)."""
