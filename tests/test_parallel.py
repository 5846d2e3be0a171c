"""-j/--jobs: the same output with one worker or many, small runs in-process, a dying worker contained."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from leaklint.batch import parallel, runner
from leaklint.core.engine import lint_source as real_lint_source

from .conftest import FIXTURES, codes_of, write

LEAKY = "data = open('p').read()\n"
HAS_FORK = "fork" in multiprocessing.get_all_start_methods()


@pytest.fixture
def small_runs_pooled(monkeypatch):
    """The fixtures are many files but few bytes: let them start a pool anyway."""
    monkeypatch.setattr(runner, "SMALL_RUN_BYTES", 0)


@pytest.fixture
def pool_runs(monkeypatch):
    """Counts the runs that start a pool."""
    calls = []
    real = runner.map_unordered

    def spy(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "map_unordered", spy)
    return calls


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_two_jobs_give_the_output_of_one(cli, pool_runs, small_runs_pooled, fmt):
    args = ("--isolated", "--no-cache", "--extend-select", "LL103", "--format", fmt, str(FIXTURES))
    one = cli(*args, "-j", "1")
    assert not pool_runs
    two = cli(*args, "-j", "2")
    assert len(pool_runs) == 1
    assert (two.code, two.out, two.err) == (one.code, one.out, one.err)
    assert one.code == 1 and one.out


@pytest.mark.slow
def test_the_default_is_a_pool_of_one_worker_per_core(cli, pool_runs, small_runs_pooled, monkeypatch):
    monkeypatch.setattr(parallel, "available_cores", lambda: 3)
    monkeypatch.setattr(runner, "available_cores", lambda: 3)
    run = cli("--isolated", "--no-cache", str(FIXTURES))
    assert run.code == 1
    assert [call[-1] for call in pool_runs] == [3]


@pytest.mark.slow
def test_workers_started_with_spawn_give_the_same_output(cli, pool_runs, small_runs_pooled, monkeypatch):
    args = ("--isolated", "--no-cache", "--format", "json", str(FIXTURES))
    one = cli(*args, "-j", "1")
    monkeypatch.setattr(parallel, "START_METHOD", "spawn")
    two = cli(*args, "-j", "2")
    assert len(pool_runs) == 1
    assert (two.code, two.out, two.err) == (one.code, one.out, one.err)


def test_a_few_files_are_linted_in_process(cli, pool_runs, tmp_path):
    for name in "abc":
        write(tmp_path / f"{name}.py", LEAKY)
    run = cli("--isolated", "-j", "2", "a.py", "b.py", "c.py", cwd=tmp_path)
    assert codes_of([{"code": line.split()[1]} for line in run.out.splitlines()]) == ["LL303"] * 3
    assert not pool_runs


def test_tiny_files_are_linted_in_process_however_many(cli, pool_runs, tmp_path):
    for number in range(20):
        write(tmp_path / f"m{number:02}.py", LEAKY)
    run = cli("--isolated", "--no-cache", "-j", "2", ".", cwd=tmp_path)
    assert len(run.out.splitlines()) == 20
    assert not pool_runs


@pytest.mark.skipif(not HAS_FORK, reason="the crash is injected into forked workers")
def test_a_worker_that_dies_does_not_end_the_run(cli, pool_runs, small_runs_pooled, monkeypatch, tmp_path):
    """The file a worker died on gets LL002; every other file is still linted."""
    for number in range(12):
        write(tmp_path / f"m{number:02}.py", LEAKY)
    write(tmp_path / "crash.py", LEAKY)

    def crashing(data, path, enabled, options):
        if path.endswith("crash.py") and multiprocessing.parent_process() is not None:
            os._exit(70)  # as a segfault in a native extension would, in the worker only
        return real_lint_source(data, path, enabled, options)

    monkeypatch.setattr(parallel, "START_METHOD", "fork")
    monkeypatch.setattr(runner, "lint_source", crashing)
    run = cli("--isolated", "-j", "2", "--format", "json", ".", cwd=tmp_path)
    assert pool_runs
    assert run.code == 1
    by_path = {f["path"]: f for f in run.findings}
    assert sorted(by_path) == ["crash.py", *(f"m{number:02}.py" for number in range(12))]
    assert by_path["crash.py"]["code"] == "LL002"
    assert "worker process died" in by_path["crash.py"]["message"]
    assert "report" in by_path["crash.py"]["message"]
    assert {f["code"] for path, f in by_path.items() if path != "crash.py"} == {"LL303"}

    # The crash was not cached: once fixed, the file is linted again.
    monkeypatch.setattr(runner, "lint_source", real_lint_source)
    again = cli("--isolated", "-j", "2", "--format", "json", ".", cwd=tmp_path)
    assert [(f["path"], f["code"]) for f in again.findings if f["path"] == "crash.py"] == [("crash.py", "LL303")]


# --- the pool on its own ----------------------------------------------------------------


def _square(shared, item):
    if item == "die":
        os._exit(70)
    if item == "raise":
        raise ValueError("bad item")
    return shared * item * item


@pytest.mark.skipif(not HAS_FORK, reason="a test function is sent to forked workers")
def test_map_unordered_contains_deaths_and_exceptions(monkeypatch):
    monkeypatch.setattr(parallel, "START_METHOD", "fork")
    items = [*range(20), "die", "raise", *range(20, 30)]
    weights = [1] * len(items)
    results = dict(parallel.map_unordered(_square, 2, items, weights, 2))
    assert sorted(results) == list(range(len(items)))
    for index, item in enumerate(items):
        if item == "die":
            assert isinstance(results[index], parallel.Failure) and "died" in results[index].reason
        elif item == "raise":
            assert results[index] == parallel.Failure("the worker process failed on this file (ValueError: bad item)")
        else:
            assert results[index] == 2 * item * item


def test_chunks_put_heavy_items_alone_and_cover_everything():
    weights = [1000, 5, 5, 5, 5, 800, 5, 5, 5, 5, 5, 5]
    chunks = parallel.make_chunks(range(len(weights)), weights, 2)
    assert chunks[0] == [0] and chunks[1] == [5]
    assert sorted(index for chunk in chunks for index in chunk) == list(range(len(weights)))
    many = parallel.make_chunks(range(1000), [1] * 1000, 2)
    assert max(len(chunk) for chunk in many) <= parallel.MAX_CHUNK


# --- configuration ----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "-1", "'many'", "true", "1.5", "[2]"])
def test_a_bad_jobs_setting_is_an_error_naming_the_key(cli, tmp_path, value):
    write(tmp_path / "pyproject.toml", f"[tool.leaklint]\njobs = {value}\n")
    write(tmp_path / "a.py", LEAKY)
    run = cli("a.py", cwd=tmp_path)
    assert run.code == 2 and run.out == ""
    assert "'jobs'" in run.err and "pyproject.toml" in run.err and "positive integer" in run.err
    assert "Traceback" not in run.err


@pytest.mark.parametrize("value", ["2", "'auto'"])
def test_jobs_setting(cli, pool_runs, tmp_path, value):
    write(tmp_path / "pyproject.toml", f"[tool.leaklint]\njobs = {value}\n")
    for number in range(10):
        write(tmp_path / f"m{number}.py", LEAKY + "# padding\n" * 2000)  # enough bytes for a pool
    run = cli("--format", "json", ".", cwd=tmp_path)
    assert run.code == 1 and len(run.findings) == 10
    expected = 2 if value == "2" else parallel.available_cores()
    assert [call[-1] for call in pool_runs] == ([expected] if expected > 1 else [])


@pytest.mark.parametrize("value", ["0", "-2", "x"])
def test_a_bad_jobs_flag_is_a_usage_error(cli, capsys, tmp_path, value):
    write(tmp_path / "a.py", LEAKY)
    with pytest.raises(SystemExit) as exit_info:
        cli("--isolated", "-j", value, "a.py", cwd=tmp_path)
    assert exit_info.value.code == 2
    assert "argument -j/--jobs: must be a positive integer or 'auto'" in capsys.readouterr().err


def test_jobs_flag_overrides_the_setting(cli, pool_runs, tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.leaklint]\njobs = 2\n")
    for number in range(10):
        write(tmp_path / f"m{number}.py", LEAKY + "# padding\n" * 2000)
    assert cli("--no-cache", "-j", "1", ".", cwd=tmp_path).code == 1
    assert not pool_runs
