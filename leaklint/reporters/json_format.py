"""``--format json``: a list of finding objects (a stable, documented schema)."""

from __future__ import annotations

import json
from typing import Iterator

from leaklint.runner import RunResult


def render(result: RunResult, show_source: bool) -> Iterator[str]:
    records = [
        {
            "path": file.path,
            "line": finding.line,
            "column": finding.column,
            "end_line": finding.end_line,
            "end_column": finding.end_column,
            "code": finding.code,
            "message": finding.message,
            "fix": finding.fix,
        }
        for file in result.files
        for finding in file.findings
    ]
    yield json.dumps(records, indent=2)
