"""The findings cache: same bytes warm and cold, invalidated by every input, safe to share."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from leaklint.batch import runner
from leaklint.batch.cache import CACHEDIR_TAG, MAX_VARIANTS, PRUNE_INTERVAL, _entry_path
from leaklint.core.engine import lint_source as real_lint_source

from .conftest import GROWING, LEAKY, ROOT, write, write_project

NET = "import socket\n\n\ndef connect():\n    return socket.create_connection(('example.com', 80))\n"
NOT_A_SOCKET = "def connect():\n    return 42\n"
APP = "from .net import connect\n\n\ndef ping():\n    conn = connect()\n    conn.sendall(b'ping')\n"


@pytest.fixture
def linted(monkeypatch) -> List[str]:
    """The paths the engine is asked to lint (runs of a few files stay in-process)."""
    paths: List[str] = []

    def counting(data, path, enabled, options):
        paths.append(path)
        return real_lint_source(data, path, enabled, options)

    monkeypatch.setattr(runner, "lint_source", counting)
    return paths


@pytest.fixture
def project(tmp_path) -> Path:
    write(tmp_path / "pyproject.toml", "[tool.leaklint]\nextend-select = ['LL103']\n")
    write(tmp_path / "pkg" / "__init__.py", "")
    write_project(tmp_path)
    write(tmp_path / "pkg" / "net.py", NET)
    write(tmp_path / "pkg" / "app.py", APP)
    write(tmp_path / "pkg" / "broken.py", "def f(:\n")
    return tmp_path


def entries(folder: Path) -> List[Path]:
    return sorted((folder / "v1").glob("*/*.json"))


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_warm_run_prints_the_bytes_of_a_cold_one(cli, linted, project, fmt):
    cold = cli("--format", fmt, "--show-source", "pkg", cwd=project)
    assert cold.code == 1 and "LL303" in cold.out and "LL001" in cold.out and "LL301" in cold.out
    assert len(linted) == 7
    warm = cli("--format", fmt, "--show-source", "pkg", cwd=project)
    assert (warm.code, warm.out, warm.err) == (cold.code, cold.out, cold.err)
    assert len(linted) == 7, "nothing linted again"


def test_the_cache_folder_is_tagged_and_ignored(cli, project):
    cli(".", cwd=project / "pkg")  # run from a subfolder: the cache is beside pyproject.toml
    folder = project / ".leaklint_cache"
    assert (folder / "CACHEDIR.TAG").read_text() == CACHEDIR_TAG
    assert CACHEDIR_TAG.startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert len(entries(folder)) == 7
    assert not (project / "pkg" / ".leaklint_cache").exists()


def test_without_configuration_the_cache_is_in_the_current_folder(cli, tmp_path):
    write(tmp_path / "src" / "leaky.py", LEAKY)
    cli("--isolated", "src", cwd=tmp_path)
    assert len(entries(tmp_path / ".leaklint_cache")) == 1


def test_changing_one_file_lints_only_that_file(cli, linted, project):
    first = cli("--format", "json", "pkg", cwd=project)
    linted.clear()
    write(project / "pkg" / "clean.py", "data = open('p').read()\n")
    second = cli("--format", "json", "pkg", cwd=project)
    assert linted == ["pkg/clean.py"]
    assert [f for f in second.findings if f["path"] != "pkg/clean.py"] == first.findings
    assert [f["code"] for f in second.findings if f["path"] == "pkg/clean.py"] == ["LL303"]
    assert len(entries(project / ".leaklint_cache")) == 7, "an entry per file, replaced when it changes"


def test_changing_an_imported_module_lints_its_importers_again(cli, linted, project):
    first = cli("--format", "json", "pkg", cwd=project)
    assert ("pkg/app.py", "LL301") in [(f["path"], f["code"]) for f in first.findings]
    linted.clear()
    write(project / "pkg" / "net.py", NOT_A_SOCKET)  # connect() no longer returns a socket
    run = cli("--format", "json", "pkg", cwd=project)
    assert sorted(linted) == ["pkg/app.py", "pkg/net.py"]
    assert not [f for f in run.findings if f["path"] == "pkg/app.py"]


def test_an_importer_is_linted_again_when_its_module_goes_or_comes(cli, linted, project):
    app = ["pkg/app.py"]
    cli("--format", "json", *app, cwd=project)
    (project / "pkg" / "net.py").unlink()
    linted.clear()
    assert cli("--format", "json", *app, cwd=project).code == 0
    assert linted == app
    linted.clear()
    assert cli("--format", "json", *app, cwd=project).code == 0
    assert linted == []
    write(project / "pkg" / "net.py", NET)  # the module appears again: the finding with it
    run = cli("--format", "json", *app, cwd=project)
    assert linted == app
    assert [f["code"] for f in run.findings] == ["LL301"]


def test_configuration_is_part_of_the_key(cli, linted, project):
    cli("pkg/leaky.py", cwd=project)
    linted.clear()
    run = cli("--ignore", "LL303", "--format", "json", "pkg/leaky.py", cwd=project)
    assert (run.code, linted) == (0, ["pkg/leaky.py"])
    write(project / "pyproject.toml", "[tool.leaklint]\nresource-functions = ['mylib.connect']\n")
    linted.clear()
    cli("pkg/leaky.py", cwd=project)
    assert linted == ["pkg/leaky.py"]
    # Both earlier results are still there: switching back costs nothing.
    linted.clear()
    write(project / "pyproject.toml", "[tool.leaklint]\nextend-select = ['LL103']\n")
    assert cli("pkg/leaky.py", cwd=project).code == 1
    assert cli("--ignore", "LL303", "pkg/leaky.py", cwd=project).code == 0
    assert linted == []


def test_variants_per_file_are_bounded(cli, project):
    for code in ("LL106", "LL107", "LL301", "LL302", "LL304", "LL305"):  # each one on by default
        cli("--ignore", code, "pkg/leaky.py", cwd=project)
    (entry,) = entries(project / ".leaklint_cache")
    assert len(json.loads(entry.read_text())["variants"]) == MAX_VARIANTS


def test_a_corrupt_or_foreign_entry_is_ignored_and_rewritten(cli, linted, project):
    cold = cli("--format", "json", "pkg", cwd=project)
    files = entries(project / ".leaklint_cache")
    files[0].write_bytes(b"\x00not json{")
    files[1].write_text(json.dumps({"tool": "another", "path": "/elsewhere.py", "variants": []}))
    data = json.loads(files[2].read_text())
    data["variants"][0]["findings"] = [["one", 2, "LL303", "x", 1, 1, None]]
    files[2].write_text(json.dumps(data))
    files[3].write_text("[]")
    linted.clear()
    warm = cli("--format", "json", "pkg", cwd=project)
    assert (warm.code, warm.out) == (cold.code, cold.out)
    assert len(linted) == 4
    for entry in files[:4]:
        assert json.loads(entry.read_text())["variants"], "rewritten"
    linted.clear()
    assert cli("--format", "json", "pkg", cwd=project).out == cold.out
    assert linted == []


def test_no_cache_writes_nothing_and_reads_nothing(cli, linted, project):
    cli("--no-cache", "pkg", cwd=project)
    assert not (project / ".leaklint_cache").exists()
    cli("pkg", cwd=project)
    linted.clear()
    cli("--no-cache", "pkg", cwd=project)
    assert len(linted) == 7


def test_standard_input_is_never_cached(cli, linted, tmp_path):
    for _ in range(2):
        run = cli("--isolated", "-", "--stdin-filename", "app.py", stdin=LEAKY.encode(), cwd=tmp_path)
        assert run.code == 1
    assert linted == ["app.py", "app.py"]
    assert not (tmp_path / ".leaklint_cache").exists()


def test_cache_dir_flag_and_setting(cli, project, tmp_path):
    cli("--cache-dir", "elsewhere", "pkg/leaky.py", cwd=project)
    assert len(entries(project / "elsewhere")) == 1
    assert not (project / ".leaklint_cache").exists()
    write(project / "pyproject.toml", "[tool.leaklint]\ncache-dir = 'build/lint-cache'\n")
    cli("leaky.py", cwd=project / "pkg")  # relative to the configuration file, not the current folder
    assert len(entries(project / "build" / "lint-cache")) == 1


def test_a_bad_cache_dir_setting_is_an_error(cli, project):
    write(project / "pyproject.toml", "[tool.leaklint]\ncache-dir = 3\n")
    run = cli("pkg", cwd=project)
    assert run.code == 2 and "'cache-dir'" in run.err


def test_a_folder_that_is_not_a_cache_is_left_alone(cli, project):
    write(project / "notes" / "todo.txt", "keep me\n")
    run = cli("--cache-dir", "notes", "pkg/leaky.py", cwd=project)
    assert run.code == 1 and "LL303" in run.out
    assert "not used as a cache" in run.err
    assert sorted(p.name for p in (project / "notes").iterdir()) == ["todo.txt"]


def test_an_engine_failure_is_not_cached(cli, monkeypatch, project):
    def failing(data, path, enabled, options):
        raise RuntimeError("engine bug")

    monkeypatch.setattr(runner, "lint_source", failing)
    assert {f["code"] for f in cli("--format", "json", "pkg", cwd=project).findings} == {"LL002"}
    monkeypatch.setattr(runner, "lint_source", real_lint_source)
    assert "LL002" not in {f["code"] for f in cli("--format", "json", "pkg", cwd=project).findings}


@pytest.mark.slow
def test_concurrent_runs_share_the_cache(project):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    for name in range(30):
        write(project / "more" / f"m{name:02}.py", LEAKY + GROWING)
    command = [sys.executable, "-m", "leaklint", "--format", "json", "-j", "1", "pkg", "more"]
    runs = [
        subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    outputs = []
    for process in runs:
        out, err = process.communicate(timeout=120)
        outputs.append((process.returncode, out, err))
    warm = subprocess.run(command, cwd=project, env=env, capture_output=True, timeout=120, check=False)
    assert {output for output in outputs} == {(1, warm.stdout, b"")}
    assert len(entries(project / ".leaklint_cache")) == 37
    assert not list((project / ".leaklint_cache").rglob(".tmp-*"))


def test_a_cache_that_cannot_be_written_is_a_warning(cli, project):
    run = cli("--cache-dir", "pkg/leaky.py/cache", "--format", "json", "pkg", cwd=project)
    assert run.code == 1 and {f["code"] for f in run.findings} >= {"LL303", "LL301"}
    (warning,) = run.err.splitlines()
    assert warning.startswith("leaklint: warning: ") and "cannot write the cache" in warning


def test_a_new_cache_folder_being_tagged_by_another_run_is_used(cli, project):
    """Three runs start at once: one has made the folder and is writing its
    CACHEDIR.TAG (a temporary file, then a rename) when another looks in."""
    write(project / ".leaklint_cache" / ".tmp-4242-0123456789abcdef", "Signature: 8a477f597d28d172789f06886806bc55\n")
    run = cli("pkg/leaky.py", cwd=project)
    assert run.code == 1 and "not used as a cache" not in run.err
    assert len(entries(project / ".leaklint_cache")) == 1


def age_prune_stamp(folder: Path) -> None:
    stamp = folder / "v1" / ".pruned"
    day_ago = stamp.stat().st_mtime - PRUNE_INTERVAL - 1
    os.utime(stamp, (day_ago, day_ago))


def test_entries_of_deleted_files_are_pruned_once_a_day(cli, project):
    cli("pkg", cwd=project)
    folder = project / ".leaklint_cache"
    assert len(entries(folder)) == 7
    (project / "pkg" / "leaky.py").unlink()
    (project / "pkg" / "growing.py").rename(project / "pkg" / "renamed.py")
    cli("pkg", cwd=project)
    assert len(entries(folder)) == 8, "a new cache is not pruned within its first day"
    age_prune_stamp(folder)
    run = cli("--format", "json", "pkg/clean.py", cwd=project)  # a run over one file prunes the whole cache
    assert run.code == 0 and run.err == ""
    kept = {json.loads(entry.read_text())["path"] for entry in entries(folder)}
    names = ("__init__.py", "clean.py", "net.py", "app.py", "broken.py", "renamed.py")
    assert kept == {str(project / "pkg" / name) for name in names}
    (project / "pkg" / "net.py").unlink()
    cli("pkg", cwd=project)
    assert len(entries(folder)) == 6, "pruned again within the day"


def test_pruning_leaves_what_is_not_an_entry_of_this_project(cli, project, tmp_path_factory):
    cli("pkg", cwd=project)
    folder = project / ".leaklint_cache"
    shard = entries(folder)[0].parent

    def entry_for(path: Path) -> str:
        return json.dumps({"tool": "0" * 64, "path": str(path), "variants": []}, separators=(",", ":"))

    foreign = {
        # another project's file, sharing the folder
        shard / ("f" * 64 + ".json"): entry_for(tmp_path_factory.mktemp("other") / "gone.py"),
        shard / ".tmp-1-abcdef.json": entry_for(project / "gone.py"),  # being written
        shard / "notes.json": entry_for(project / "gone.py"),
        shard / ("e" * 64 + ".json"): json.dumps({"data": {"path": str(project / "gone.py")}}),
    }
    gone = shard / ("d" * 64 + ".json")
    gone.write_text(entry_for(project / "gone.py"))
    for path, text in foreign.items():
        path.write_text(text)
    age_prune_stamp(folder)
    cli("pkg", cwd=project)
    assert all(path.exists() for path in foreign)
    assert not gone.exists()


def test_an_entry_that_cannot_be_removed_does_not_stop_the_others(cli, project, monkeypatch):
    cli("pkg", cwd=project)
    folder = project / ".leaklint_cache"
    for name in ("leaky.py", "growing.py", "clean.py"):
        (project / "pkg" / name).unlink()
    refused = []
    real_unlink = os.unlink

    def unlink(path, *args, **kwargs):
        if not refused:
            refused.append(path)
            raise PermissionError(13, "Permission denied", path)
        return real_unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", unlink)
    age_prune_stamp(folder)
    assert cli("pkg", cwd=project).err == ""
    assert len(refused) == 1 and len(entries(folder)) == 4 + 1


def test_a_path_in_an_entry_is_read_from_its_start(tmp_path):
    entry = tmp_path / "e.json"
    entry.write_text(json.dumps({"tool": "a" * 64, "path": 'C:\\a "b".py', "variants": []}, separators=(",", ":")))
    assert _entry_path(str(entry)) == 'C:\\a "b".py'
    entry.write_text(json.dumps({"data": {"path": "/elsewhere.py"}}))
    assert _entry_path(str(entry)) is None
