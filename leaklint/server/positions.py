"""Positions between leaklint and an editor.

leaklint counts lines from 1 and columns from 1 in characters (code points);
the Language Server Protocol counts both from 0, columns in the code units the
client and server agreed on: UTF-16 unless the client offers another (a
character outside the Basic Multilingual Plane is two UTF-16 units, four
UTF-8 bytes). Lines end as Python ends them: at ``\\r\\n``, ``\\r`` or ``\\n``.
"""

from __future__ import annotations

import re
from typing import List, Tuple

from leaklint.syntax.source import line_starts, text_lines

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"

# A line and its break, for line-by-line diffs; the last may have no break.
_LINE_WITH_BREAK = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _units(text: str, encoding: str) -> int:
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


class LineIndex:
    """One text's lines, to convert positions for a client using ``encoding``."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.lines: List[str] = text_lines(text)
        self.encoding = encoding
        self._starts = line_starts(text)

    def offset(self, line: int, character: int) -> int:
        """Where the client's (line, character) is in the text, as an index."""
        line, column = self.from_client(line, character)
        return self._starts[line - 1] + column - 1

    def to_client(self, line: int, column: int) -> Tuple[int, int]:
        """leaklint's (line, column) as the client's (line, character); a
        position past the end of the text is the end of the text."""
        if line > len(self.lines):
            return len(self.lines) - 1, _units(self.lines[-1], self.encoding)
        content = self.lines[max(line, 1) - 1]
        return max(line, 1) - 1, _units(content[: max(column, 1) - 1], self.encoding)

    def from_client(self, line: int, character: int) -> Tuple[int, int]:
        """The client's (line, character) as leaklint's (line, column)."""
        if line >= len(self.lines):
            return len(self.lines), len(self.lines[-1]) + 1
        content = self.lines[line]
        if self.encoding == UTF32 or content.isascii():
            return line + 1, min(character, len(content)) + 1
        counted = 0
        for column, char in enumerate(content):
            if counted >= character:
                return line + 1, column + 1
            counted += _units(char, self.encoding)
        return line + 1, len(content) + 1

    def end(self) -> Tuple[int, int]:
        """The client's position of the end of the text."""
        return len(self.lines) - 1, _units(self.lines[-1], self.encoding)


def lines_with_breaks(text: str) -> List[str]:
    return _LINE_WITH_BREAK.findall(text)
