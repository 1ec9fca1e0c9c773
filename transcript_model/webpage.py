"""Saved web pages: the transcript is read from the page's structure with lxml.

The headline comes from ``h1``, the lead from the page's summary, date, time and place from
their own elements, the turns from the paragraphs of the article body, a speaker label
from the bold run that opens a paragraph. Scripts, navigation, hover cards, media captions
and "See also" widgets are removed as elements, never by pattern-matching text.

The result is a plain-text rendition of the page in the layout the text parser reads
(headline, lead, date, time, place, ``* * *``, paragraphs, URL); that rendition is the
source text every span of the resulting transcript points into.
"""

from __future__ import annotations

import re

from lxml import etree

_CHROME_CLASSES = re.compile(
    r"\b(?:hidden|masha-ignore|read__cut|read__tooltip|tooltip\w*|media\w*|share\w*|social\w*|nav\w*|footer\w*|"
    r"header\w*|breadcrumbs?|sidebar\w*|related\w*|print\w*|read__bottommeta|advert\w*|banner\w*)\b"
)
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "footer",
    "header",
    "aside",
    "form",
    "iframe",
    "svg",
    "img",
    "figure",
    "meta",
    "link",
    "button",
)
_BODY_XPATHS = (
    "//*[@itemprop='articleBody']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-content ')]",
    "//article",
    "//main",
    "//body",
)
_WS = re.compile(r"\s+")


def looks_like_html(data: str) -> bool:
    """Whether decoded text is an HTML page rather than a plain transcript."""
    head = data.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<head" in head and "<body" in data[:20000].lower())


def _text(el: etree._Element) -> str:
    return _WS.sub(" ", "".join(el.itertext())).strip()


def _first(doc: etree._Element, *xpaths: str) -> etree._Element | None:
    for xp in xpaths:
        found = doc.xpath(xp)
        if isinstance(found, list):
            for el in found:
                if isinstance(el, etree._Element):
                    return el
    return None


def _attr(doc: etree._Element, xpath: str) -> str | None:
    found = doc.xpath(xpath)
    if isinstance(found, list) and found:
        value = str(found[0]).strip()
        return value or None
    return None


def _strip_chrome(root: etree._Element) -> None:
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            if el.getparent() is not None:
                _drop(el)
            continue
        cls = el.get("class") or ""
        if el.tag in _DROP_TAGS or (cls and _CHROME_CLASSES.search(cls)):
            _drop(el)


def _drop(el: etree._Element) -> None:
    """Remove an element but keep the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def _paragraph(p: etree._Element) -> str:
    """A paragraph's text, with an opening bold run rendered as ``Label: text``."""
    text = _text(p)
    if not text:
        return ""
    first = next(iter(p), None)
    lead = (p.text or "").strip()
    if first is not None and first.tag in ("b", "strong") and not lead:
        label = _text(first).rstrip()
        rest = text[len(_text(first)) :].strip()
        if label.endswith(":"):
            return f"{label} {rest}".strip()
        if rest.startswith(":"):
            return f"{label}: {rest[1:].strip()}".strip()
    return text


def render(page: str) -> str:
    """The text rendition of a saved transcript page (see the module's docstring); ``""``
    for a page with no document in it.

    >>> render("<!DOCTYPE HTML")
    ''
    """
    from lxml import html  # noqa: PLC0415 - 3 ms of every command's start-up, for web pages only

    try:
        doc = html.document_fromstring(
            page.encode("utf-8"), parser=html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
        )
    except etree.ParserError:  # "Document is empty": nothing but a doctype, comments, ...
        return ""
    url = _attr(doc, "//meta[@property='og:url']/@content") or _attr(doc, "//link[@rel='canonical']/@href")
    if url and not re.fullmatch(r"https?://[\x21-\x7e]+", url):
        url = None
    title_el = _first(doc, "//h1[contains(@class,'entry-title')]", "//h1", "//title")
    title = _text(title_el) if title_el is not None else ""
    lead_el = _first(doc, "//*[contains(@class,'read__lead')]", "//*[@itemprop='description' and not(self::meta)]")
    lead = [_text(p) for p in lead_el.iter("p")] if lead_el is not None else []
    if lead_el is not None and not lead:
        lead = [_text(lead_el)]
    time_el = _first(doc, "//*[contains(@class,'read__published')]", "//time[@datetime]")
    date = _text(time_el) if time_el is not None else ""
    clock_el = _first(doc, "//*[contains(@class,'read__time')]")
    clock = _text(clock_el) if clock_el is not None else ""
    place_el = _first(doc, "//*[contains(@class,'read__place')]", "//*[contains(@class,'p-location')]")
    place = _text(place_el) if place_el is not None else ""
    body = _first(doc, *_BODY_XPATHS)
    paragraphs: list[str] = []
    if body is not None:
        _strip_chrome(body)
        blocks = body.xpath(".//p | .//blockquote[not(.//p)] | .//li[not(.//p)] | .//h2 | .//h3")
        for p in blocks if isinstance(blocks, list) else []:
            if isinstance(p, etree._Element):
                text = _paragraph(p)
                if text:
                    paragraphs.append(text)
    parts = [title, *lead, date, clock, place]
    if paragraphs and not any(p.strip() == "* * *" for p in paragraphs[:12]):
        parts.append("* * *")
    parts += paragraphs
    if url:
        parts.append(url)
    return "\n\n".join(p for p in parts if p) + "\n"
