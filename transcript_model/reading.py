"""Bytes to source text: decoding, BOM removal, newline normalisation.

The decoded, normalised text is the *source text* that every :class:`~transcript_model.model.Span`
points into.
"""

from __future__ import annotations

import os

from .errors import UnreadableInputError

_BOM = "\ufeff"


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


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, *, source: str | None = None) -> str:
    """Decode the bytes of a transcript: UTF-8 with or without a BOM, any newline style.

    Raises :class:`UnreadableInputError` naming the line of the first undecodable byte, or
    when the data is empty or binary (contains NUL bytes).
    """
    if not data.strip():
        raise UnreadableInputError("the input is empty: expected transcript text", source=source)
    nul = data.find(b"\x00")
    if nul != -1:
        raise UnreadableInputError(
            f"binary data (NUL byte at offset {nul}): expected UTF-8 text",
            source=source,
            line=_line_of(data, nul),
        )
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
