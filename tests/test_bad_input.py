"""Bad and hostile input never stops a run.

Each case is linted without a crash, a hang or a traceback; a file leaklint
cannot analyse gets one finding that says why (LL001 when Python's parser
rejects it, LL003 when Python accepts it but libcst or the analysis gives up)
and the other files of the run are still linted. Sections:

- files that are not valid Python;
- bytes and encodings: bad UTF-8, coding cookies, NUL, BOM, CRLF, empty files;
- huge sources: files of 20 and 50 MB, lines of 5 and 20 MB, big data tables;
- deep sources and long chains: nesting and operator chains past the parsers'
  and the analysis' limits, verdicts that must not depend on the stack;
- odd files and paths: missing paths, symlink loops, devices, sockets and
  pipes, file names that are not UTF-8, a current folder that is gone;
- configuration files that are not a leaklint table;
- standard input: bytes, BOM and CRLF through a pipe, closed, binary;
- signals and interrupts: Ctrl-C during a parallel run and in the pool's races.

Tests that generate large files or interrupt worker pools are marked ``slow``.
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
from typing import Dict, List, Optional, Tuple

import pytest

from leaklint.batch import runner
from leaklint.api import LintFinding, lint_paths
from leaklint.syntax.parsing import PARSER_FRAMES, frames_above_caller

from .conftest import FIXTURES, GROWING, LEAKY, ROOT, Run, codes_of, write

DISCARDED = "data = open('p').read()\n"  # LL303 at 1:8-1:17

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX processes, signals and file names")
needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symlinks")
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
needs_proc = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads /proc")


def no_traceback(run) -> None:
    assert "Traceback" not in run.out and "Traceback" not in run.err, run.err


def by_path(findings: List[dict]) -> dict:
    result: dict = {}
    for finding in findings:
        result.setdefault(finding["path"], []).append(finding)
    return result


def position(finding: dict) -> tuple:
    return (finding["line"], finding["column"], finding["end_line"], finding["end_column"])


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


def leaklint_process(*args: str, cwd: Path, timeout: float = 60, stdin: Optional[bytes] = None) -> Run:
    """Run leaklint in its own interpreter, so a crash or a hang cannot hide."""
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "leaklint", *args],
            cwd=cwd,
            env=subprocess_env(),
            input=stdin if stdin is not None else b"",
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"leaklint {' '.join(args)} took more than {timeout} s (a hang?)")
    return Run(completed.returncode, completed.stdout.decode("utf-8", "replace"), completed.stderr.decode("utf-8", "replace"))


# --- files that are not valid Python ------------------------------------------------------


def test_syntax_error_in_one_file_of_a_folder(cli, tmp_path):
    broken = "def ok():\n    return 1\n\ndef broken(:\n    pass\n"
    write(tmp_path / "src" / "broken.py", broken)
    write(tmp_path / "src" / "leaky.py", LEAKY)
    write(tmp_path / "src" / "growing.py", GROWING)
    with pytest.raises(SyntaxError) as parser:
        ast.parse(broken)
    run = cli("--isolated", "--format", "json", "src", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 1
    found = by_path(run.findings)
    assert sorted(found) == ["src/broken.py", "src/growing.py", "src/leaky.py"]
    [error] = found["src/broken.py"]
    assert error["code"] == "LL001"
    assert parser.value.msg in error["message"]
    assert (error["line"], error["column"]) == (parser.value.lineno, parser.value.offset)
    assert codes_of(found["src/leaky.py"]) == ["LL303"]
    assert codes_of(found["src/growing.py"]) == ["LL106"]


def test_syntax_error_in_text_format(cli, tmp_path):
    write(tmp_path / "broken.py", "x = (1,\n")
    run = cli("--isolated", "broken.py", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 1
    assert run.out.startswith("broken.py:1:5: LL001 ")


# --- bytes and encodings ------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, line, column",
    [
        (b"x = '\xff'\n", 1, 6),
        (b"a = 1\nx = '\xff'\n", 2, 6),
        (b"a = 1\nb = 2\nc = 3\nx = '\xff'\n", 4, 6),
    ],
    ids=["line1", "line2", "line4"],
)
def test_invalid_utf8(cli, tmp_path, data, line, column):
    write(tmp_path / "bad.py", data=data)
    write(tmp_path / "leaky.py", LEAKY)
    run = cli("--isolated", "--format", "json", ".", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 1
    found = by_path(run.findings)
    [error] = found["bad.py"]
    assert error["code"] == "LL001"
    # Names the decode problem: the encoding and the offending byte, where it is.
    assert "utf-8" in error["message"].lower() and "0xff" in error["message"].lower(), error["message"]
    assert (error["line"], error["column"]) == (line, column)
    assert codes_of(found["leaky.py"]) == ["LL303"]


def test_unknown_coding_cookie(cli, tmp_path):
    write(tmp_path / "bad.py", "# -*- coding: no-such-codec -*-\n" + DISCARDED)
    run = cli("--isolated", "--format", "json", "bad.py", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 1
    [error] = run.findings
    assert error["code"] == "LL001" and "no-such-codec" in error["message"]


def test_nul_byte(cli, tmp_path):
    write(tmp_path / "nul.py", data=b"a = 1\nx = 1\0\n" + DISCARDED.encode())
    write(tmp_path / "leaky.py", LEAKY)
    run = cli("--isolated", "--format", "json", ".", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 1
    found = by_path(run.findings)
    [error] = found["nul.py"]
    assert error["code"] == "LL001"
    assert "null" in error["message"].lower()
    assert (error["line"], error["column"]) == (2, 6)  # at the byte
    assert codes_of(found["leaky.py"]) == ["LL303"]


@pytest.mark.parametrize(
    "data", [b"", b"\xef\xbb\xbf", b"\n\n\n", b"# just a comment\n", b"\r\n"], ids=["empty", "bom", "newlines", "comment", "crlf"]
)
def test_empty_files_are_clean(cli, tmp_path, data):
    write(tmp_path / "empty.py", data=data)
    run = cli("--isolated", str(tmp_path))
    no_traceback(run)
    assert (run.code, run.out, run.err) == (0, "", "")


def test_utf8_bom_does_not_shift_the_first_line(cli, tmp_path):
    write(tmp_path / "bom.py", data=b"\xef\xbb\xbf" + DISCARDED.encode())
    run = cli("--isolated", "--format", "json", "bom.py", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 1
    [finding] = run.findings
    assert finding["code"] == "LL303"
    assert position(finding) == (1, 8, 1, 17)


def test_crlf_line_endings(cli, tmp_path):
    write(tmp_path / "crlf.py", data=LEAKY.replace("\n", "\r\n").encode())
    run = cli("--isolated", "--format", "json", "crlf.py", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 1
    [finding] = run.findings
    assert finding["code"] == "LL303"
    assert position(finding) == (3, 20, 3, 34)
    run = cli("--isolated", "--show-source", "crlf.py", cwd=tmp_path)
    assert run.out.splitlines() == [  # the source line without its CR
        "crlf.py:3:20: LL303 file opened by open() is never closed: it is left to the garbage collector; use 'with open(...) as f:'",
        "config = json.load(open('c.json'))",
        " " * 19 + "^",
    ]


def test_latin1_coding_cookie_with_show_source(cli, tmp_path):
    data = b"# -*- coding: latin-1 -*-\nname = 'caf\xe9'; data = open('p').read()\n"
    write(tmp_path / "latin.py", data=data)
    run = cli("--isolated", "--show-source", "latin.py", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 1
    lines = run.out.splitlines()
    assert lines[0].startswith("latin.py:2:23: LL303 ")  # characters, not bytes, before the leak
    assert lines[1] == "name = 'caf\u00e9'; data = open('p').read()"


# --- huge sources -------------------------------------------------------------------------


@pytest.mark.slow
def test_20mb_string_literal(tmp_path):
    write(tmp_path / "big.py", "DATA = '" + "x" * 20_000_000 + "'\n" + DISCARDED)
    write(tmp_path / "leaky.py", LEAKY)
    run = leaklint_process("--isolated", "--format", "json", ".", cwd=tmp_path, timeout=20)
    no_traceback(run)
    assert run.code == 1
    assert sorted((f["path"], f["line"], f["code"]) for f in run.findings) == [
        ("big.py", 2, "LL303"),
        ("leaky.py", 3, "LL303"),
    ]


@pytest.mark.slow
def test_20mb_generated_data_table(tmp_path):
    """A generated module holding a big table of numbers, as code generators write them."""
    row = "    (" + ", ".join(["123456789"] * 9) + "),\n"
    rows = 20_000_000 // len(row)
    write(tmp_path / "table.py", "TABLE = [\n" + row * rows + "]\n" + DISCARDED)
    write(tmp_path / "leaky.py", LEAKY)
    assert (tmp_path / "table.py").stat().st_size > 19_000_000
    # About 9 s on an idle 2-core machine; the bound only catches a hang (that
    # a table costs no libcst parse is checked in process, by the test of a
    # big table of strings), so a loaded machine does not fail it.
    run = leaklint_process("--isolated", "--format", "json", ".", cwd=tmp_path, timeout=60)
    no_traceback(run)
    assert run.code == 1
    assert sorted((f["path"], f["line"], f["code"]) for f in run.findings) == [
        ("leaky.py", 3, "LL303"),
        ("table.py", rows + 3, "LL303"),  # "TABLE = [", the rows, "]", then the leak
    ]


@pytest.mark.slow
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
    run = leaklint_process("--isolated", "--format", "json", ".", cwd=tmp_path, timeout=60)
    no_traceback(run)
    assert run.code == 1, run.err
    assert sorted((f["path"], f["line"], f["code"]) for f in run.findings) == [
        ("blob.py", rows + 3, "LL303"),  # 'BLOB = """', the rows, '"""', then the leak
        ("leaky.py", 3, "LL303"),
    ]


@pytest.mark.slow
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


def test_trigger_words_in_a_big_table_of_strings_cost_no_libcst_parse(monkeypatch):
    """A generated 1.4 MB list of phrases holding 'open' 60,000 times: no rule
    can report inside data, so libcst never parses it (a 1 MB table took
    7.5 s and 610 MB before); the leak after it is still found."""
    from leaklint.core import cst_runner, engine

    parsed = []
    real = cst_runner.parse_cst
    monkeypatch.setattr(cst_runner, "parse_cst", lambda text: parsed.append(len(text)) or real(text))
    table = repr([f"open the door {i}" for i in range(60_000)])
    source = f"WORDS = {table}\n\ndef read(p):\n    return open(p).read()\n".encode()
    findings = engine.lint_source(source, "words.py", frozenset({"LL303"}))
    assert [(f.line, f.code) for f in findings] == [(4, "LL303")]
    assert parsed and max(parsed) < 100


# --- deep sources -------------------------------------------------------------------------


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


def test_150_nested_parentheses_are_analysed(cli, tmp_path):
    write(tmp_path / "deep.py", "x = " + "(" * 150 + "open('p').read()" + ")" * 150 + "\n")
    run = cli("--isolated", "--format", "json", "deep.py", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 1
    [finding] = run.findings
    assert finding["code"] == "LL303"
    assert position(finding) == (1, 155, 1, 164)


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


# --- long operator chains -----------------------------------------------------------------


def test_operator_chain_of_10000_terms_is_ll001_not_a_segfault(tmp_path):
    write(tmp_path / "chain.py", "a = 1\nx = " + " + ".join(["a"] * 10_000) + "\n" + DISCARDED)
    write(tmp_path / "leaky.py", LEAKY)
    run = leaklint_process("--isolated", "--format", "json", ".", cwd=tmp_path)
    assert run.code == 1, (run.code, run.err)  # negative: killed by a signal (segfault)
    no_traceback(run)
    found = by_path(run.findings)
    assert codes_of(found["chain.py"]) == ["LL001"]
    assert codes_of(found["leaky.py"]) == ["LL303"]


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
    and the other files are linted. The recursion limit is left as it was."""
    chain = "x = open(p) " + operator + " " + f" {operator} ".join(["a"] * 3_000) + "\n"
    source = DISCARDED + chain
    write(tmp_path / "chain.py", source)
    write(tmp_path / "leaky.py", LEAKY)
    limit = sys.getrecursionlimit()
    start = time.monotonic()
    run = cli("--isolated", "--no-cache", "--format", "json", ".", cwd=tmp_path)
    assert time.monotonic() - start < 30
    assert sys.getrecursionlimit() == limit
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


