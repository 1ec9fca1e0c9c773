"""Bytes to source text: decoding, BOM removal, newline normalisation.

The decoded, normalised text is the *source text* that every :class:`~transcript_model.model.Span`
points into.
"""

from __future__ import annotations

import os
import re
from typing import Final

from .errors import UnreadableInputError
from .scans import HAS_NUL, HAS_XML_FORBIDDEN, UTF8_HAS_XML_FORBIDDEN

_BOM: Final = "\ufeff"
# UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one
_UNICODE_BOMS: Final = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; a leading BOM is dropped.

    >>> normalise_newlines("\\ufeffa\\r\\nb\\rc")
    'a\\nb\\nc'
    """
    if text.startswith(_BOM):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# a raw string: the regex engine reads the escapes (mypyc compiles no surrogates in literals)
_XML_FORBIDDEN: Final = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]+")


# the bytes of UTF-8 text that are characters _XML_FORBIDDEN finds: C0 controls (a byte below
# 0x80 is an ASCII character of its own); U+FFFE and U+FFFF are EF BF BE and EF BF BF
_C0_FORBIDDEN: Final = bytes(b for b in range(0x80) if _XML_FORBIDDEN.match(chr(b)))
# translation tables that make each of them NUL and every other byte not NUL (NUL itself only
# with ``nul``): a NUL in the translation is a forbidden byte in the text
_TO_NUL: Final = bytes(0 if b in _C0_FORBIDDEN else b or 1 for b in range(256))
_TO_NUL_WITH_NUL: Final = bytes(0 if b in _C0_FORBIDDEN else b for b in range(256))


def has_nul(text: str) -> bool:
    r"""Whether ``text`` holds a NUL character: asked in C where it was built. The string
    search (the Python definition) looks for it character by character in a text that holds
    a character beyond Latin-1 ("№", a curly quote): 19,000 instructions for a
    reference-sized transcript, where it looks for any other character a word at a time.

    >>> has_nul("№ 1"), has_nul("a\x00b"), has_nul("№\x00")
    (False, True, True)
    """
    if HAS_NUL is not None:
        return HAS_NUL(text)
    return "\x00" in text


def has_xml_forbidden(text: str) -> bool:
    r"""Whether ``text`` holds a character :func:`remove_xml_forbidden` removes: asked in one
    pass in C (``transcript_model/_scan.c``) where it was built, else by
    :func:`_has_xml_forbidden_python`.

    >>> has_xml_forbidden("tab\tnewline\n№"), has_xml_forbidden("bell\x07"), has_xml_forbidden("\ufffe")
    (False, True, True)
    """
    if HAS_XML_FORBIDDEN is not None:
        return HAS_XML_FORBIDDEN(text)
    return _has_xml_forbidden_python(text)


def _has_xml_forbidden_python(text: str) -> bool:
    r""":func:`has_xml_forbidden` asked of the UTF-8 bytes of ``text`` in C string operations
    (the pattern, a large character set, took 6 ns a character; this, 1.1 to 1.5 with the
    encoding).

    >>> _has_xml_forbidden_python("tab\tnewline\n№"), _has_xml_forbidden_python("\ud800")
    (False, True)
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, which UTF-8 cannot carry either
        return True
    return _utf8_has_xml_forbidden_python(data, nul=False)


def utf8_has_xml_forbidden(data: bytes, *, nul: bool = False) -> bool:
    r"""Whether UTF-8 ``data`` (from a ``str``: no surrogates) holds a character XML 1.0
    forbids: a C0 control other than tab, newline and carriage return (NUL only if ``nul``:
    the parser refuses it before), U+FFFE or U+FFFF. Asked in one pass in C where it was
    built (a third of the time of the translation below, which copies the data), else by
    :func:`_utf8_has_xml_forbidden_python`.

    >>> [utf8_has_xml_forbidden(b) for b in ("a\tb№".encode(), b"\x07", b"\x00")]
    [False, True, False]
    >>> utf8_has_xml_forbidden(b"\x00", nul=True)
    True
    """
    if UTF8_HAS_XML_FORBIDDEN is not None:
        return UTF8_HAS_XML_FORBIDDEN(data, nul)
    return _utf8_has_xml_forbidden_python(data, nul=nul)


def _utf8_has_xml_forbidden_python(data: bytes, *, nul: bool) -> bool:
    """:func:`utf8_has_xml_forbidden` in C string operations.

    The controls are found by translating every byte through a table (a plain table lookup
    in C) and looking for a NUL in the result (``memchr``); the two characters, only where
    their first byte is (searching for three bytes took 8 µs in a 12 KB TEI file, ``memchr``
    0.2). 5 µs for that file, where deleting every other byte (``translate(None, ...)``)
    and searching for both characters took 20.
    """
    if b"\x00" in data.translate(_TO_NUL_WITH_NUL if nul else _TO_NUL):
        return True
    return b"\xef" in data and (b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data)


def remove_xml_forbidden(text: str) -> tuple[str, list[tuple[int, str]]]:
    r"""Remove the characters XML 1.0 cannot carry (C0 controls but tab and newline,
    U+FFFE, U+FFFF, lone surrogates). Returns the text and ``(line, removed)`` pairs, which
    the parser reports as diagnostics: the removal is part of normalisation, like CRLF.

    >>> remove_xml_forbidden("a" + chr(1) + "b")
    ('ab', [(1, '\\x01')])
    """
    if not has_xml_forbidden(text):
        return text, []
    removed = [
        (text.count("\n", 0, m.start()) + 1, m.group().encode("unicode_escape", "backslashreplace").decode("ascii"))
        for m in _XML_FORBIDDEN.finditer(text)
    ]
    return _XML_FORBIDDEN.sub("", text), removed


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, *, source: str | None = None) -> str:
    """Decode the bytes of a transcript: UTF-8 with or without a BOM, UTF-16 or UTF-32 with
    their BOM, any newline style.

    Raises :class:`UnreadableInputError` naming the line of the first undecodable byte, or
    when the data is empty or binary (contains NUL bytes).
    """
    if not data.strip():
        raise UnreadableInputError("the input is empty: expected transcript text", source=source)
    nul = -1 if data.startswith(tuple(b for b, _ in _UNICODE_BOMS)) else data.find(b"\x00")
    if nul != -1:
        raise UnreadableInputError(
            f"binary data (NUL byte at offset {nul}): expected UTF-8 text",
            source=source,
            line=_line_of(data, nul),
        )
    for bom, codec in _UNICODE_BOMS:
        if data.startswith(bom):
            try:
                return normalise_newlines(data[len(bom) :].decode(codec))
            except UnicodeDecodeError as exc:
                raise UnreadableInputError(
                    f"not valid {codec.upper()} after its byte order mark (offset {exc.start + len(bom)})",
                    source=source,
                ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 4]
        raise UnreadableInputError(
            f"not valid UTF-8 (byte {bad[:1].hex()} at offset {exc.start}): "
            "expected UTF-8 text; re-encode the file as UTF-8",
            source=source,
            line=_line_of(data, exc.start),
        ) from None
    return normalise_newlines(text)


def read_text(path: str | os.PathLike[str]) -> str:
    """Read and decode a transcript file (see :func:`decode`)."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise UnreadableInputError(f"cannot read: {exc.strerror or exc}", source=name) from None
    return decode(data, source=name)
