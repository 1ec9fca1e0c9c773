"""The C verdict of our Schematron rules (``_rules.c``); built at install time where a C compiler is."""

from lxml import etree

def check(root: etree._Element, /) -> int:
    """1 if every assertion of our Schematron holds, 0 if one fails, -1 if it cannot decide."""
