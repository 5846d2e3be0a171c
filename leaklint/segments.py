"""Top-level statements as separate units of libcst work.

libcst costs ten times what ``ast`` does, and a whole-module position pass as
much again. Most of a file is of no interest to any rule, so the engine cuts
the module into its top-level statements (with their decorators), keeps
those whose text holds a word some rule is triggered by, and parses each as
a small module of its own. Findings are moved back by the segment's first
line; columns are unchanged, since top-level statements start in column one.
"""

from __future__ import annotations

import ast
import bisect
import re
from dataclasses import dataclass
from typing import Iterable, List, Optional, Sequence


@dataclass(frozen=True)
class Segment:
    first_line: int  # 1-based, inclusive
    last_line: int  # inclusive
    text: str

    @property
    def line_offset(self) -> int:
        return self.first_line - 1


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", ())
    return min([node.lineno, *(d.lineno for d in decorators)])


def top_level_ranges(tree: ast.Module) -> List[List[int]]:
    """Line ranges of top-level statements; statements sharing a line are merged."""
    ranges: List[List[int]] = []
    for node in tree.body:
        first, last = _first_line(node), node.end_lineno or node.lineno
        if ranges and first <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], last)
        else:
            ranges.append([first, last])
    return ranges


def segments_with_words(
    text: str, tree: ast.Module, words: "Optional[re.Pattern[str]]", lines: Iterable[int] = ()
) -> List[Segment]:
    """The top-level statements whose text matches ``words`` (all if None),
    or that hold one of ``lines``, in order."""
    ranges = top_level_ranges(tree)
    if not ranges:
        return []
    line_starts = _line_starts(text)
    if words is None:
        chosen = set(range(len(ranges)))
    else:
        starts = [first for first, _ in ranges]
        chosen = set()
        for match in words.finditer(text):
            line = bisect.bisect_right(line_starts, match.start())
            index = bisect.bisect_right(starts, line) - 1
            if index >= 0 and line <= ranges[index][1]:
                chosen.add(index)
    if lines:
        starts = [first for first, _ in ranges]
        for line in lines:
            index = bisect.bisect_right(starts, line) - 1
            if index >= 0 and line <= ranges[index][1]:
                chosen.add(index)
    segments = []
    for index in sorted(chosen):
        first, last = ranges[index]
        end = line_starts[last] if last < len(line_starts) else len(text)
        body = text[line_starts[first - 1] : end]
        if not body.endswith(("\n", "\r")):
            body += "\n"
        segments.append(Segment(first, last, body))
    return segments


def _line_starts(text: str) -> Sequence[int]:
    """Offsets at which each line begins (line N begins at ``starts[N - 1]``)."""
    return [0, *(match.end() for match in re.finditer(r"\r\n|\r|\n", text))]

