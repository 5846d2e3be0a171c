from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence

import pytest
from hypothesis import HealthCheck, settings

from leaklint.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

# Two findings on by default, the examples of the tests of the command line,
# configuration, cache and reporters: LL303 at 3:20-3:34 and LL106 at 1:25.
LEAKY = "import json\n\nconfig = json.load(open('c.json'))\n"
GROWING = "def remember(item, seen=[]):\n    seen.append(item)\n    return len(seen)\n"

# Property tests (tests/test_properties.py): "ci" by default, small enough for
# every run; ``pytest --hypothesis-profile=thorough`` for a long sweep. No
# example database: a failure prints the example (and a blob to reproduce it);
# the patch Hypothesis writes for a failure goes to the temporary folder, not
# into the work tree.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", os.path.join(tempfile.gettempdir(), "leaklint-hypothesis"))
_PROFILE = dict(
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
settings.register_profile("ci", max_examples=25, **_PROFILE)
settings.register_profile("thorough", max_examples=2000, **_PROFILE)


def pytest_configure(config):
    if not config.getoption("hypothesis_profile", default=None):
        settings.load_profile("ci")


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


def write_project(root: Path) -> Path:
    """``root`` with pkg/leaky.py (LEAKY), pkg/growing.py (GROWING) and pkg/clean.py."""
    write(root / "pkg" / "leaky.py", LEAKY)
    write(root / "pkg" / "growing.py", GROWING)
    write(root / "pkg" / "clean.py", "x = 1\n")
    return root
