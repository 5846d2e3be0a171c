"""flake8's default format: ``path:line:col: CODE message``."""

from __future__ import annotations

from collections import Counter
from typing import Dict, Iterator

from leaklint.runner import RunResult


# ruff's palette: the path bold, the position in cyan, the code bold red.
_BOLD, _CYAN, _RED_BOLD, _RED, _RESET = "\x1b[1m", "\x1b[36m", "\x1b[1;31m", "\x1b[31m", "\x1b[0m"


def render(result: RunResult, show_source: bool, color: bool = False) -> Iterator[str]:
    paint = _paint if color else (lambda text, style: text)
    for file in result.files:
        lines = file.text.splitlines() if (show_source and file.text is not None) else []
        for finding in file.findings:
            yield (
                f"{paint(file.path, _BOLD)}{paint(f':{finding.line}:{finding.column}:', _CYAN)} "
                f"{paint(finding.code, _RED_BOLD)} {finding.message}"
            )
            if 0 < finding.line <= len(lines):
                source_line = lines[finding.line - 1]
                yield source_line
                # Keep tabs so the caret lines up under the same column.
                prefix = "".join(c if c == "\t" else " " for c in source_line[: finding.column - 1])
                yield prefix + paint("^", _RED)


def _paint(text: str, style: str) -> str:
    return f"{style}{text}{_RESET}"


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
