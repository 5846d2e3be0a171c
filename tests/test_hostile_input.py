"""Hostile input: huge, deep and odd files, odd paths and streams, and Ctrl-C.

Each is linted without a crash, a hang or a traceback; a file leaklint cannot
analyse gets one finding that says why (LL001 when Python's parser rejects it,
LL003 when Python accepts it but libcst or the analysis gives up) and the
other files of the run are still linted. Complements ``test_bad_input.py``.
"""

from __future__ import annotations

import ast
import json
import multiprocessing
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

from leaklint import runner
from leaklint.api import LintFinding, lint_paths
from leaklint.parsing import PARSER_FRAMES, frames_above_caller

from .conftest import FIXTURES, ROOT, codes_of, write
from .test_bad_input import LEAKY, by_path, leaklint_process, needs_fifo, no_traceback

DISCARDED = "data = open('p').read()\n"  # LL303 at 1:8
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX processes, signals and file names")


def python_rejects(source: str) -> bool:
    """``ast.parse``'s verdict with the stack of a fresh interpreter (leaklint's definition)."""
    try:
        with frames_above_caller(PARSER_FRAMES):
            ast.parse(source)
    except (SyntaxError, RecursionError, MemoryError):
        return True
    return False


def subprocess_env(**extra: str) -> Dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("LEAKLINT_DEBUG", None)
    env.update(extra)
    return env


# --- long operator chains -------------------------------------------------------------------


