"""The C verdicts of our Schematron rules and RELAX NG (``_rules.c``); built at install time where a C compiler is."""

from lxml import etree

def check(root: etree._Element, /) -> int:
    """1 if every assertion of our Schematron holds, 0 if one fails, -1 if it cannot decide."""

def structure(root: etree._Element, /) -> int:
    """1 if the document has a shape our RELAX NG accepts, -1 if it cannot say (never 0)."""
