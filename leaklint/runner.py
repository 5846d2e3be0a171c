"""Run the engine over discovered files with each file's resolved codes."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, FrozenSet, List, Optional, Sequence

from leaklint.config import Settings
from leaklint.discovery import SourceFile, matches_any
from leaklint.engine import engine_failure, lint_source
from leaklint.finding import Finding
from leaklint.source import DecodeError, decode_source


@dataclass
class FileResult:
    path: str
    findings: List[Finding]
    # The decoded text, kept only for files with findings (for --show-source).
    text: Optional[str] = None


@dataclass
class RunResult:
    files: List[FileResult] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)  # files that could not be read

    @property
    def findings_count(self) -> int:
        return sum(len(result.findings) for result in self.files)


def enabled_codes(settings: Settings, display_path: str) -> FrozenSet[str]:
    """Codes to report for one file, per-file ignores applied."""
    path = Path(display_path).absolute()
    extra = [
        code
        for pattern, codes in settings.per_file_ignores
        if matches_any(path, settings.root, (pattern,))
        for code in codes
    ]
    return settings.selection.enabled(extra)


def run(files: Sequence[SourceFile], settings: Settings, stdin: Optional[BinaryIO] = None) -> RunResult:
    result = RunResult()
    for source in files:
        try:
            data = _read(source, stdin)
        except OSError as exc:
            result.errors.append(f"{source.display}: cannot read file: {exc.strerror or exc}")
            continue
        codes = enabled_codes(settings, source.display)
        try:
            findings = lint_source(data, source.display, codes, settings.analysis)
        except Exception as exc:  # a bug in the engine itself: report it, go on
            findings = [engine_failure(exc)] if "LL002" in codes else []
        text = _text_for_display(data) if findings else None
        result.files.append(FileResult(source.display, findings, text))
    result.files.sort(key=lambda f: f.path)
    return result


def _read(source: SourceFile, stdin: Optional[BinaryIO]) -> bytes:
    if source.location is None:
        if stdin is None:
            if sys.stdin is None:
                raise OSError("standard input is closed")
            stdin = sys.stdin.buffer
        return stdin.read()
    with open(source.location, "rb") as handle:
        return handle.read()


def _text_for_display(data: bytes) -> str:
    try:
        return decode_source(data).text
    except DecodeError:
        return data.decode("utf-8", "replace")
