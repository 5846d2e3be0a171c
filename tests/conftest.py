from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence

import pytest

from leaklint.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def findings(self) -> List[dict]:
        return json.loads(self.out)


@pytest.fixture
def cli(monkeypatch, capsys):
    """Run ``leaklint`` in-process as a user would, with optional stdin bytes."""

    def run(*args: str, stdin: Optional[bytes] = None, cwd: Optional[Path] = None) -> Run:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
        code = main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def write(path: Path, text: str = "", data: Optional[bytes] = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if data is not None:
        path.write_bytes(data)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def codes_of(findings: Sequence[dict]) -> List[str]:
    return [finding["code"] for finding in findings]
