"""``--fix``, ``--diff``, ``--unsafe-fixes``: fixes applied, checked, written safely."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from leaklint.analysis.import_block import import_insertion, imported_as
from leaklint.batch.autofix import _parsing
from leaklint.fixes import Edit, Fix, apply

from .conftest import write

READS = '''\
"""Settings."""
import json


def load(name):
    text = open("settings.json").read()
    raw = open(name, "rb").read()
    return json.loads(text), raw
'''

SAFELY_FIXED = '''\
"""Settings."""
import json
import pathlib


def load(name):
    text = pathlib.Path("settings.json").read_text()
    raw = open(name, "rb").read()
    return json.loads(text), raw
'''


def test_diff_shows_what_fix_would_write_and_writes_nothing(cli, tmp_path):
    source = write(tmp_path / "app" / "settings.py", READS)
    run = cli("--isolated", "--no-cache", "--diff", "app", cwd=tmp_path)
    assert run.code == 1
    assert source.read_text(encoding="utf-8") == READS
    assert run.out.startswith("--- a/app/settings.py\n+++ b/app/settings.py\n")
    assert "+import pathlib\n" in run.out and '+    text = pathlib.Path("settings.json").read_text()\n' in run.out
    assert "read_bytes" not in run.out  # unsafe: ``name`` may be a file descriptor
    assert "would fix 1 finding in 1 file" in run.err
    # The diff applies with patch -p1 from the folder that was linted.
    patched = subprocess.run(["patch", "-p1", "--dry-run"], input=run.out, text=True, cwd=tmp_path, capture_output=True)
    assert patched.returncode == 0, patched.stdout + patched.stderr


def test_diff_with_nothing_to_fix_exits_0(cli, tmp_path):
    write(tmp_path / "clean.py", "x = 1\n")
    run = cli("--isolated", "--no-cache", "--diff", "clean.py", cwd=tmp_path)
    assert (run.code, run.out) == (0, "")


def test_fix_writes_the_safe_fixes_and_reports_what_is_left(cli, tmp_path):
    source = write(tmp_path / "settings.py", READS)
    run = cli("--isolated", "--no-cache", "--format", "json", "--fix", "settings.py", cwd=tmp_path)
    assert source.read_text(encoding="utf-8") == SAFELY_FIXED
    assert [(f["line"], f["code"]) for f in run.findings] == [(8, "LL303")]  # the unsafe one, on its new line
    assert run.findings[0]["fix"]["applicability"] == "unsafe"
    assert run.code == 1
    assert "fixed 1 finding in 1 file" in run.err


def test_a_second_fix_changes_nothing(cli, tmp_path):
    source = write(tmp_path / "settings.py", READS)
    cli("--isolated", "--no-cache", "--fix", "--unsafe-fixes", "settings.py", cwd=tmp_path)
    fixed = source.read_bytes()
    run = cli("--isolated", "--no-cache", "--fix", "--unsafe-fixes", "settings.py", cwd=tmp_path)
    assert source.read_bytes() == fixed
    assert "read_bytes()" in fixed.decode()
    assert run.code == 0
    assert "fixed 0 findings in 0 files" in run.err


def test_fix_keeps_encoding_bom_line_endings_and_mode(cli, tmp_path):
    text = "# -*- coding: latin-1 -*-\r\n# café\r\ndata = open('p').read()\r\n"
    source = write(tmp_path / "legacy.py", data=text.encode("latin-1"))
    source.chmod(0o750)
    with_bom = write(tmp_path / "bom.py", data=b"\xef\xbb\xbfdata = open('p').read()\n")
    cli("--isolated", "--no-cache", "--fix", "legacy.py", "bom.py", cwd=tmp_path)
    assert source.read_bytes() == (
        "# -*- coding: latin-1 -*-\r\n# café\r\nimport pathlib\r\ndata = pathlib.Path('p').read_text()\r\n"
    ).encode("latin-1")
    assert stat.S_IMODE(source.stat().st_mode) == 0o750
    assert with_bom.read_bytes() == b"\xef\xbb\xbfimport pathlib\ndata = pathlib.Path('p').read_text()\n"
    assert not [name for name in os.listdir(tmp_path) if name.startswith(".leaklint-fix-")]


def test_overlapping_fixes_are_applied_in_rounds(cli, tmp_path):
    source = write(tmp_path / "nested.py", "data = open(open('index').read().strip()).read()\n")
    run = cli("--isolated", "--no-cache", "--fix", "--unsafe-fixes", "nested.py", cwd=tmp_path)
    assert source.read_text(encoding="utf-8") == (
        "import pathlib\ndata = pathlib.Path(pathlib.Path('index').read_text().strip()).read_text()\n"
    )
    assert run.code == 0
    assert "fixed 2 findings in 1 file" in run.err


def test_unsafe_fixes_needs_fix_or_diff(cli, tmp_path):
    write(tmp_path / "settings.py", READS)
    run = cli("--isolated", "--unsafe-fixes", "settings.py", cwd=tmp_path)
    assert run.code == 2
    assert "--unsafe-fixes goes with --fix or --diff" in run.err


def test_standard_input_is_not_fixed(cli, tmp_path):
    run = cli("--isolated", "--no-cache", "--fix", "-", stdin=b"data = open('p').read()\n", cwd=tmp_path)
    assert run.code == 1
    assert "standard input is not fixed" in run.err


def test_a_file_that_cannot_be_written_is_an_error(cli, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    folder = tmp_path / "locked"
    write(folder / "settings.py", READS)
    folder.chmod(0o555)
    try:
        run = cli("--isolated", "--no-cache", "--fix", "locked", cwd=tmp_path)
    finally:
        folder.chmod(0o755)
    assert run.code == 2
    assert "cannot write file" in run.err


def test_json_and_sarif_carry_the_fix(cli, tmp_path):
    write(tmp_path / "settings.py", "data = open('p').read()\n")
    [finding] = cli("--isolated", "--no-cache", "--format", "json", "settings.py", cwd=tmp_path).findings
    assert finding["fix"] == {
        "title": "Read it with pathlib.Path.read_text(), which closes the file",
        "applicability": "safe",
        "edits": [
            {"line": 1, "column": 8, "end_line": 1, "end_column": 24, "replacement": "pathlib.Path('p').read_text()"},
            {"line": 1, "column": 1, "end_line": 1, "end_column": 1, "replacement": "import pathlib\n"},
        ],
    }
    import json

    log = json.loads(cli("--isolated", "--no-cache", "--format", "sarif", "settings.py", cwd=tmp_path).out)
    [result] = log["runs"][0]["results"]
    [change] = result["fixes"][0]["artifactChanges"]
    assert change["replacements"][0]["insertedContent"]["text"] == "pathlib.Path('p').read_text()"


# -- the parts --------------------------------------------------------------------


def test_apply_skips_overlapping_fixes_and_makes_a_shared_edit_once():
    text = "a = open(x).read()\nb = 2\n"
    imports = Edit(1, 1, 1, 1, "import pathlib\n")
    first = Fix("one", True, (Edit(1, 5, 1, 19, "A"), imports))
    overlapping = Fix("two", True, (Edit(1, 10, 1, 11, "y"),))
    second = Fix("three", True, (Edit(2, 5, 2, 6, "3"), imports))
    fixed, applied = apply(text, [first, overlapping, second])
    assert fixed == "import pathlib\na = A\nb = 3\n"
    assert applied == [first, second]


def test_apply_ignores_an_edit_past_the_end():
    assert apply("x = 1\n", [Fix("t", True, (Edit(9, 1, 9, 2, "y"),))]) == ("x = 1\n", [])


def test_a_fix_whose_result_does_not_parse_is_dropped():
    text = "a = 1\nb = 2\n"
    good = Fix("good", True, (Edit(1, 5, 1, 6, "10"),))
    bad = Fix("bad", True, (Edit(2, 5, 2, 6, "(("),))
    assert _parsing(text, [good, bad]) == ("a = 10\nb = 2\n", [good])


@pytest.mark.parametrize(
    "source, expected",
    [
        ("x = 1\n", Edit(1, 1, 1, 1, "import pathlib\n")),
        ('"""Doc."""\nx = 1\n', Edit(2, 1, 2, 1, "import pathlib\n")),
        ("from __future__ import annotations\nimport os\n\nx = 1\n", Edit(3, 1, 3, 1, "import pathlib\n")),
        ("import os\r\nx = 1\r\n", Edit(2, 1, 2, 1, "import pathlib\r\n")),
        ("import os", Edit(1, 10, 1, 10, "\nimport pathlib")),
    ],
)
def test_an_import_goes_after_the_import_block(source, expected):
    import ast

    assert import_insertion(ast.parse(source), source, "pathlib") == expected


def test_the_module_s_own_spelling_of_an_import_is_used():
    import ast

    assert imported_as(ast.parse("from pathlib import Path\n"), "pathlib", "Path") == "Path"
    assert imported_as(ast.parse("import pathlib as pl\n"), "pathlib", "Path") == "pl.Path"
    assert imported_as(ast.parse("import os\n"), "pathlib", "Path") is None


def test_fix_runs_as_a_command(tmp_path):
    """The installed command, in a subprocess: what pre-commit runs."""
    source = write(tmp_path / "settings.py", "data = open('p').read()\n")
    done = subprocess.run(
        [sys.executable, "-m", "leaklint", "--isolated", "--fix", "settings.py"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert source.read_text(encoding="utf-8") == "import pathlib\ndata = pathlib.Path('p').read_text()\n"


def test_an_import_goes_after_a_coding_cookie_and_before_decorators():
    import ast

    source = "#!/usr/bin/env python\n# -*- coding: latin-1 -*-\n\n@decorate\ndef f(): pass\n"
    assert import_insertion(ast.parse(source), source, "pathlib") == Edit(4, 1, 4, 1, "import pathlib\n")
    assert import_insertion(ast.parse("# only a comment\n"), "# only a comment\n", "pathlib") == Edit(
        2, 1, 2, 1, "import pathlib\n"
    )


def test_a_with_block_keeps_the_file_s_line_breaks(cli, tmp_path):
    source = write(tmp_path / "state.py", data=b"import json\r\nif True:\r\n    state = json.load(open('s.json'))\r\n")
    cli("--isolated", "--no-cache", "--fix", "state.py", cwd=tmp_path)
    assert source.read_bytes() == (
        b"import json\r\nif True:\r\n    with open('s.json') as f:\r\n        state = json.load(f)\r\n"
    )


def test_a_call_that_keeps_the_file_gets_no_with_block(cli, tmp_path):
    write(tmp_path / "rows.py", "import csv\nrows = csv.reader(open('r.csv'))\n")
    run = cli("--isolated", "--no-cache", "--format", "json", "rows.py", cwd=tmp_path)
    assert [(finding["code"], finding["fix"]) for finding in run.findings] == [("LL303", None)]


def test_closing_a_connection_is_safe_only_when_nothing_uses_it_after_the_block(cli, tmp_path):
    write(tmp_path / "db.py", (
        "import sqlite3\n\n"
        "def count(path):\n    with sqlite3.connect(path) as conn:\n        return conn.execute('q').fetchone()\n\n"
        "def connect(path):\n    with sqlite3.connect(path) as db:\n        db.execute('pragma')\n    return db\n\n"
        "def keep(self, path):\n    with sqlite3.connect(path) as db:\n        self.db = db\n"
    ))
    run = cli("--isolated", "--no-cache", "--format", "json", "db.py", cwd=tmp_path)
    assert [(f["line"], f["fix"]["applicability"]) for f in run.findings] == [(4, "safe"), (8, "unsafe"), (13, "unsafe")]


@pytest.mark.parametrize(
    "source, expected",
    [
        ("from functools import cache\n", "from functools import cache, lru_cache\n"),
        ("from functools import (\n    cache,\n    wraps as w\n)\n", "from functools import (\n    cache,\n    wraps as w, lru_cache\n)\n"),
    ],
)
def test_a_name_joins_the_module_s_from_import(source, expected):
    import ast

    from leaklint.analysis.import_block import name_insertion

    edit = name_insertion(ast.parse(source), source, "functools", "lru_cache")
    assert apply(source, [Fix("t", True, (edit,))])[0] == expected
    assert name_insertion(ast.parse("import functools\n"), "import functools\n", "functools", "lru_cache") is None


def test_a_process_with_pipes_gets_a_with_statement_only_as_an_unsafe_fix(cli, tmp_path):
    source = write(tmp_path / "run.py", (
        "import subprocess\n\ndef first(cmd):\n    p = subprocess.Popen(cmd, stdout=subprocess.PIPE)\n"
        "    line = p.stdout.readline()\n    p.wait()\n    return line\n"
    ))
    [finding] = cli("--isolated", "--no-cache", "--format", "json", "run.py", cwd=tmp_path).findings
    assert (finding["code"], finding["fix"]["applicability"]) == ("LL301", "unsafe")
    cli("--isolated", "--no-cache", "--fix", "run.py", cwd=tmp_path)
    assert "p.wait()" in source.read_text(encoding="utf-8")  # --fix alone leaves it


def test_a_finalizer_is_given_the_handle_only_once_the_handle_exists(cli, tmp_path):
    write(tmp_path / "conn.py", (
        "import weakref\n\nclass Early:\n    def __init__(self, handle):\n        self.handle = handle\n"
        "        weakref.finalize(self, self.close)\n    def close(self):\n        self.handle.release()\n\n"
        "class Late:\n    def __init__(self, handle):\n        weakref.finalize(self, self.close)\n        self.handle = handle\n"
        "    def close(self):\n        self.handle.release()\n"
    ))
    findings = cli("--isolated", "--no-cache", "--format", "json", "conn.py", cwd=tmp_path).findings
    assert [(f["code"], f["line"], f["fix"] and f["fix"]["applicability"]) for f in findings] == [
        ("LL202", 6, "unsafe"),
        ("LL202", 12, None),  # self.handle does not exist yet when the finalizer is made
    ]
