"""``--format github``: GitHub Actions workflow commands, one annotation per finding.

GitHub shows each line as an annotation on the pull request diff.
"""

from __future__ import annotations

from typing import Iterator

from leaklint.reporters.levels import level
from leaklint.batch.runner import RunResult


def render(result: RunResult, show_source: bool) -> Iterator[str]:
    for file in result.files:
        for finding in file.findings:
            properties = ",".join(
                f"{name}={escape_property(str(value))}"
                for name, value in (
                    ("file", file.path),
                    ("line", finding.line),
                    ("col", finding.column),
                    ("endLine", finding.end_line),
                    ("endColumn", finding.end_column),
                    ("title", finding.code),
                )
            )
            yield f"::{level(finding.code)} {properties}::{escape_data(finding.message)}"


def escape_data(text: str) -> str:
    """Escape a command's message so a newline or '%' cannot end or garble it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: ':' and ',' separate the command's parts."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
