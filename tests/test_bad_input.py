"""Bad input never stops a run: odd bytes, odd files, odd paths, huge and deep sources."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

import pytest

from .conftest import GROWING, LEAKY, ROOT, codes_of, write

DISCARDED = "data = open('p').read()\n"  # LL303 at 1:8-1:17

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symlinks")
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")


def no_traceback(run) -> None:
    assert "Traceback" not in run.out and "Traceback" not in run.err, run.err


def by_path(findings: List[dict]) -> dict:
    result: dict = {}
    for finding in findings:
        result.setdefault(finding["path"], []).append(finding)
    return result


def position(finding: dict) -> tuple:
    return (finding["line"], finding["column"], finding["end_line"], finding["end_column"])


class Proc:
    """A finished ``python -m leaklint`` process."""

    def __init__(self, completed: subprocess.CompletedProcess) -> None:
        self.code = completed.returncode
        self.out = completed.stdout.decode("utf-8", "replace")
        self.err = completed.stderr.decode("utf-8", "replace")

    @property
    def findings(self) -> List[dict]:
        return json.loads(self.out)


def leaklint_process(*args: str, cwd: Path, timeout: float = 60, stdin: Optional[bytes] = None) -> Proc:
    """Run leaklint in its own interpreter, so a crash or a hang cannot hide."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("LEAKLINT_DEBUG", None)
    completed = subprocess.run(
        [sys.executable, "-m", "leaklint", *args],
        cwd=cwd,
        env=env,
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    return Proc(completed)


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
    assert codes_of(found["leaky.py"]) == ["LL303"]


def test_nul_byte_finding_points_at_the_byte(cli, tmp_path):
    write(tmp_path / "nul.py", data=b"a = 1\nx = 1\0\n")
    run = cli("--isolated", "--format", "json", "nul.py", cwd=tmp_path)
    [error] = run.findings
    assert error["code"] == "LL001"
    assert (error["line"], error["column"]) == (2, 6)


@pytest.mark.parametrize(
    "data", [b"", b"\xef\xbb\xbf", b"\n\n\n", b"# just a comment\n", b"\r\n"], ids=["empty", "bom", "newlines", "comment", "crlf"]
)
def test_empty_files_are_clean(cli, tmp_path, data):
    write(tmp_path / "empty.py", data=data)
    run = cli("--isolated", str(tmp_path))
    no_traceback(run)
    assert (run.code, run.out, run.err) == (0, "", "")


def test_utf8_bom(cli, tmp_path):
    write(tmp_path / "bom.py", data=b"\xef\xbb\xbf" + LEAKY.encode())
    run = cli("--isolated", "--format", "json", "bom.py", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 1
    [finding] = run.findings
    assert finding["code"] == "LL303"
    assert position(finding) == (3, 20, 3, 34)


def test_utf8_bom_on_the_first_line(cli, tmp_path):
    write(tmp_path / "bom.py", data=b"\xef\xbb\xbf" + DISCARDED.encode())
    run = cli("--isolated", "--format", "json", "bom.py", cwd=tmp_path)
    [finding] = run.findings
    assert position(finding) == (1, 8, 1, 17)


def test_crlf_line_endings(cli, tmp_path):
    write(tmp_path / "crlf.py", data=LEAKY.replace("\n", "\r\n").encode())
    run = cli("--isolated", "--format", "json", "crlf.py", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 1
    [finding] = run.findings
    assert finding["code"] == "LL303"
    assert position(finding) == (3, 20, 3, 34)


def test_crlf_with_show_source(cli, tmp_path):
    write(tmp_path / "crlf.py", data=LEAKY.replace("\n", "\r\n").encode())
    run = cli("--isolated", "--show-source", "crlf.py", cwd=tmp_path)
    assert run.out.splitlines() == [
        "crlf.py:3:20: LL303 file opened by open() is never closed: it is left to the garbage collector; use 'with open(...) as f:'",
        "config = json.load(open('c.json'))",
        " " * 19 + "^",
    ]


def test_latin1_coding_cookie(cli, tmp_path):
    data = b"# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n" + DISCARDED.encode()
    write(tmp_path / "latin.py", data=data)
    run = cli("--isolated", "--format", "json", "latin.py", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 1
    [finding] = run.findings
    assert finding["code"] == "LL303"
    assert position(finding) == (3, 8, 3, 17)


def test_latin1_coding_cookie_with_show_source(cli, tmp_path):
    data = b"# -*- coding: latin-1 -*-\nname = 'caf\xe9'; data = open('p').read()\n"
    write(tmp_path / "latin.py", data=data)
    run = cli("--isolated", "--show-source", "latin.py", cwd=tmp_path)
    no_traceback(run)
    lines = run.out.splitlines()
    assert lines[0].startswith("latin.py:2:23: LL303 ")
    assert lines[1] == "name = 'caf\u00e9'; data = open('p').read()"


# --- huge and deep sources ----------------------------------------------------------------


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


def test_20mb_generated_data_table(tmp_path):
    """A generated module holding a big table of numbers, as code generators write them."""
    row = "    (" + ", ".join(["123456789"] * 9) + "),\n"
    rows = 20_000_000 // len(row)
    write(tmp_path / "table.py", "TABLE = [\n" + row * rows + "]\n" + DISCARDED)
    write(tmp_path / "leaky.py", LEAKY)
    assert (tmp_path / "table.py").stat().st_size > 19_000_000
    try:
        run = leaklint_process("--isolated", "--format", "json", ".", cwd=tmp_path, timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail("leaklint took more than 20 s on a 20 MB generated file")
    no_traceback(run)
    assert run.code == 1
    assert sorted((f["path"], f["line"], f["code"]) for f in run.findings) == [
        ("leaky.py", 3, "LL303"),
        ("table.py", rows + 3, "LL303"),  # "TABLE = [", the rows, "]", then the leak
    ]


def test_150_nested_parentheses(cli, tmp_path):
    write(tmp_path / "deep.py", "x = " + "(" * 150 + "open('p').read()" + ")" * 150 + "\n")
    run = cli("--isolated", "--format", "json", "deep.py", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 1
    [finding] = run.findings
    assert finding["code"] == "LL303"
    assert position(finding) == (1, 155, 1, 164)


def test_operator_chain_of_10000_terms(tmp_path):
    write(tmp_path / "chain.py", "a = 1\nx = " + " + ".join(["a"] * 10_000) + "\n" + DISCARDED)
    write(tmp_path / "leaky.py", LEAKY)
    run = leaklint_process("--isolated", "--format", "json", ".", cwd=tmp_path)
    assert run.code == 1, (run.code, run.err)  # negative: killed by a signal (segfault)
    no_traceback(run)
    found = by_path(run.findings)
    assert codes_of(found["chain.py"]) == ["LL001"]
    assert codes_of(found["leaky.py"]) == ["LL303"]


def test_operator_chain_of_10000_terms_in_process(cli, tmp_path):
    write(tmp_path / "chain.py", "x = " + " + ".join(["a"] * 10_000) + "\n")
    write(tmp_path / "leaky.py", LEAKY)
    limit = sys.getrecursionlimit()
    run = cli("--isolated", "--format", "json", ".", cwd=tmp_path)
    assert sys.getrecursionlimit() == limit
    assert sorted(codes_of(run.findings)) == ["LL001", "LL303"]


# --- paths ----------------------------------------------------------------------------------


def test_path_that_does_not_exist(cli, tmp_path):
    write(tmp_path / "src" / "leaky.py", LEAKY)
    run = cli("--isolated", "--no-cache", "src", "nowhere/missing.py", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 2
    assert run.out.startswith("src/leaky.py:3:20: LL303 ")  # the others are still linted
    assert run.err.strip().splitlines() == ["leaklint: error: nowhere/missing.py: no such file or directory"]


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


@needs_symlinks
def test_symlinked_folder_given_on_the_command_line_is_followed_once(tmp_path):
    write(tmp_path / "real" / "leaky.py", LEAKY)
    os.symlink(tmp_path / "real", tmp_path / "link")
    run = leaklint_process("--isolated", "--format", "json", "link", "real", cwd=tmp_path, timeout=60)
    no_traceback(run)
    assert run.code == 1
    assert len(run.findings) == 1


def test_folder_without_python_files(cli, tmp_path):
    write(tmp_path / "docs" / "notes.txt", LEAKY)
    write(tmp_path / "docs" / "data.json", "{}")
    (tmp_path / "docs" / "empty").mkdir()
    run = cli("--isolated", "docs", cwd=tmp_path)
    no_traceback(run)
    assert run.code == 0
    assert run.out == ""


def test_empty_folder(cli, tmp_path):
    run = cli("--isolated", "--format", "text", str(tmp_path))
    assert (run.code, run.out) == (0, "")


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


@needs_fifo
def test_named_pipe_in_a_scanned_folder_is_skipped(tmp_path):
    write(tmp_path / "src" / "leaky.py", LEAKY)
    os.mkfifo(tmp_path / "src" / "fifo.py")
    try:
        run = leaklint_process("--isolated", "--format", "json", "src", cwd=tmp_path, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("leaklint hung on a named pipe")
    no_traceback(run)
    assert run.code == 1
    assert [(f["path"], f["code"]) for f in run.findings] == [("src/leaky.py", "LL303")]
    assert "fifo.py" in run.err and "skipped" in run.err


@needs_fifo
def test_named_pipe_given_on_the_command_line_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / "fifo.py")
    try:
        run = leaklint_process("--isolated", "fifo.py", cwd=tmp_path, timeout=30)
    except subprocess.TimeoutExpired:
        pytest.fail("leaklint hung on a named pipe")
    no_traceback(run)
    assert run.code in (0, 2)
    assert run.out == ""
    assert "fifo.py" in run.err


# --- standard input -------------------------------------------------------------------------


def test_stdin(cli, tmp_path):
    run = cli("--isolated", "--format", "json", "-", stdin=LEAKY.encode(), cwd=tmp_path)
    no_traceback(run)
    assert run.code == 1
    [finding] = run.findings
    assert (finding["path"], finding["code"], position(finding)) == ("-", "LL303", (3, 20, 3, 34))


def test_stdin_filename(cli, tmp_path):
    run = cli(
        "--isolated", "--format", "json", "--stdin-filename", "app/settings.py", "-",
        stdin=LEAKY.encode(), cwd=tmp_path,
    )
    no_traceback(run)
    assert run.code == 1
    [finding] = run.findings
    assert (finding["path"], finding["code"]) == ("app/settings.py", "LL303")


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


def test_stdin_through_a_real_pipe(tmp_path):
    data = b"\xef\xbb\xbf" + LEAKY.replace("\n", "\r\n").encode()
    run = leaklint_process(
        "--isolated", "--format", "json", "--stdin-filename", "piped.py", "-", cwd=tmp_path, stdin=data
    )
    no_traceback(run)
    assert run.code == 1
    [finding] = run.findings
    assert (finding["path"], finding["code"], position(finding)) == ("piped.py", "LL303", (3, 20, 3, 34))


def test_deep_operator_chain_in_whole_file_analysis_is_ll003_not_an_internal_error():
    """``ast.parse`` accepts a 1,500-term chain; the recursive name binding
    walk behind the module-container rules does not: LL003, never LL002."""
    from leaklint.engine import lint_source
    from leaklint.registry import all_codes

    source = "_cache = {}\ndef f(k):\n    _cache[k] = " + " + ".join(["k"] * 1500) + "\n"
    findings = lint_source(source.encode(), "chain.py", all_codes())
    assert [f.code for f in findings] == ["LL003"]
    assert "nested too deeply" in findings[0].message


def test_a_current_folder_that_no_longer_exists_is_a_usage_error(tmp_path):
    gone = tmp_path / "gone"
    gone.mkdir()
    script = f"import os, sys; os.chdir({str(gone)!r}); os.rmdir({str(gone)!r}); from leaklint.cli import main; sys.exit(main(['.']))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "the current folder no longer exists" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
