"""The progress line: shown only on a terminal, after a while, and erased."""

from __future__ import annotations

import io
import sys

from leaklint.batch.progress import DELAY, INTERVAL, Progress

from .conftest import write


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_short_run_shows_nothing_and_a_long_one_counts_then_erases():
    clock, stream = Clock(), io.StringIO()
    progress = Progress(stream, clock)
    progress(1, 100)
    assert stream.getvalue() == ""  # before the delay
    clock.now = DELAY + 0.01
    progress(40, 100)
    clock.now += INTERVAL / 2
    progress(41, 100)  # too soon after the last: not written
    clock.now += INTERVAL
    progress(100, 100)
    progress.close()
    assert stream.getvalue() == (
        "\rleaklint: 40/100 files" + "\rleaklint: 100/100 files" + "\r" + " " * len("leaklint: 100/100 files") + "\r"
    )


def test_no_progress_in_a_pipe(cli, tmp_path):
    write(tmp_path / "a.py", "x = 1\n")
    run = cli("--isolated", "--no-cache", "a.py", cwd=tmp_path)
    assert "files" not in run.err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal_outside_ci_and_quiet(monkeypatch):
    from leaklint import cli

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert isinstance(cli._progress(quiet=False), Progress)
    assert cli._progress(quiet=True) is None
    monkeypatch.setenv("CI", "true")
    assert cli._progress(quiet=False) is None
    monkeypatch.delenv("CI")
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # a pipe or a file
    assert cli._progress(quiet=False) is None