def test_bool_chain_of_10000_terms_is_ll003_not_a_segfault(tmp_path):
    """``ast`` keeps ``a and b and ...`` flat, so Python accepts any length; libcst
    nests one level per operator and its native parser overflows the C stack
    (a segmentation fault at ~8,000 terms): the statement is LL003, the rest of
    the file and the other files are linted."""
    chain = "ok = open(p) and " + " and ".join(["a"] * 10_000) + "\n"
    write(tmp_path / "chain.py", DISCARDED + chain)
    write(tmp_path / "leaky.py", LEAKY)
    assert not python_rejects(DISCARDED + chain)
    run = leaklint_process("--isolated", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    assert run.code == 1, (run.code, run.err)  # negative: killed by a signal
    no_traceback(run)
    found = by_path(run.findings)
    assert [(f["line"], f["code"]) for f in found["chain.py"]] == [(1, "LL303"), (2, "LL003")]
    assert "nested too deeply for libcst" in found["chain.py"][1]["message"]
    assert codes_of(found["leaky.py"]) == ["LL303"]


@pytest.mark.parametrize("operator", ["+", "and", "or"])
def test_operator_chain_of_3000_terms_is_answered_in_seconds(cli, tmp_path, operator):
    """libcst's parser is super-linear on long chains (4,000 terms: 3.5 s). A
    3,000-term chain gets its verdict in seconds: LL001 where Python's parser
    gives up (``+`` under the default recursion limit of Python 3.11), else
    analysed or LL003 for that statement, and the file's other statements
    and the other files are linted."""
    chain = "x = open(p) " + operator + " " + f" {operator} ".join(["a"] * 3_000) + "\n"
    source = DISCARDED + chain
    write(tmp_path / "chain.py", source)
    write(tmp_path / "leaky.py", LEAKY)
    start = time.monotonic()
    run = cli("--isolated", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    assert time.monotonic() - start < 30
    no_traceback(run)
    assert run.code == 1
    found = by_path(run.findings)
    assert codes_of(found["leaky.py"]) == ["LL303"]
    if python_rejects(source):
        [finding] = found["chain.py"]
        assert finding["code"] == "LL001"
        assert "too deeply nested" in finding["message"]
    else:
        assert (1, "LL303") in [(f["line"], f["code"]) for f in found["chain.py"]]
        assert not {"LL001", "LL002"} & set(codes_of(found["chain.py"]))


def test_bool_chain_of_2000_terms_is_analysed(cli, tmp_path):
    write(tmp_path / "chain.py", "x = open(p) and " + " and ".join(["a"] * 2_000) + "\n" + DISCARDED)
    run = cli("--isolated", "--no-cache", "--format", "json", "chain.py", cwd=tmp_path)
    no_traceback(run)
    assert [(f["line"], f["code"]) for f in run.findings] == [(2, "LL303")]


@pytest.fixture
def pooled(monkeypatch):
    """Runs go to the worker pool however few and small their files are."""
    monkeypatch.setattr(runner, "SMALL_RUN_FILES", 1)
    monkeypatch.setattr(runner, "SMALL_RUN_BYTES", 0)


def _in_process_and_in_workers(folder: Path) -> Tuple[List[LintFinding], List[LintFinding]]:
    """Findings of ``folder`` linted here (deep in pytest's stack) and by
    worker processes (near the bottom of theirs)."""
    config = {"select": ["LL"]}
    return lint_paths([folder], config={**config, "jobs": 1}), lint_paths([folder], config={**config, "jobs": 2})


def test_python_parser_verdict_does_not_depend_on_the_stack(pooled, tmp_path):
    """Python's parser counts the caller's frames against the recursion limit:
    a ~2,950-term chain was clean with ``-j 1`` and LL001 with ``-j 2``."""
    for terms in range(2_700, 3_100, 5):
        write(tmp_path / f"chain{terms}.py", "x = " + " + ".join(["a"] * terms) + "\n")
    in_process, in_workers = _in_process_and_in_workers(tmp_path)
    assert in_process == in_workers
    assert {finding.code for finding in in_process} == {"LL001", "LL003"}  # both kinds of verdict were reached


def test_room_above_the_caller_does_not_depend_on_calls_through_c():
    """Python 3.11 counts calls made through C (``eval``, ``exec`` in runpy,
    a console script's entry point) against the recursion limit, and no
    frame shows them: ``pytest`` and ``python -m pytest`` gave different verdicts."""

    def room(calls: int = 0) -> int:
        try:
            return room(calls + 1)
        except RecursionError:
            return calls

    def room_inside() -> int:
        with frames_above_caller(100):
            return room()

    scope = {"room_inside": room_inside}
    assert room_inside() == eval("room_inside()", scope) == eval("eval('room_inside()', globals())", scope)


def test_analysis_verdict_does_not_depend_on_the_stack(pooled, tmp_path):
    for terms in range(300, 1_300, 4):
        chain = " + ".join(["k"] * terms)
        write(tmp_path / f"chain{terms}.py", "_cache = {}\ndef f(k):\n    _cache[k] = " + chain + "\n")
    in_process, in_workers = _in_process_and_in_workers(tmp_path)
    assert {finding.code for finding in in_process} == {"LL003"}
    assert in_process == in_workers


# --- deep nesting ---------------------------------------------------------------------------


def _deep_file_is_ll001_and_the_run_goes_on(cli, tmp_path, source: str, words: str) -> dict:
    """Lint ``source`` as deep.py beside a leaky file: the deep one is LL001
    whose message says ``words``, the other is still linted. Returns the LL001."""
    write(tmp_path / "deep.py", source)
    write(tmp_path / "leaky.py", LEAKY)
    run = cli("--isolated", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 1
    found = by_path(run.findings)
    [error] = found["deep.py"]
    assert error["code"] == "LL001" and words in error["message"], error
    assert codes_of(found["leaky.py"]) == ["LL303"]
    return error


def test_10000_nested_parentheses(cli, tmp_path):
    source = "x = " + "(" * 10_000 + "open('p').read()" + ")" * 10_000 + "\n"
    error = _deep_file_is_ll001_and_the_run_goes_on(cli, tmp_path, source, "parenthes")
    assert error["line"] == 1 and 1 <= error["column"] <= 20_021


def test_5000_nested_if_blocks(cli, tmp_path):
    lines = [" " * depth + "if x:" for depth in range(5_000)] + [" " * 5_000 + DISCARDED]
    error = _deep_file_is_ll001_and_the_run_goes_on(cli, tmp_path, "\n".join(lines), "indentation")
    assert 1 <= error["line"] <= 5_001


def _nested(head: str, depth: int, leaf: str) -> str:
    return "".join(" " * i + head.format(i=i) + "\n" for i in range(depth)) + " " * depth + leaf


DEEP_BUT_VALID = {
    "90 nested ifs": _nested("if x{i}:", 90, DISCARDED),
    "90 nested functions": _nested("def f{i}():", 90, DISCARDED),
    "90 nested withs": _nested("with lock{i}:", 90, DISCARDED),
    "190 nested calls": "x = " + "f(" * 190 + "open('p').read()" + ")" * 190 + "\n",
    "1,000-branch elif": "if a:\n    pass\n" + "".join(f"elif a{i}:\n    pass\n" for i in range(1_000)) + DISCARDED,
    "1,500-term sum": "x = " + " + ".join(["a"] * 1_500) + "\n" + DISCARDED,
    "3,000 decorators": "@functools.cache\n" * 3_000 + "def f(self):\n    pass\n" + DISCARDED,
    "5,000 default arguments": "def f(" + ", ".join(f"a{i}=open('p')" for i in range(5_000)) + "):\n    pass\n",
}


@pytest.mark.parametrize("source", list(DEEP_BUT_VALID.values()), ids=list(DEEP_BUT_VALID))
def test_deep_but_valid_python_is_analysed_or_ll003(cli, tmp_path, source):
    """Python accepts these; leaklint never calls them LL001, never fails
    with an internal error or RecursionError, and says so (LL003) where it
    gives up."""
    assert not python_rejects(source)
    write(tmp_path / "deep.py", source)
    limit = sys.getrecursionlimit()
    run = cli("--isolated", "--no-cache", "--format", "json", "deep.py", cwd=tmp_path)
    assert sys.getrecursionlimit() == limit
    no_traceback(run)
    assert run.code in (0, 1), run.err
    codes = codes_of(run.findings)
    assert not {"LL001", "LL002"} & set(codes), run.findings
    for finding in run.findings:
        if finding["code"] == "LL003":
            assert "nested too deeply" in finding["message"] and "not analysed" in finding["message"]


def test_ll003_column_counts_characters_not_bytes(cli, tmp_path):
    """``ast`` gives UTF-8 byte offsets; findings give 1-based characters, inside the line."""
    line = "\u00e9" * 20 + " = 1; (x): int = 1"
    write(tmp_path / "ann.py", line + "\n(y): int = 2\n")
    run = cli("--isolated", "--no-cache", "--format", "json", "ann.py", cwd=tmp_path)
    [finding] = run.findings
    assert finding["code"] == "LL003"
    assert (finding["line"], finding["column"]) == (1, line.index("(x)") + 1)


# --- huge files -----------------------------------------------------------------------------


def test_file_of_50_mb(tmp_path):
    """A generated module holding 50 MB of text (an embedded blob, line by line)."""
    row = "x" * 99 + "\n"
    rows = 50_000_000 // len(row)
    with open(tmp_path / "blob.py", "w", encoding="utf-8") as handle:
        handle.write('BLOB = """\n')
        for _ in range(rows // 10_000):
            handle.write(row * 10_000)
        handle.write('"""\n' + DISCARDED)
    assert (tmp_path / "blob.py").stat().st_size >= 50_000_000
    write(tmp_path / "leaky.py", LEAKY)
    try:
        run = leaklint_process("--isolated", "--format", "json", ".", cwd=tmp_path, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("leaklint took more than 60 s on a 50 MB file")
    no_traceback(run)
    assert run.code == 1, run.err
    assert sorted((f["path"], f["line"], f["code"]) for f in run.findings) == [
        ("blob.py", rows + 3, "LL303"),  # 'BLOB = """', the rows, '"""', then the leak
        ("leaky.py", 3, "LL303"),
    ]


@pytest.mark.parametrize("shape", ["data line", "string literal"])
def test_single_line_of_5_mb(cli, tmp_path, shape):
    if shape == "data line":  # a generated table on one line, the leak on the next
        source = "TABLE = [" + "1.2345678e-05, " * 340_000 + "]\n" + DISCARDED
        expected = [(2, 8, "LL303")]
    else:  # the leak and the 5 MB on the same line, in the same statement
        source = "data = open('p').read() + '" + "x" * 5_000_000 + "'\n"
        expected = [(1, 8, "LL303")]
    assert len(source.splitlines()[0]) >= 5_000_000
    write(tmp_path / "long.py", source)
    start = time.monotonic()
    run = cli("--isolated", "--no-cache", "--format", "json", "long.py", cwd=tmp_path)
    assert time.monotonic() - start < 30
    no_traceback(run)
    assert [(f["line"], f["column"], f["code"]) for f in run.findings] == expected


# --- odd files and paths --------------------------------------------------------------------


def _device_or_stand_in(path: Path) -> None:
    """A character device (as /dev/null) if this process may make one, else a link to one."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o644, os.stat("/dev/null").st_rdev)
    except (OSError, AttributeError):
        os.symlink("/dev/null", path)


@posix_only
@needs_fifo
def test_devices_sockets_and_pipes_in_a_scanned_folder_are_skipped(tmp_path):
    src = tmp_path / "src"
    write(src / "leaky.py", LEAKY)
    _device_or_stand_in(src / "null.py")
    os.symlink("/dev/zero", src / "zero.py")  # reading it would never end
    os.mkfifo(src / "fifo.py")
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(src / "sock.py"))
        try:
            run = leaklint_process("--isolated", "--no-cache", "--format", "json", "src", cwd=tmp_path, timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail("leaklint hung on a device, socket or pipe")
    finally:
        server.close()
    no_traceback(run)
    assert run.code == 1
    assert [(f["path"], f["code"]) for f in run.findings] == [("src/leaky.py", "LL303")]
    for name in ("null.py", "zero.py", "fifo.py", "sock.py"):
        assert f"src/{name}: skipped" in run.err, (name, run.err)


@posix_only
def test_device_given_on_the_command_line_is_skipped(tmp_path):
    write(tmp_path / "leaky.py", LEAKY)
    run = leaklint_process("--isolated", "--no-cache", "/dev/zero", "leaky.py", cwd=tmp_path, timeout=30)
    no_traceback(run)
    assert run.code == 1
    assert run.out.startswith("leaky.py:3:20: LL303 ")
    assert "/dev/zero: skipped" in run.err


def _non_utf8_project(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    write(src / "ok.py", LEAKY)
    try:
        os.mkdir(os.fsencode(src) + b"/d\xff")
        with open(os.fsencode(src) + b"/caf\xe9.py", "wb") as handle:
            handle.write(DISCARDED.encode())
        with open(os.fsencode(src) + b"/d\xff/m.py", "wb") as handle:
            handle.write(DISCARDED.encode())
    except (OSError, UnicodeError):
        pytest.skip("this file system does not take file names that are not UTF-8")
    return tmp_path


def _run_bytes(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    # A strict UTF-8 stdout, as in a UTF-8 locale (under the C locale Python would be lenient).
    return subprocess.run(
        [sys.executable, "-m", "leaklint", "--isolated", "--no-cache", *args],
        cwd=cwd,
        env=subprocess_env(PYTHONIOENCODING="utf-8:strict"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=60,
        check=False,
    )


@posix_only
@pytest.mark.parametrize("fmt", ["text", "github"])
def test_file_names_that_are_not_utf8_are_reported_as_their_bytes(tmp_path, fmt):
    cwd = _non_utf8_project(tmp_path)
    run = _run_bytes("--format", fmt, "--show-source", "src", cwd=cwd)
    assert run.returncode == 1, run.stderr
    assert b"Traceback" not in run.stderr and b"internal error" not in run.stderr, run.stderr
    assert run.stdout.count(b"src/caf\xe9.py") == 1 and run.stdout.count(b"src/d\xff/m.py") == 1, run.stdout
    assert run.stdout.count(b"src/ok.py") == 1


@posix_only
def test_file_names_that_are_not_utf8_in_json_and_an_output_file(tmp_path):
    cwd = _non_utf8_project(tmp_path)
    run = _run_bytes("--format", "json", "src", cwd=cwd)
    assert run.returncode == 1, run.stderr
    paths = [os.fsencode(finding["path"]) for finding in json.loads(run.stdout)]
    assert paths == [b"src/caf\xe9.py", b"src/d\xff/m.py", b"src/ok.py"]
    run = _run_bytes("--output-file", "out.txt", "src", cwd=cwd)
    assert run.returncode == 1, run.stderr
    assert b"internal error" not in run.stderr, run.stderr
    assert (cwd / "out.txt").read_bytes().count(b"src/caf\xe9.py:1:8: LL303 ") == 1


@posix_only
def test_file_names_that_are_not_utf8_in_sarif(tmp_path):
    cwd = _non_utf8_project(tmp_path)
    run = _run_bytes("--format", "sarif", "src", cwd=cwd)
    assert run.returncode == 1, run.stderr
    uris = [
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for result in json.loads(run.stdout)["runs"][0]["results"]
    ]
    assert sorted(uris) == ["src/caf%E9.py", "src/d%FF/m.py", "src/ok.py"]


def test_one_file_given_many_ways_is_linted_once(tmp_path):
    write(tmp_path / "pkg" / "leaky.py", LEAKY)
    write(tmp_path / "pkg" / "other.py", DISCARDED)
    spellings = ["pkg/leaky.py", "./pkg/leaky.py", "pkg/../pkg/leaky.py", str(tmp_path / "pkg" / "leaky.py"), "pkg"]
    if hasattr(os, "symlink") and sys.platform != "win32":
        os.symlink("pkg/leaky.py", tmp_path / "alias.py")
        spellings.append("alias.py")
    run = leaklint_process("--isolated", "--no-cache", "-j", "2", "--format", "json", *spellings, "pkg", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 1
    assert sorted((f["path"], f["code"]) for f in run.findings) == [
        ("pkg/leaky.py", "LL303"),
        ("pkg/other.py", "LL303"),
    ]


@posix_only
def test_folder_symlinked_into_itself_given_through_the_loop(cli, tmp_path):
    write(tmp_path / "src" / "leaky.py", LEAKY)
    os.symlink("..", tmp_path / "src" / "up")  # src/up/src/up/src/...
    os.symlink(".", tmp_path / "src" / "self")
    run = cli(
        "--isolated", "--no-cache", "--format", "json", "src", "src/self", "src/self/self/self", "src/up/src",
        cwd=tmp_path,
    )
    no_traceback(run)
    assert run.code == 1
    assert [(f["path"], f["code"]) for f in run.findings] == [("src/leaky.py", "LL303")]


# --- configuration files --------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, fragment",
    [
        (b"[[tool.leaklint]]\nselect = ['LL3']\n", "must be a table"),
        (b"[tool]\nleaklint = 3\n", "must be a table"),
        (b"[tool]\nleaklint = ['LL3']\n", "must be a table"),
        (b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)), "TOML"),
        (b"\xff\xfe[\x00t\x00o\x00o\x00l\x00]\x00", "TOML"),  # UTF-16
    ],
    ids=["array-of-tables", "number", "list", "binary", "utf16"],
)
def test_pyproject_that_is_not_a_leaklint_table_is_a_clear_error(cli, tmp_path, content, fragment):
    write(tmp_path / "src" / "leaky.py", LEAKY)
    path = write(tmp_path / "pyproject.toml", data=content)
    run = cli("src", cwd=tmp_path)
    assert run.code == 2, (run.out, run.err)
    assert run.out == ""
    [line] = run.err.strip().splitlines()
    assert str(path) in line and fragment in line and "Traceback" not in line, line


@posix_only
@needs_fifo
def test_pyproject_that_is_a_named_pipe_or_a_folder_is_passed_over(tmp_path):
    write(tmp_path / "a" / "src" / "leaky.py", LEAKY)
    os.mkfifo(tmp_path / "a" / "pyproject.toml")
    write(tmp_path / "b" / "src" / "leaky.py", LEAKY)
    (tmp_path / "b" / "pyproject.toml").mkdir()
    for project in ("a", "b"):
        try:
            run = leaklint_process("--no-cache", "src", cwd=tmp_path / project, timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail(f"leaklint hung on {project}/pyproject.toml")
        no_traceback(run)
        assert run.code == 1, run.err
        assert run.out.startswith("src/leaky.py:3:20: LL303 ")


# --- standard input -------------------------------------------------------------------------


@posix_only
def test_closed_standard_input(tmp_path):
    write(tmp_path / "leaky.py", LEAKY)
    run = subprocess.run(
        [sys.executable, "-m", "leaklint", "--isolated", "--no-cache", "-", "leaky.py"],
        cwd=tmp_path,
        env=subprocess_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        timeout=30,
        check=False,
        preexec_fn=lambda: os.close(0),
    )
    err = run.stderr.decode()
    assert "Traceback" not in err
    assert run.returncode == 2  # an error: standard input could not be read
    assert "-: cannot read file: standard input is closed" in err
    assert run.stdout.decode().startswith("leaky.py:3:20: LL303 ")  # the other file is linted


@pytest.mark.parametrize("kind", ["executable", "random"])
def test_binary_standard_input_through_a_pipe(tmp_path, kind):
    if kind == "executable":
        data = Path(sys.executable).read_bytes()[:200_000]
    else:
        data = bytes((index * 7919 + 13) % 256 for index in range(200_000))
    run = leaklint_process("--isolated", "--no-cache", "--format", "json", "-", cwd=tmp_path, stdin=data, timeout=30)
    no_traceback(run)
    assert run.code == 1
    [finding] = run.findings
    assert (finding["path"], finding["code"]) == ("-", "LL001")


# --- Ctrl-C ---------------------------------------------------------------------------------


def _members(group: int) -> List[int]:
    """Live (not zombie) processes of a process group, from /proc."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != b"Z":
            members.append(int(entry))
    return members


@posix_only
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads /proc")
@pytest.mark.parametrize("target", ["main process", "process group"])
def test_ctrl_c_during_a_parallel_run(tmp_path, target):
    """SIGINT to the main process (``kill -INT``) or to the whole group (Ctrl-C
    in a terminal) stops a ``-j 2`` run promptly with 130 and leaves no worker."""
    fixtures = sorted(FIXTURES.glob("LL*/*.py"))
    for copy in range(20):  # about 1,000 files: many seconds of work for two workers
        for fixture in fixtures:
            shutil.copy(fixture, tmp_path / f"{fixture.parent.name}_{fixture.stem}_{copy}.py")
    process = subprocess.Popen(
        [sys.executable, "-m", "leaklint", "--isolated", "-j", "2", "--no-cache", "."],
        cwd=tmp_path,
        env=subprocess_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a shell job would be
    )
    group = process.pid
    try:
        deadline = time.monotonic() + 30
        while len(_members(group)) < 3 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(_members(group)) >= 3, "the two workers did not start"
        time.sleep(0.3)  # let them get going
        assert process.poll() is None, "the run ended before it could be interrupted"
        interrupted = time.monotonic()
        if target == "main process":
            os.kill(process.pid, signal.SIGINT)
        else:
            os.killpg(group, signal.SIGINT)
        try:
            _, err = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            pytest.fail("leaklint did not stop within 10 s of SIGINT")
        assert time.monotonic() - interrupted < 5
        assert process.returncode == 130, (process.returncode, err)
        assert b"Traceback" not in err, err
        deadline = time.monotonic() + 5
        while _members(group) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _members(group) == [], "worker processes outlived the interrupted run"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in _members(group):
            os.kill(pid, signal.SIGKILL)


# Two races of an interrupted pool, made to happen every time: the main process
# running leaklint.parallel over a task defined in the script (fork start method).
SCRIPT_HEAD = """
import os, signal, sys, threading, time
from leaklint import parallel
parallel.START_METHOD = "fork"

def run(task, items):
    try:
        done = sum(1 for _ in parallel.map_unordered(task, None, items, [1] * len(items), 2))
    except KeyboardInterrupt:
        sys.exit(130)
    print("finished", done)
"""

INTERRUPTED_DURING_FORK = SCRIPT_HEAD + """
def slow(shared, item):
    time.sleep(0.25)
    return item

if __name__ == "__main__":
    # Ctrl-C lands while a worker is being forked.
    os.register_at_fork(after_in_parent=lambda: os.kill(os.getpid(), signal.SIGINT))
    run(slow, list(range(40)))
"""

INTERRUPTED_DURING_A_RESULT = SCRIPT_HEAD + """
class CtrlC:
    # Pickled last: Ctrl-C the main process while the result is being written.
    def __reduce__(self):
        threading.Timer(0.01, os.kill, (os.getppid(), signal.SIGINT)).start()
        return (CtrlC, ())

def big(shared, item):
    return b"x" * 50_000_000, CtrlC()

if __name__ == "__main__":
    run(big, [0])
"""


@posix_only
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads /proc")
@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="forked workers")
@pytest.mark.parametrize(
    "script",
    [INTERRUPTED_DURING_FORK, INTERRUPTED_DURING_A_RESULT],
    ids=["during-fork", "during-a-result"],
)
def test_ctrl_c_races_in_the_pool(tmp_path, script):
    """during-fork: a KeyboardInterrupt raised in os.fork()'s callbacks was
    dropped ("Exception ignored in ... _releaseLock") and the run went on to
    its end. during-a-result: a worker terminated half-way through sending a
    result left the pool's manager thread reading forever, and the process
    hung at exit."""
    write(tmp_path / "interrupted.py", script)
    process = subprocess.Popen(
        [sys.executable, "interrupted.py"],
        cwd=tmp_path,
        env=subprocess_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("the interrupted run hung")
    assert (process.returncode, out) == (130, b""), (process.returncode, out, err)
    deadline = time.monotonic() + 5
    while _members(process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _members(process.pid) == []


def test_trigger_words_in_a_big_table_of_strings_cost_no_libcst_parse(monkeypatch):
    """A generated 1.4 MB list of phrases holding 'open' 60,000 times: no rule
    can report inside data, so libcst never parses it (a 1 MB table took
    7.5 s and 610 MB before); the leak after it is still found."""
    from leaklint import engine

    parsed = []
    real = engine.parse_cst
    monkeypatch.setattr(engine, "parse_cst", lambda text: parsed.append(len(text)) or real(text))
    table = repr([f"open the door {i}" for i in range(60_000)])
    source = f"WORDS = {table}\n\ndef read(p):\n    return open(p).read()\n".encode()
    findings = engine.lint_source(source, "words.py", frozenset({"LL303"}))
    assert [(f.line, f.code) for f in findings] == [(4, "LL303")]
    assert parsed and max(parsed) < 100