def test_deep_operator_chain_in_whole_file_analysis_is_ll003_not_an_internal_error():
    """``ast.parse`` accepts a 1,500-term chain; the recursive name binding
    walk behind the module-container rules does not: LL003, never LL002."""
    from leaklint.core.engine import lint_source
    from leaklint.core.registry import all_codes

    source = "_cache = {}\ndef f(k):\n    _cache[k] = " + " + ".join(["k"] * 1500) + "\n"
    findings = lint_source(source.encode(), "chain.py", all_codes())
    assert [f.code for f in findings] == ["LL003"]
    assert "nested too deeply" in findings[0].message


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


@pytest.mark.slow
def test_analysis_verdict_does_not_depend_on_the_stack(pooled, tmp_path):
    for terms in range(300, 1_300, 4):
        chain = " + ".join(["k"] * terms)
        write(tmp_path / f"chain{terms}.py", "_cache = {}\ndef f(k):\n    _cache[k] = " + chain + "\n")
    in_process, in_workers = _in_process_and_in_workers(tmp_path)
    assert {finding.code for finding in in_process} == {"LL003"}
    assert in_process == in_workers


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


# --- odd files and paths ------------------------------------------------------------------


def test_path_that_does_not_exist(cli, tmp_path):
    write(tmp_path / "src" / "leaky.py", LEAKY)
    run = cli("--isolated", "--no-cache", "src", "nowhere/missing.py", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 2
    assert run.out.startswith("src/leaky.py:3:20: LL303 ")  # the others are still linted
    assert run.err.strip().splitlines() == ["leaklint: error: nowhere/missing.py: no such file or directory"]


def test_folder_without_python_files(cli, tmp_path):
    write(tmp_path / "docs" / "notes.txt", LEAKY)
    write(tmp_path / "docs" / "data.json", "{}")
    (tmp_path / "docs" / "empty").mkdir()
    run = cli("--isolated", "docs", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 0
    assert run.out == ""


def test_folder_named_like_a_python_file(cli, tmp_path):
    write(tmp_path / "src" / "pkg.py" / "mod.py", LEAKY)
    write(tmp_path / "src" / "pkg.py" / "__init__.py", "")
    run = cli("--isolated", "--format", "json", "src", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 1
    assert [(f["path"], f["code"]) for f in run.findings] == [("src/pkg.py/mod.py", "LL303")]
    run = cli("--isolated", "--format", "json", "src/pkg.py", cwd=tmp_path)
    no_traceback(run)
    assert [(f["path"], f["code"]) for f in run.findings] == [("src/pkg.py/mod.py", "LL303")]


@needs_symlinks
def test_symlink_loops_in_a_scanned_folder(tmp_path):
    src = tmp_path / "src"
    write(src / "leaky.py", LEAKY)
    write(src / "sub" / "growing.py", GROWING)
    os.symlink(src, src / "sub" / "back")  # a folder symlinked into itself
    os.symlink(".", src / "here")
    os.symlink(src, src / "again.py")  # a folder link with a Python-looking name
    os.symlink("b.py", src / "a.py")  # a.py -> b.py -> a.py
    os.symlink("a.py", src / "b.py")
    run = leaklint_process("--isolated", "--format", "json", "src", cwd=tmp_path, timeout=60)
    no_traceback(run)
    assert run.code == 1, run.err
    assert sorted((f["path"], f["code"]) for f in run.findings) == [
        ("src/leaky.py", "LL303"),
        ("src/sub/growing.py", "LL106"),
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


def test_one_file_given_many_ways_is_linted_once(tmp_path):
    write(tmp_path / "pkg" / "leaky.py", LEAKY)
    write(tmp_path / "pkg" / "other.py", DISCARDED)
    spellings = ["pkg/leaky.py", "./pkg/leaky.py", "pkg/../pkg/leaky.py", str(tmp_path / "pkg" / "leaky.py"), "pkg"]
    if hasattr(os, "symlink") and sys.platform != "win32":
        os.symlink("pkg/leaky.py", tmp_path / "alias.py")
        os.symlink(tmp_path / "pkg", tmp_path / "link")  # a symlink to a folder given with it
        spellings += ["alias.py", "link"]
    run = leaklint_process("--isolated", "--no-cache", "-j", "2", "--format", "json", *spellings, "pkg", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 1
    assert sorted((f["path"], f["code"]) for f in run.findings) == [
        ("pkg/leaky.py", "LL303"),
        ("pkg/other.py", "LL303"),
    ]


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
        run = leaklint_process("--isolated", "--no-cache", "--format", "json", "src", cwd=tmp_path, timeout=30)
    finally:
        server.close()
    no_traceback(run)
    assert run.code == 1
    assert [(f["path"], f["code"]) for f in run.findings] == [("src/leaky.py", "LL303")]
    for name in ("null.py", "zero.py", "fifo.py", "sock.py"):
        assert f"src/{name}: skipped" in run.err, (name, run.err)


@posix_only
@needs_fifo
@pytest.mark.parametrize("special", ["fifo.py", "/dev/zero"], ids=["named pipe", "device"])
def test_special_file_given_on_the_command_line_is_skipped(tmp_path, special):
    """Opening a named pipe blocks and reading /dev/zero never ends: neither hangs the run."""
    write(tmp_path / "leaky.py", LEAKY)
    os.mkfifo(tmp_path / "fifo.py")
    run = leaklint_process("--isolated", "--no-cache", special, "leaky.py", cwd=tmp_path, timeout=30)
    no_traceback(run)
    assert run.code == 1
    assert run.out.startswith("leaky.py:3:20: LL303 ")
    assert f"{special}: skipped" in run.err


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


def test_a_current_folder_that_no_longer_exists_is_a_usage_error(tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    script = f"import os, sys; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); from leaklint.cli import main; sys.exit(main(['.']))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "the current folder no longer exists" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr


# --- configuration files ------------------------------------------------------------------


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
        run = leaklint_process("--no-cache", "src", cwd=tmp_path / project, timeout=30)
        no_traceback(run)
        assert run.code == 1, run.err
        assert run.out.startswith("src/leaky.py:3:20: LL303 ")


# --- standard input -----------------------------------------------------------------------
# Plain ``-`` and ``--stdin-filename`` are in test_cli.py.


def test_stdin_together_with_a_file(cli, tmp_path):
    write(tmp_path / "growing.py", GROWING)
    run = cli("--isolated", "--format", "json", "-", "growing.py", stdin=LEAKY.encode(), cwd=tmp_path)
    assert sorted((f["path"], f["code"]) for f in run.findings) == [("-", "LL303"), ("growing.py", "LL106")]


def test_stdin_empty(cli, tmp_path):
    run = cli("--isolated", "-", stdin=b"", cwd=tmp_path)
    assert (run.code, run.out) == (0, "")


def test_stdin_with_bad_bytes(cli, tmp_path):
    run = cli("--isolated", "--format", "json", "-", stdin=b"a = 1\nb = 2\nc = 3\nx = '\xff'\n", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 1
    assert codes_of(run.findings) == ["LL001"]


def test_stdin_with_bom_and_crlf_through_a_real_pipe(tmp_path):
    data = b"\xef\xbb\xbf" + LEAKY.replace("\n", "\r\n").encode()
    run = leaklint_process(
        "--isolated", "--format", "json", "--stdin-filename", "piped.py", "-", cwd=tmp_path, stdin=data
    )
    no_traceback(run)
    assert run.code == 1
    [finding] = run.findings
    assert (finding["path"], finding["code"], position(finding)) == ("piped.py", "LL303", (3, 20, 3, 34))


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


# --- signals and interrupts ---------------------------------------------------------------


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


@pytest.mark.slow
@posix_only
@needs_proc
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
# running leaklint.batch.parallel over a task defined in the script (fork start method).
SCRIPT_HEAD = """
import os, signal, sys, threading, time
from leaklint.batch import parallel
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
@needs_proc
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
