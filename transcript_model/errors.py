"""The one exception the reading and parsing layer raises."""

from __future__ import annotations


class UnreadableInputError(ValueError):
    """The input has no text the parser could work on (empty, binary, undecodable).

    ``source`` names the input (a path, or ``None`` for a string), ``line`` is the 1-based
    line of the problem where one can be named, and ``reason`` says what was expected.
    ``str(error)`` reads ``source:line: reason``.
    """

    def __init__(self, reason: str, *, source: str | None = None, line: int | None = None):
        self.reason = reason
        self.source = source
        self.line = line
        where = source or "<text>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {reason}")
