"""Fixes: the edits a rule proposes for a finding, and applying them to a text.

A fix is *safe* when the program does what it did, except that the resource
is released (or the growth bounded) when it should be; ``--fix`` applies only
those. An *unsafe* fix may change behaviour in a way a reviewer should look
at, and is applied only with ``--unsafe-fixes`` (ruff's two kinds).

Positions are those of findings: lines 1-based, columns 1-based and counted
in characters, ends exclusive. A finding carries its fix as a short JSON text
(``Finding.fix``), so that findings stay plain values the cache can store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

from leaklint.syntax.source import line_starts



@dataclass(frozen=True, order=True)
class Edit:
    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str

    def as_dict(self) -> Dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "replacement": self.replacement,
        }


@dataclass(frozen=True, order=True)
class Fix:
    title: str  # what the fix does, shown as an editor's code action: "Read it with pathlib.Path.read_text()"
    safe: bool
    edits: Tuple[Edit, ...]

    def dumps(self) -> str:
        return json.dumps([self.title, self.safe, [list(vars(edit).values()) for edit in self.edits]])

    @classmethod
    def loads(cls, text: Optional[str]) -> Optional["Fix"]:
        """The fix ``text`` holds; None for None or a text this version cannot read."""
        if not text:
            return None
        try:
            title, safe, edits = json.loads(text)
            return cls(title, bool(safe), tuple(Edit(*edit) for edit in edits))
        except (ValueError, TypeError):
            return None

    def as_dict(self) -> Dict[str, Any]:
        """For ``--format json`` and the API."""
        return {
            "title": self.title,
            "applicability": "safe" if self.safe else "unsafe",
            "edits": [edit.as_dict() for edit in self.edits],
        }


def indent_unit(indentation: str) -> str:
    """One level deeper than ``indentation``: a tab under tabs, four spaces otherwise."""
    return "\t" if indentation.startswith("\t") else "    "


def apply(text: str, fixes: Sequence[Fix]) -> Tuple[str, List[Fix]]:
    """``text`` with as many of ``fixes`` applied as do not overlap, first
    ones first, and the fixes applied. The same edit proposed by two fixes
    (one import for both) is made once."""
    starts = line_starts(text)
    accepted: List[Tuple[int, int, str]] = []
    applied: List[Fix] = []
    for fix in fixes:
        spans = [_span(starts, text, edit) for edit in fix.edits]
        if any(span is None for span in spans):
            continue  # a position past the end: the text is not the one the fix was made for
        new = [span for span in spans if span is not None and span not in accepted]
        if any(_overlap(span, other) for span in new for other in accepted):
            continue  # left for the next round, against the text this round makes
        accepted.extend(new)
        applied.append(fix)
    for start, end, replacement in sorted(accepted, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text, applied


def _span(starts: List[int], text: str, edit: Edit) -> Optional[Tuple[int, int, str]]:
    start = _offset(starts, text, edit.line, edit.column)
    end = _offset(starts, text, edit.end_line, edit.end_column)
    if start is None or end is None or end < start:
        return None
    return (start, end, edit.replacement)


def _offset(starts: List[int], text: str, line: int, column: int) -> Optional[int]:
    if not 1 <= line <= len(starts):
        return None
    offset = starts[line - 1] + column - 1
    return offset if offset <= len(text) else None


def _overlap(one: Tuple[int, int, str], other: Tuple[int, int, str]) -> bool:
    """Two edits touch the same characters, or insert at the same place
    (which comes first would be a guess)."""
    if one[0] == one[1] == other[0] == other[1]:
        return True
    return one[0] < other[1] and other[0] < one[1]
