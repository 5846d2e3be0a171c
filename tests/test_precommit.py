"""The pre-commit hook, through the real ``pre-commit try-repo``: it fails on a
leaky file with the finding, and passes once the file is fixed.

pre-commit clones the hook repository at a commit: ``try-repo`` on a working
tree with uncommitted changes adds the modified tracked files to a shadow
clone, but not untracked ones (a new module, or ``.pre-commit-hooks.yaml``
itself before its first commit). So the test commits a snapshot of this
checkout's working tree, tracked and untracked files alike (as git lists them,
ignored files left out), in a throwaway repository, and tries that: it tests
exactly the code under test, committed or not.

Slow (pre-commit builds a virtual environment and pip-installs leaklint into
it, about ten seconds each run), but part of the default test run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]
LEAKY = 'data = open("x").read()\n'
FIXED = 'with open("x") as handle:\n    data = handle.read()\n'
# Not what a user would keep out of a hook repository, but what slows the copy.
_NOT_SOURCE = shutil.ignore_patterns(".git", "__pycache__", "*.egg-info", ".venv", "venv", "build", "dist", ".*_cache")

pytestmark = pytest.mark.slow


def _environment(tmp_path: Path) -> Dict[str, str]:
    # Outside variables that would point git at another repository (set when
    # the suite itself runs from a git hook) are dropped.
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        GIT_AUTHOR_NAME="leaklint tests",
        GIT_AUTHOR_EMAIL="tests@leaklint.invalid",
        GIT_COMMITTER_NAME="leaklint tests",
        GIT_COMMITTER_EMAIL="tests@leaklint.invalid",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=os.devnull,
        PRE_COMMIT_COLOR="never",
    )
    return env


def _git(env: Dict[str, str], cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout


def _source_files(env: Dict[str, str]) -> List[str]:
    """The checkout's files as git sees them (tracked and untracked, not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=CHECKOUT, env=env, capture_output=True, timeout=120,
    )
    if listed.returncode != 0:
        return []
    return [name for name in listed.stdout.decode("utf-8", "surrogateescape").split("\0") if name]


def snapshot_of_checkout(tmp_path: Path, env: Dict[str, str]) -> Path:
    """A one-commit repository holding this checkout's working tree."""
    snapshot = tmp_path / "leaklint-hook-repo"
    files = _source_files(env)
    if files:
        for name in files:
            source = CHECKOUT / name
            if source.is_file():  # a tracked file deleted in the working tree is left out
                target = snapshot / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
    else:  # not a git work tree (an unpacked source archive)
        shutil.copytree(CHECKOUT, snapshot, ignore=_NOT_SOURCE)
    assert (snapshot / ".pre-commit-hooks.yaml").is_file()
    _git(env, snapshot, "init", "--quiet")
    _git(env, snapshot, "add", "--all")
    _git(env, snapshot, "-c", "commit.gpgsign=false", "commit", "--quiet", "--message", "snapshot")
    return snapshot


def try_repo(project: Path, hook_repo: Path, env: Dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), "leaklint", "--all-files"],
        cwd=project, env=env, capture_output=True, text=True, timeout=600,
    )


def test_hook_fails_on_a_leak_and_passes_once_fixed(tmp_path):
    pytest.importorskip("pre_commit", reason="pre-commit is in the test extra: pip install '.[test]'")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = _environment(tmp_path)
    hook_repo = snapshot_of_checkout(tmp_path, env)

    project = tmp_path / "project"
    project.mkdir()
    _git(env, project, "init", "--quiet")
    (project / "app.py").write_text(LEAKY, encoding="utf-8")
    # Not Python: the hook's `types: [python]` keeps it out.
    (project / "notes.txt").write_text(LEAKY, encoding="utf-8")
    _git(env, project, "add", "app.py", "notes.txt")

    failed = try_repo(project, hook_repo, env)
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert "leaklint" in output and "Failed" in output, output
    assert "app.py:1:8: LL303 file opened by open() is never closed: it is left to the garbage collector" in output, output
    assert "notes.txt" not in output.split("hook id: leaklint", 1)[1], output

    (project / "app.py").write_text(FIXED, encoding="utf-8")
    _git(env, project, "add", "app.py")
    passed = try_repo(project, hook_repo, env)
    output = passed.stdout + passed.stderr
    assert passed.returncode == 0, output
    assert "Passed" in output and "LL303" not in output, output
