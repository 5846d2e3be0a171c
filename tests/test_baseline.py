"""``--write-baseline`` / ``--baseline``: adopt leaklint on legacy code, fail only on new findings."""

from __future__ import annotations

import json

import pytest

from leaklint.core.finding import Finding
from leaklint.batch.fingerprints import fingerprints

from .conftest import GROWING, LEAKY, codes_of, write, write_project


# The same code after a formatter and a few new lines above each finding.
LEAKY_REFORMATTED = (
    '"""Settings."""\n'
    "import os\n"
    "import json\n"
    "\n"
    "\n"
    "config = json.load(\n"
    "    open(\n"
    '        "c.json",\n'
    "    )\n"
    ")\n"
)
GROWING_REFORMATTED = (
    '"""Helpers."""\n'
    "LIMIT = 3\n"
    "\n"
    "\n"
    "def remember(\n"
    "    item,\n"
    "    seen=[],\n"
    "):\n"
    "    seen.append(item)\n"
    "    return len(seen)\n"
)


@pytest.fixture
def project(tmp_path):
    return write_project(tmp_path)


@pytest.fixture
def baselined(cli, project):
    """The project with its findings recorded in ``baseline.json``."""
    run = cli("--isolated", "--write-baseline", "baseline.json", "pkg", cwd=project)
    assert (run.code, run.out) == (0, "")
    assert run.err == "leaklint: recorded 2 findings in baseline.json\n"
    return project


def lint_with_baseline(cli, project, *paths: str):
    return cli("--isolated", "--format", "json", "--baseline", "baseline.json", *(paths or ("pkg",)), cwd=project)


def test_written_baseline_records_path_code_and_fingerprint(baselined):
    data = json.loads((baselined / "baseline.json").read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert [(entry["path"], entry["code"]) for entry in data["findings"]] == [
        ("pkg/growing.py", "LL106"),
        ("pkg/leaky.py", "LL303"),
    ]
    assert all(set(entry) == {"path", "code", "fingerprint"} for entry in data["findings"])


def test_baselined_findings_are_not_reported(cli, baselined):
    run = lint_with_baseline(cli, baselined)
    assert (run.code, run.findings, run.err) == (0, [], "")


def test_findings_survive_lines_added_above_and_reformatting(cli, baselined):
    write(baselined / "pkg" / "leaky.py", LEAKY_REFORMATTED)
    write(baselined / "pkg" / "growing.py", GROWING_REFORMATTED)
    assert codes_of(cli("--isolated", "--format", "json", "pkg", cwd=baselined).findings) == ["LL106", "LL303"]
    run = lint_with_baseline(cli, baselined)
    assert (run.code, run.findings, run.err) == (0, [], "")


def test_only_a_new_leak_is_reported(cli, baselined):
    write(baselined / "pkg" / "leaky.py", LEAKY + "\n\ndef load(p):\n    return json.load(open(p))\n")
    run = lint_with_baseline(cli, baselined)
    assert run.code == 1
    assert [(f["path"], f["line"], f["code"]) for f in run.findings] == [("pkg/leaky.py", 7, "LL303")]


def test_a_second_copy_of_a_baselined_leak_is_new(cli, baselined):
    write(baselined / "pkg" / "leaky.py", LEAKY + "other = json.load(open('c.json'))\n")
    run = lint_with_baseline(cli, baselined)
    assert [(f["line"], f["code"]) for f in run.findings] == [(4, "LL303")]


def test_the_same_code_moved_into_another_function_is_new(cli, baselined):
    write(baselined / "pkg" / "leaky.py", "import json\n\ndef load():\n    return json.load(open('c.json'))\n")
    run = lint_with_baseline(cli, baselined)
    assert codes_of(run.findings) == ["LL303"]
    assert "1 finding in the baseline no longer occurs" in run.err


def test_fixed_findings_are_counted_as_no_longer_occurring(cli, baselined):
    write(baselined / "pkg" / "growing.py", GROWING.replace("seen=[]", "seen=()"))
    run = lint_with_baseline(cli, baselined)
    assert (run.code, run.findings) == (0, [])
    assert run.err == (
        "leaklint: 1 finding in the baseline no longer occurs; refresh it with --write-baseline\n"
    )


def test_files_and_rules_not_checked_are_not_called_stale(cli, baselined):
    run = lint_with_baseline(cli, baselined, "pkg/leaky.py")
    assert (run.code, run.findings, run.err) == (0, [], "")
    run = cli("--isolated", "--select", "LL303", "--baseline", "baseline.json", "pkg", cwd=baselined)
    assert (run.code, run.out, run.err) == (0, "", "")


def test_baseline_paths_do_not_depend_on_the_working_directory(cli, baselined):
    run = cli("--isolated", "--baseline", "../baseline.json", ".", cwd=baselined / "pkg")
    assert (run.code, run.out, run.err) == (0, "", "")
    run = cli("--isolated", "--baseline", str(baselined / "baseline.json"), str(baselined / "pkg"))
    assert (run.code, run.out, run.err) == (0, "", "")


def test_rewriting_the_baseline_refreshes_it(cli, baselined):
    write(baselined / "pkg" / "growing.py", "x = 1\n")
    run = cli("--isolated", "--write-baseline", "baseline.json", "pkg", cwd=baselined)
    assert (run.code, run.err) == (0, "leaklint: recorded 1 finding in baseline.json\n")
    run = lint_with_baseline(cli, baselined)
    assert (run.code, run.findings, run.err) == (0, [], "")


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "missing.json: cannot read baseline: No such file or directory"),
        ("{", "not a leaklint baseline (invalid JSON at line 1 column 2)"),
        ("[]", "not a leaklint baseline (expected an object with a 'findings' list)"),
        ('{"version": 9, "findings": []}', "unsupported version 9"),
        ('{"version": 1, "findings": [{"path": "a.py"}]}', "finding 1 needs string 'path', 'code' and 'fingerprint'"),
        (b"\xff\xfe{", "not a leaklint baseline (not UTF-8 text)"),
    ],
)
def test_a_bad_baseline_is_a_clear_error(cli, project, content, message):
    name = "missing.json"
    if content is not None:
        name = "bad.json"
        write(project / name, data=content) if isinstance(content, bytes) else write(project / name, content)
    run = cli("--isolated", "--baseline", name, "pkg", cwd=project)
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith(f"leaklint: error: {name}: ") and message in run.err
    assert len(run.err.splitlines()) == 1 and "Traceback" not in run.err


def test_an_unwritable_baseline_is_a_clear_error(cli, project):
    run = cli("--isolated", "--write-baseline", "no/such/folder/baseline.json", "pkg", cwd=project)
    assert run.code == 2
    assert run.err == (
        "leaklint: error: no/such/folder/baseline.json: cannot write baseline: No such file or directory\n"
    )


def test_fingerprints_count_equal_findings_in_source_order():
    line = "x = open(p)\n"
    first, second = Finding(1, 5, "LL301", "m", 1, 12), Finding(2, 5, "LL301", "m", 2, 12)
    forward = fingerprints(line * 2, [first, second])
    assert forward[0] != forward[1]
    assert fingerprints(line * 2, [second, first]) == forward[::-1]
    assert fingerprints(None, [first]) == fingerprints("", [first])
