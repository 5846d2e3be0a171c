"""``leaklint run``: the watch over a program, in a subprocess as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from .conftest import write

APP = '''\
_seen = {}


def handle(request_id):
    if request_id not in _seen:
        _seen[request_id] = {"id": request_id}
    return _seen[request_id]
'''

SERVER = '''\
import sys
import time

import app


def main():
    for n in range(60):
        app.handle(f"req-{n}")
        time.sleep(0.01)
    print("served", len(app._seen))
    return 3


if __name__ == "__main__":
    sys.exit(main())
'''


def _run(tmp_path, *args):
    return subprocess.run(
        [sys.executable, "-m", "leaklint", "run", "--interval", "0.05", *args],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.slow
def test_a_growing_cache_is_confirmed_and_the_program_keeps_its_output_and_status(tmp_path):
    write(tmp_path / "app.py", APP)
    write(tmp_path / "server.py", SERVER)
    done = _run(tmp_path, "server.py")
    assert done.returncode == 3
    assert done.stdout == "served 60\n"
    assert "app.py:1:1: LL101 module-level dict '_seen'" in done.stderr
    assert "[confirmed: " in done.stderr and "entries over" in done.stderr
    assert done.stderr.rstrip().endswith("leaklint run: 1 watched: 1 confirmed")


@pytest.mark.slow
def test_a_module_with_a_json_report(tmp_path):
    write(tmp_path / "app.py", APP)
    write(tmp_path / "server.py", SERVER)
    done = _run(tmp_path, "--format", "json", "--output-file", "report.json", "-m", "server")
    assert done.returncode == 3
    records = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert [(r["path"], r["code"], r["verdict"]) for r in records] == [("app.py", "LL101", "confirmed")]
    # Its last size: at exit, or in the last sample before, when nothing changed after it.
    assert records[0]["evidence"]["series"][-1][1] == 60


def test_a_program_that_never_grows_it(tmp_path):
    write(tmp_path / "app.py", APP)
    write(tmp_path / "once.py", "import app\napp.handle('only')\n")
    done = _run(tmp_path, "once.py")
    assert done.returncode == 0
    assert done.stderr.rstrip().endswith("leaklint run: 1 watched: 1 not-grown")


def test_nothing_to_run_is_a_usage_error(tmp_path):
    done = _run(tmp_path)
    assert done.returncode == 2
    assert "give a script to run, or -m MODULE" in done.stderr


@pytest.mark.slow
def test_after_ctrl_c_the_program_stops_and_the_report_is_written(tmp_path):
    import signal

    write(tmp_path / "app.py", APP)
    write(
        tmp_path / "forever.py",
        "import time\nimport app\nprint('started', flush=True)\nn = 0\n"
        "while True:\n    app.handle(n)\n    n += 1\n    time.sleep(0.005)\n",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "leaklint", "run", "--interval", "0.05", "forever.py"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout.readline() == "started\n"
        time.sleep(1.0)  # some samples
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130
    assert "leaklint run: interrupted" in err
    assert "leaklint run: 1 watched: 1 " in err


def test_the_idle_tail_of_a_timed_run_is_not_a_plateau():
    from types import SimpleNamespace

    from leaklint.runtime.verdicts import CONFIRMED, verdict
    from leaklint.runtime.watcher import Watcher
    from leaklint.watch import WatchTarget

    growing = SimpleNamespace(path="app.py", code="LL101", watch=WatchTarget("attribute", "_seen"))
    steady = SimpleNamespace(path="app.py", code="LL101", watch=WatchTarget("attribute", "_routes"))
    watcher = Watcher([growing, steady], unit="samples")
    sizes = [10 * n for n in range(20)] + [190] * 15  # a workload, then the program winding down
    for index, size in enumerate(sizes):
        label = f"{index / 10:.1f}s"
        watcher.labels.append(label)
        watcher.watched[0][2].add(label, size)
        watcher.watched[1][2].add(label, 5)
    assert verdict(watcher.watched[0][2]) != CONFIRMED  # the quiet tail reads as a plateau
    watcher.trim_idle_tail()
    assert verdict(watcher.watched[0][2]) == CONFIRMED
    assert len(watcher.watched[1][2].samples) == 20
