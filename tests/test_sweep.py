"""The corpus sweep tool: counts, the LL001 split, internal errors, dead workers."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys

import pytest

from leaklint.tools import sweep

from .conftest import write


@pytest.fixture
def corpus(tmp_path):
    write(tmp_path / "clean.py", "x = 1\n")
    write(tmp_path / "leaky.py", "data = open('x').read()\n")
    write(tmp_path / "py2.py", 'print "x"\n')
    # Swept although leaklint itself skips ``venv`` folders by default.
    write(tmp_path / "venv" / "lib.py", "y = 2\n")
    write(tmp_path / ".git" / "hook.py", "this is not python\n")
    return tmp_path


def test_sweep_reports_counts_and_passes(corpus):
    run = subprocess.run(
        [sys.executable, "-m", "leaklint.tools.sweep", "-j", "2", str(corpus)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("files: 4 (4 lines)")
    assert "  LL001  1" in lines
    assert "  LL303  1" in lines
    assert "  ast.parse() also rejects it: 1" in lines
    assert "  only leaklint rejects it: 0" in lines
    assert "internal errors (LL002): 0" in lines
    assert "worker died: 0" in lines
    assert lines[-1] == "result: PASS"


def test_engine_exception_is_an_internal_error(corpus, monkeypatch, capsys):
    real_lint_source = sweep.lint_source

    def lint_source(data, path, enabled, *args, **kwargs):
        if path.endswith("clean.py"):
            raise RuntimeError("boom")
        return real_lint_source(data, path, enabled, *args, **kwargs)

    monkeypatch.setattr(sweep, "lint_source", lint_source)
    assert sweep.main(["-j", "1", str(corpus)]) == 1
    out = capsys.readouterr().out
    assert "internal errors (LL002): 1" in out
    assert "clean.py:1: leaklint's engine failed on this file (RuntimeError: boom" in out
    assert "  LL303  1" in out  # the other files were still linted
    assert out.splitlines()[-1] == "result: FAIL: 1 internal error(s)"


def test_only_leaklint_syntax_error_fails(corpus, monkeypatch, capsys):
    def lint_source(data, path, enabled, *args, **kwargs):
        return [sweep.Finding(1, 1, "LL001", "syntax error: made up", 1, 1)]

    monkeypatch.setattr(sweep, "lint_source", lint_source)
    assert sweep.main(["-j", "1", "--exclude-dir", "venv", str(corpus)]) == 1
    out = capsys.readouterr().out
    assert "  ast.parse() also rejects it: 1" in out
    assert "  only leaklint rejects it: 2" in out
    assert "clean.py:1:1: syntax error: made up" in out


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="the patch must reach the workers")
def test_dead_worker_is_reported_and_the_sweep_goes_on(corpus, monkeypatch, capsys):
    real_lint_file = sweep.lint_file

    def lint_file(path, codes):
        if path.endswith("py2.py"):
            os._exit(3)
        return real_lint_file(path, codes)

    monkeypatch.setattr(sweep, "BATCH_SIZE", 1)
    monkeypatch.setattr(sweep, "lint_file", lint_file)
    assert sweep.main(["-j", "2", str(corpus)]) == 1
    out = capsys.readouterr().out
    assert "worker died: 1" in out
    assert "py2.py" in out.split("worker died: 1")[1].splitlines()[1]
    assert "  LL303  1" in out
