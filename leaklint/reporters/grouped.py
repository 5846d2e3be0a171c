"""``--format grouped``: findings under each file's name, with the source line.

    pkg/config.py:
      3:20 LL303 file opened by open() is never closed: ...
        config = json.load(open('c.json'))
                           ^

One block per file with findings, a blank line between files.
"""

from __future__ import annotations

from typing import Iterator

from leaklint.reporters.text import paint_code, paint_path, paint_position, source_lines
from leaklint.batch.runner import RunResult


def render(result: RunResult, show_source: bool = True, color: bool = False) -> Iterator[str]:
    first = True
    for file in result.files:
        if not file.findings:
            continue
        if not first:
            yield ""
        first = False
        yield paint_path(file.path, color) + ":"
        lines = file.text.splitlines() if file.text is not None else []
        for finding in file.findings:
            position = paint_position(f"{finding.line}:{finding.column}", color)
            yield f"  {position} {paint_code(finding.code, color)} {finding.message}"
            for line in source_lines(lines, finding, color):
                yield "    " + line
