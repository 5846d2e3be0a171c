"""flake8's default format: ``path:line:col: CODE message``."""

from __future__ import annotations

from collections import Counter
from typing import Dict, Iterator, List

from leaklint.core.finding import Finding
from leaklint.batch.runner import RunResult


# ruff's palette: the path bold, the position in cyan, the code bold red.
_BOLD, _CYAN, _RED_BOLD, _RED, _RESET = "\x1b[1m", "\x1b[36m", "\x1b[1;31m", "\x1b[31m", "\x1b[0m"


def render(result: RunResult, show_source: bool, color: bool = False) -> Iterator[str]:
    for file in result.files:
        lines = file.text.splitlines() if (show_source and file.text is not None) else []
        for finding in file.findings:
            yield (
                f"{paint_path(file.path, color)}{paint_position(f':{finding.line}:{finding.column}:', color)} "
                f"{paint_code(finding.code, color)} {finding.message}"
            )
            yield from source_lines(lines, finding, color)


def source_lines(lines: List[str], finding: Finding, color: bool) -> Iterator[str]:
    """The finding's source line and a caret under its column, if the line is known."""
    if 0 < finding.line <= len(lines):
        source_line = lines[finding.line - 1]
        yield source_line
        # Keep tabs so the caret lines up under the same column.
        prefix = "".join(c if c == "\t" else " " for c in source_line[: finding.column - 1])
        yield prefix + _paint("^", _RED, color)


def paint_path(text: str, color: bool) -> str:
    return _paint(text, _BOLD, color)


def paint_position(text: str, color: bool) -> str:
    return _paint(text, _CYAN, color)


def paint_code(text: str, color: bool) -> str:
    return _paint(text, _RED_BOLD, color)


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color else text


def statistics(result: RunResult) -> Iterator[str]:
    """One line per code: count, code and the first message, as flake8 prints them."""
    counts: Counter = Counter()
    first: Dict[str, str] = {}
    for file in result.files:
        for finding in file.findings:
            counts[finding.code] += 1
            first.setdefault(finding.code, finding.message)
    for code in sorted(counts):
        yield f"{counts[code]:<5} {code} {first[code]}"
