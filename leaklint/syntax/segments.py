"""Top-level statements as separate units of libcst work.

libcst costs ten times what ``ast`` does, and a whole-module position pass as
much again. Most of a file is of no interest to any rule, so the engine cuts
the module into its top-level statements (with their decorators), keeps
those whose text holds a word some rule is triggered by, and parses each as
a small module of its own. Findings are moved back by the segment's first
line; columns are unchanged, since top-level statements start in column one.

A class is most often chosen for one of its methods: the methods holding no
match are blanked out (their lines left empty, so positions do not move),
while the class header and its other statements stay for the rules that
look at them (bases, ``f = classmethod(f)``).
"""

from __future__ import annotations

import ast
import bisect
import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Set, Tuple


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


def _top_level_statements(tree: ast.Module) -> List[Tuple[int, int, List[ast.stmt]]]:
    """(first line, last line, statements) per range; statements sharing a line are merged."""
    ranges: List[Tuple[int, int, List[ast.stmt]]] = []
    for node in tree.body:
        first, last = _first_line(node), node.end_lineno or node.lineno
        if ranges and first <= ranges[-1][1]:
            previous = ranges[-1]
            ranges[-1] = (previous[0], max(previous[1], last), [*previous[2], node])
        else:
            ranges.append((first, last, [node]))
    return ranges


def _method_spans(statements: List[ast.stmt]) -> List[Tuple[int, int]]:
    """Line spans (decorators included) of the methods of a lone top-level class
    whose lines belong to it alone; none for anything else."""
    if len(statements) != 1 or not isinstance(statements[0], ast.ClassDef):
        return []
    cls = statements[0]
    spans = []
    for node in cls.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            spans.append((_first_line(node), node.end_lineno or node.lineno))
    # Two statements on one line (``def f(self): pass; x = 1``) cannot be blanked apart.
    body_lines = [(_first_line(n), n.end_lineno or n.lineno) for n in cls.body]
    shared = {line for (a, b), (c, d) in zip(body_lines, body_lines[1:]) if b >= c for line in (b, c)}
    return [span for span in spans if span[0] not in shared and span[1] not in shared and span[0] > cls.lineno]


def segments_with_words(text: str, tree: ast.Module, words: "Optional[re.Pattern[str]]") -> List[Segment]:
    """The top-level statements whose text matches ``words`` (all if None), in order."""
    statements = _top_level_statements(tree)
    if not statements:
        return []
    ranges = [(first, last) for first, last, _ in statements]
    starts = [first for first, _ in ranges]
    line_starts = _line_starts(text)
    # range index -> the lines matched in it (None: the whole statement counts)
    chosen: Dict[int, Optional[Set[int]]] = {}

    def choose(line: int) -> None:
        index = bisect.bisect_right(starts, line) - 1
        if index >= 0 and line <= ranges[index][1]:
            matched = chosen.setdefault(index, set())
            if matched is not None:
                matched.add(line)

    if words is None:
        chosen = dict.fromkeys(range(len(ranges)))
    else:
        for match in words.finditer(text):
            choose(bisect.bisect_right(line_starts, match.start()))
    segments = []
    for index in sorted(chosen):
        first, last = ranges[index]
        end = line_starts[last] if last < len(line_starts) else len(text)
        body = text[line_starts[first - 1] : end]
        if not body.endswith(("\n", "\r")):
            body += "\n"
        matched = chosen[index]
        if matched is not None:
            if len(body) > _LARGE_STATEMENT and _only_data(statements[index][2]):
                continue  # trigger words inside a big table of strings: nothing for libcst rules
            body = _blank_unmatched_methods(body, first, _method_spans(statements[index][2]), matched)
        segments.append(Segment(first, last, body))
    return segments


# Statements longer than this (in characters) are checked for code before
# libcst is given them: a generated table of strings can hold trigger words
# by the thousand (a 1 MB list of words with "open" took 7.5 s and 610 MB).
_LARGE_STATEMENT = 64 * 1024
# Every libcst rule reports on a call, a definition or a ``with``.
_CODE = (ast.Call, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.With, ast.AsyncWith)


def _only_data(statements: List[ast.stmt]) -> bool:
    return not any(isinstance(node, _CODE) for statement in statements for node in ast.walk(statement))


def _blank_unmatched_methods(body: str, first: int, methods: List[Tuple[int, int]], matched: Set[int]) -> str:
    """``body`` with the lines of methods holding no matched line emptied."""
    unmatched = [(a, b) for a, b in methods if not any(a <= line <= b for line in matched)]
    if not unmatched or len(unmatched) == len(methods):
        return body  # nothing to drop; or only the header or class attributes matched: keep the class whole
    lines = body.splitlines(keepends=True)
    for start, stop in unmatched:
        for line in range(start, stop + 1):
            text = lines[line - first]
            lines[line - first] = text[len(text.rstrip("\r\n")) :]
    return "".join(lines)


def _line_starts(text: str) -> Sequence[int]:
    """Offsets at which each line begins (line N begins at ``starts[N - 1]``)."""
    return [0, *(match.end() for match in re.finditer(r"\r\n|\r|\n", text))]
