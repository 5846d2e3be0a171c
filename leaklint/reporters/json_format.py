"""``--format json``: a list of finding objects (a stable, documented schema)."""

from __future__ import annotations

import json
from typing import Any, Dict, Iterator, Optional

from leaklint.fixes import Fix
from leaklint.batch.runner import RunResult
from leaklint.watch import WatchTarget


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
            "fix": _fix(finding.fix),
            "watch": _watch(finding.watch),
        }
        for file in result.files
        for finding in file.findings
    ]
    yield json.dumps(records, indent=2)


def _fix(text: Optional[str]) -> Optional[Dict[str, Any]]:
    fix = Fix.loads(text)
    return fix.as_dict() if fix is not None else None


def _watch(spec: Optional[str]) -> Optional[Dict[str, Optional[str]]]:
    target = WatchTarget.parse(spec)
    return target.as_dict() if target is not None else None
