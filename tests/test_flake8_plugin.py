"""The flake8 plugin, through the real ``flake8`` command: the same findings
as the ``leaklint`` command, at the same positions."""

from __future__ import annotations

import re
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import pytest

from .conftest import FIXTURES, ROOT, write

FIXTURE_FILES = sorted(FIXTURES.rglob("*.py"))
# ``path:line:col: CODE message``, flake8's default format and leaklint's text format.
LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]+\d+) ")

LEAKY = 'data = open("x").read()\n'

pytestmark = pytest.mark.slow  # every test runs the flake8 command


def run(command: List[str], cwd: Path, stdin: Optional[str] = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=cwd, input=stdin, capture_output=True, text=True, encoding="utf-8", timeout=300
    )


def flake8(*args: str, cwd: Path = ROOT, stdin: Optional[str] = None) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "flake8", *args], cwd, stdin)


def leaklint(*args: str, cwd: Path = ROOT, stdin: Optional[str] = None) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "leaklint", *args], cwd, stdin)


def lines_with(output: str, prefix: str) -> List[str]:
    """The finding lines whose code starts with ``prefix``, in output order."""
    return [line for line in output.splitlines() if (m := LINE.match(line)) and m.group("code").startswith(prefix)]


def by_path(lines: List[str]) -> Dict[str, List[str]]:
    found: Dict[str, List[str]] = {}
    for line in lines:
        found.setdefault(LINE.match(line).group("path"), []).append(line)
    return found


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@lru_cache(maxsize=None)
def whole_fixture_runs() -> Tuple[Dict[str, List[str]], Dict[str, List[str]], str]:
    """(flake8's LL findings by file, the CLI's by file, flake8's output), over
    every fixture, with every rule selected for both."""
    folder = relative(FIXTURES)
    flake8_run = flake8("--isolated", "--select", "LL,E999", "-j", "1", folder)
    cli_run = leaklint("--isolated", "--select", "LL", folder)
    assert flake8_run.returncode == 1, flake8_run.stdout + flake8_run.stderr
    assert cli_run.returncode == 1, cli_run.stdout + cli_run.stderr
    return by_path(lines_with(flake8_run.stdout, "LL")), by_path(lines_with(cli_run.stdout, "LL")), flake8_run.stdout


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_same_findings_as_the_command_line(path):
    flake8_findings, cli_findings, _ = whole_fixture_runs()
    name = relative(path)
    expected = [line for line in cli_findings.get(name, []) if " LL001 " not in line]
    assert flake8_findings.get(name, []) == expected


def test_the_comparison_is_not_empty():
    flake8_findings, cli_findings, _ = whole_fixture_runs()
    assert sum(map(len, flake8_findings.values())) >= 50
    checked = {path for path, lines in cli_findings.items() if any(" LL001 " not in line for line in lines)}
    assert set(flake8_findings) == checked


def test_syntax_error_is_flake8s_E999_not_LL001():
    _, _, output = whole_fixture_runs()
    name = relative(FIXTURES / "diagnostics" / "syntax_error.py")
    assert [line for line in output.splitlines() if line.startswith(name + ":")] and all(
        " E999 " in line for line in output.splitlines() if line.startswith(name + ":")
    )
    assert " LL001 " not in output


def test_parallel_jobs_give_the_same_findings():
    folder = relative(FIXTURES)
    serial = flake8("--isolated", "--select", "LL", "-j", "1", folder)
    parallel = flake8("--isolated", "--select", "LL", "-j", "2", folder)
    assert parallel.returncode == serial.returncode == 1, parallel.stderr
    assert lines_with(parallel.stdout, "LL") == lines_with(serial.stdout, "LL")
    assert sorted(lines_with(parallel.stdout, "LL")) == sorted(
        line for lines in whole_fixture_runs()[0].values() for line in lines
    )


def test_stdin_with_a_display_name(tmp_path):
    fixture = FIXTURES / "LL303" / "positive.py"
    source = fixture.read_text(encoding="utf-8")
    piped = flake8(
        "--isolated", "--select", "LL", "--stdin-display-name", "shown/app.py", "-", stdin=source, cwd=tmp_path
    )
    from_file = flake8("--isolated", "--select", "LL", relative(fixture))
    assert piped.returncode == 1, piped.stderr
    found = lines_with(piped.stdout, "LL")
    assert found and all(line.startswith("shown/app.py:") for line in found)
    assert found == [line.replace(relative(fixture), "shown/app.py", 1) for line in lines_with(from_file.stdout, "LL")]


def test_no_file_is_read_again_from_disk(tmp_path):
    # With --stdin-display-name naming a real file, the piped text is what is linted.
    write(tmp_path / "app.py", "x = 1\n")
    piped = flake8("--isolated", "--select", "LL", "--stdin-display-name", "app.py", "-", stdin=LEAKY, cwd=tmp_path)
    assert lines_with(piped.stdout, "LL") == [
        "app.py:1:8: LL303 file opened by open() is never closed: it is left to the garbage collector; use 'with open(...) as f:'"
    ]


CONNECT = """\
from app.net import connect


def fetch():
    conn = connect("host")
    return conn.recv(10)
"""


