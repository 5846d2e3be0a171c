"""flake8's default format: ``path:line:col: CODE message``."""

from __future__ import annotations

from collections import Counter
from typing import Dict, Iterator

from leaklint.runner import RunResult


def render(result: RunResult, show_source: bool) -> Iterator[str]:
    for file in result.files:
        lines = file.text.splitlines() if (show_source and file.text is not None) else []
        for finding in file.findings:
            yield f"{file.path}:{finding.line}:{finding.column}: {finding.code} {finding.message}"
            if 0 < finding.line <= len(lines):
                source_line = lines[finding.line - 1]
                yield source_line
                # Keep tabs so the caret lines up under the same column.
                prefix = "".join(c if c == "\t" else " " for c in source_line[: finding.column - 1])
                yield prefix + "^"


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