@pytest.mark.parametrize("config", ["setup.cfg", "tox.ini", ".flake8"])
def test_resource_functions_from_a_config_file(tmp_path, config):
    write(tmp_path / "fetch.py", CONNECT)
    before = flake8("--select", "LL", "fetch.py", cwd=tmp_path)
    assert before.returncode == 0 and not before.stdout, before.stdout + before.stderr
    write(tmp_path / config, "[flake8]\nleaklint-resource-functions = app.net.connect, app.net.listen\n")
    after = flake8("--select", "LL", "fetch.py", cwd=tmp_path)
    cli = leaklint("--isolated", "--select", "LL", "fetch.py", cwd=tmp_path)
    assert after.returncode == 1, after.stderr
    assert [line.split(": ", 1)[1].split()[0] for line in lines_with(after.stdout, "LL")] == ["LL301"]
    assert lines_with(after.stdout, "LL")[0].startswith("fetch.py:5:12: LL301 ")
    assert cli.stdout == ""  # the CLI does not read flake8's configuration


def test_resource_functions_reach_worker_processes(tmp_path):
    for name in ("one.py", "two.py", "three.py"):
        write(tmp_path / name, CONNECT)
    write(tmp_path / "setup.cfg", "[flake8]\nleaklint-resource-functions = app.net.connect\n")
    script = (
        "import multiprocessing, sys\n"
        "multiprocessing.set_start_method('spawn')\n"
        "from flake8.main.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    spawned = run([sys.executable, "-c", script, "--select", "LL", "-j", "2", "."], tmp_path)
    assert sorted(lines_with(spawned.stdout, "LL301")) == [
        f"./{name}:5:12: LL301 resource returned by connect() is not closed on every path: one leaves it to the garbage collector; "
        "use 'with connect(...)', or release it in a 'finally'"
        for name in ("one.py", "three.py", "two.py")
    ], spawned.stdout + spawned.stderr


def test_callback_registries_option(tmp_path):
    write(
        tmp_path / "session.py",
        "from app.events import bus\n"
        "\n"
        "class Session:\n"
        "    def __init__(self):\n"
        "        bus.attach_watcher(self.on_event)\n"
        "\n"
        "    def on_event(self):\n"
        "        pass\n",
    )
    before = flake8("--isolated", "--select", "LL", "session.py", cwd=tmp_path)
    after = flake8(
        "--isolated", "--select", "LL", "--leaklint-callback-registries", "attach_watcher", "session.py", cwd=tmp_path
    )
    assert lines_with(before.stdout, "LL") == []
    assert [line.split(": ", 1)[1][:5] for line in lines_with(after.stdout, "LL")] == ["LL201"], after.stdout


@pytest.mark.parametrize(
    "option, values, message",
    [
        (
            "leaklint-resource-functions",
            "app.net.connect, connect",
            "'leaklint-resource-functions' entry 'connect' must be a dotted name",
        ),
        ("leaklint-callback-registries", "attach, add-hook", "'leaklint-callback-registries' entry 'add-hook'"),
    ],
)
def test_invalid_option_value_stops_flake8(tmp_path, option, values, message):
    write(tmp_path / "fetch.py", CONNECT)
    write(tmp_path / "setup.cfg", f"[flake8]\n{option} = {values}\n")
    result = flake8("--select", "LL", "fetch.py", cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    assert f"leaklint: {message}" in result.stdout + result.stderr


def test_noqa(tmp_path):
    write(
        tmp_path / "app.py",
        'a = open("a").read()  # noqa: LL303\n'
        'b = open("b").read()  # noqa: E501\n'
        'c = open("c").read()  # noqa\n'
        'd = open("d").read()  # noqa: LL3\n',
    )
    result = flake8("--isolated", "--select", "LL", "app.py", cwd=tmp_path)
    assert lines_with(result.stdout, "LL") == [
        "app.py:2:5: LL303 file opened by open() is never closed: it is left to the garbage collector; use 'with open(...) as f:'"
    ]


def test_per_file_ignores(tmp_path):
    write(tmp_path / "app.py", LEAKY)
    write(tmp_path / "legacy" / "old.py", LEAKY)
    result = flake8("--isolated", "--select", "LL", "--per-file-ignores", "legacy/*:LL303", ".", cwd=tmp_path)
    assert [LINE.match(line).group("path") for line in lines_with(result.stdout, "LL")] == ["./app.py"]


def test_opt_in_rules_are_off_by_default(tmp_path):
    from leaklint.core.registry import rule_for_code

    assert not rule_for_code("LL103").default_enabled
    fixture = relative(FIXTURES / "LL103" / "positive.py")
    plain = flake8("--isolated", fixture)
    extended = flake8("--isolated", "--extend-select", "LL103", fixture)
    assert lines_with(plain.stdout, "LL") == []
    assert lines_with(extended.stdout, "LL103")
    # Rules on by default are reported by a plain flake8 run.
    default_on = flake8("--isolated", relative(FIXTURES / "LL303" / "positive.py"))
    assert lines_with(default_on.stdout, "LL303")


def test_flake8_lists_the_plugin():
    result = flake8("--version")
    assert "flake8-leaklint" in result.stdout
