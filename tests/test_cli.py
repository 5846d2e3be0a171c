"""The command line as users run it: exit codes, formats, selection, noqa, stdin."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from leaklint import __version__

from .conftest import FIXTURES, LEAKY, codes_of, write, write_project


@pytest.fixture
def project(tmp_path):
    return write_project(tmp_path)


def test_text_output_is_flake8_format_sorted_by_path(cli, project):
    run = cli("--isolated", "pkg", cwd=project)
    assert run.code == 1
    assert run.out.splitlines() == [
        "pkg/growing.py:1:25: LL106 mutable default of 'seen' is shared by every call of remember() and grows it "
        "with append() (line 2), so it keeps growing; default to None and create it in the body",
        "pkg/leaky.py:3:20: LL303 file opened by open() is never closed: it is left to the garbage collector; use 'with open(...) as f:'",
    ]
    assert run.err == ""


def test_default_path_is_current_folder(cli, project):
    run = cli("--isolated", cwd=project / "pkg")
    assert sorted(line.split(":")[0] for line in run.out.splitlines()) == ["growing.py", "leaky.py"]


def test_clean_run_exits_zero_and_prints_nothing(cli, tmp_path):
    write(tmp_path / "ok.py", "with open('x') as f:\n    f.read()\n")
    run = cli("--isolated", str(tmp_path))
    assert (run.code, run.out, run.err) == (0, "", "")


def test_exit_zero(cli, project):
    run = cli("--isolated", "--exit-zero", "pkg", cwd=project)
    assert run.code == 0 and run.out


def test_json_format_schema(cli, project):
    run = cli("--isolated", "--format", "json", "pkg/leaky.py", cwd=project)
    assert run.code == 1
    assert run.findings == [
        {
            "path": "pkg/leaky.py",
            "line": 3,
            "column": 20,
            "end_line": 3,
            "end_column": 34,
            "code": "LL303",
            "message": "file opened by open() is never closed: it is left to the garbage collector; use 'with open(...) as f:'",
            "fix": {
                "title": "Open it in a 'with' block around the load() call, which closes it after",
                "applicability": "safe",
                "edits": [
                    {
                        "line": 3,
                        "column": 1,
                        "end_line": 3,
                        "end_column": 35,
                        "replacement": "with open('c.json') as f:\n    config = json.load(f)",
                    }
                ],
            },
            "watch": None,
        }
    ]


def test_json_format_with_no_findings_is_an_empty_list(cli, tmp_path):
    write(tmp_path / "ok.py", "x = 1\n")
    run = cli("--isolated", "--format", "json", str(tmp_path))
    assert (run.code, json.loads(run.out)) == (0, [])


@pytest.mark.parametrize(
    "flags, expected",
    [
        (["--select", "LL106"], ["LL106"]),
        (["--select", "LL3"], ["LL303"]),
        (["--select", "ll303"], ["LL303"]),
        (["--ignore", "LL106"], ["LL303"]),
        (["--ignore", "LL"], []),
        (["--select", "LL106,LL303"], ["LL106", "LL303"]),
        (["--select", "LL1", "--extend-select", "LL303"], ["LL106", "LL303"]),
        (["--extend-ignore", "LL3"], ["LL106"]),
        (["--ignore", "LL3", "--extend-select", "LL303"], ["LL106", "LL303"]),
        (["--select", "LL1", "--ignore", "LL106"], []),
    ],
)
def test_selection(cli, project, flags, expected):
    run = cli("--isolated", "--format", "json", *flags, "pkg", cwd=project)
    assert sorted(codes_of(run.findings)) == expected
    assert run.code == (1 if expected else 0)


@pytest.mark.parametrize("flag", ["--select", "--ignore", "--extend-select", "--extend-ignore"])
def test_unknown_code_is_a_usage_error(cli, project, flag):
    with pytest.raises(SystemExit) as exit_info:
        cli("--isolated", flag, "LL999", "pkg", cwd=project)
    assert exit_info.value.code == 2


def test_unknown_option_is_a_usage_error(cli):
    with pytest.raises(SystemExit) as exit_info:
        cli("--no-such-option")
    assert exit_info.value.code == 2


def test_missing_path_is_an_error_and_the_others_are_still_linted(cli, tmp_path):
    run = cli("--isolated", str(tmp_path / "missing.py"))
    assert run.code == 2
    assert "missing.py: no such file or directory" in run.err
    assert run.out == ""
    write(tmp_path / "leaky.py", LEAKY)
    run = cli("--isolated", "--no-cache", str(tmp_path / "missing.py"), str(tmp_path / "leaky.py"))
    assert run.code == 2  # the missing one makes the run an error, after the other was linted
    assert "leaky.py:3:20: LL303 " in run.out
    assert "error: " in run.err and "missing.py: no such file or directory" in run.err


def test_a_folder_that_cannot_be_listed_is_an_error_not_a_pass(cli, tmp_path, monkeypatch):
    import os

    from leaklint.batch import discovery

    write(tmp_path / "src" / "locked" / "leaky.py", LEAKY)
    write(tmp_path / "src" / "leaky.py", LEAKY)
    listing = os.scandir

    def scandir(path):  # as for a folder without the read permission, even as root
        if os.path.basename(os.path.normpath(path)) == "locked":
            raise PermissionError(13, "Permission denied")
        return listing(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    run = cli("--isolated", "--no-cache", "src", cwd=tmp_path)
    assert run.code == 2
    assert "src/leaky.py:3:20: LL303 " in run.out  # the rest was linted
    assert "error: src/locked: cannot list folder: Permission denied" in run.err


def test_show_source(cli, project):
    run = cli("--isolated", "--show-source", "pkg/leaky.py", cwd=project)
    assert run.out.splitlines()[1:] == ["config = json.load(open('c.json'))", " " * 19 + "^"]


def test_statistics(cli, project):
    write(project / "pkg" / "more.py", "data = open('p').read()\n")
    run = cli("--isolated", "--statistics", "pkg", cwd=project)
    assert run.out.splitlines()[-2:] == [
        "1     LL106 mutable default of 'seen' is shared by every call of remember() and grows it with append() "
        "(line 2), so it keeps growing; default to None and create it in the body",
        "2     LL303 file opened by open() is never closed: it is left to the garbage collector; use 'with open(...) as f:'",
    ]


def test_output_file(cli, project):
    run = cli("--isolated", "--output-file", "out.txt", "pkg/leaky.py", cwd=project)
    assert run.code == 1 and run.out == ""
    assert (project / "out.txt").read_text().startswith("pkg/leaky.py:3:20: LL303 ")


def test_stdin(cli):
    run = cli("--isolated", "-", stdin=LEAKY.encode())
    assert run.code == 1
    assert run.out.startswith("-:3:20: LL303 ")


def test_stdin_filename(cli):
    run = cli("--isolated", "--stdin-filename", "app/settings.py", "-", stdin=LEAKY.encode())
    assert run.out.startswith("app/settings.py:3:20: LL303 ")


def test_stdin_filename_applies_per_file_ignores(cli, tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.leaklint]\nper-file-ignores = {"scripts/*" = ["LL303"]}\n')
    run = cli("--stdin-filename", "scripts/run.py", "-", stdin=LEAKY.encode(), cwd=tmp_path)
    assert (run.code, run.out) == (0, "")


def test_list_rules(cli):
    run = cli("--list-rules")
    assert run.code == 0
    lines = run.out.splitlines()
    assert any(line.startswith("LL104  cached-instance-method") for line in lines)
    assert any(line.startswith("LL303  resource-discarded") for line in lines)


def test_rule_documentation(cli):
    run = cli("rule", "LL106")
    assert run.code == 0
    assert run.out.startswith("# LL106 accumulating-mutable-default (enabled by default; test modules are not checked)")
    for heading in ("## What it finds", "## Why it leaks", "## Example", "## Fix"):
        assert heading in run.out


def test_rule_documentation_unknown_code(cli):
    run = cli("rule", "LL999")
    assert run.code == 2 and "no rule is named or coded 'LL999'" in run.err


def test_rule_documentation_by_name_and_by_prefix(cli):
    by_name = cli("rule", "resource-discarded")
    assert by_name.code == 0 and by_name.out.startswith("# LL303 resource-discarded ")
    by_prefix = cli("rule", "ll30")
    headings = [line.split()[1] for line in by_prefix.out.splitlines() if line.startswith("# LL")]
    assert headings == ["LL301", "LL302", "LL303", "LL304", "LL305", "LL306", "LL307", "LL308"]


def test_help_shows_every_face_in_its_usage(cli, capsys):
    with pytest.raises(SystemExit):
        cli("--help")
    usage = capsys.readouterr().out.split("\n\n")[0]
    assert "leaklint rule CODE|NAME|PREFIX" in usage and "leaklint run " in usage


def test_version(cli):
    with pytest.raises(SystemExit) as exit_info:
        cli("--version")
    assert exit_info.value.code == 0


def test_console_script_and_module_entry_points(tmp_path):
    module = subprocess.run(
        [sys.executable, "-m", "leaklint", "--version"], capture_output=True, text=True, check=False
    )
    assert module.returncode == 0 and module.stdout.startswith(f"leaklint {__version__} (libcst ")
    fixture = FIXTURES / "LL303" / "positive.py"
    run = subprocess.run(
        [sys.executable, "-m", "leaklint", "--isolated", str(fixture)], capture_output=True, text=True, check=False
    )
    assert run.returncode == 1 and " LL303 " in run.stdout and "Traceback" not in run.stderr


def test_noqa_variants(cli, tmp_path):
    source = (
        "a = open('p').read()  # noqa\n"
        "b = open('p').read()  # noqa: LL303\n"
        "c = open('p').read()  # NoQA:ll303\n"
        "d = open('p').read()  # noqa:LL106,LL303\n"
        "e = open('p').read()  # noqa: LL3\n"
        "f = open('p').read()  # noqa: LL106\n"
        "g = open('p').read()  # noqa:E501 LL303\n"
        "h = open('p').read()\n"
        "s = '# noqa'; i = open('p').read()\n"
    )
    write(tmp_path / "m.py", source)
    run = cli("--isolated", "--format", "json", str(tmp_path / "m.py"))
    assert [f["line"] for f in run.findings] == [6, 8, 9]


def test_skip_file(cli, tmp_path):
    write(tmp_path / "m.py", "# leaklint: skip-file\n" + LEAKY)
    assert cli("--isolated", str(tmp_path)).code == 0


def test_explicit_file_with_other_suffix_is_linted(cli, tmp_path):
    write(tmp_path / "script", LEAKY)
    assert cli("--isolated", str(tmp_path / "script")).code == 1


def test_discovery_skips_default_excludes_and_virtualenvs(cli, tmp_path):
    for folder in (".git", "build", "dist", "__pycache__", ".tox", ".nox", "node_modules", "venv", ".venv"):
        write(tmp_path / folder / "m.py", LEAKY)
    write(tmp_path / "myenv" / "pyvenv.cfg", "home = /usr\n")
    write(tmp_path / "myenv" / "lib" / "m.py", LEAKY)
    write(tmp_path / "src" / "m.pyi", LEAKY)
    write(tmp_path / "src" / "notes.txt", LEAKY)
    run = cli("--isolated", "--format", "json", ".", cwd=tmp_path)
    assert sorted({f["path"] for f in run.findings}) == ["src/m.pyi"]


def test_exclude_flags(cli, project):
    assert cli("--isolated", "--extend-exclude", "leaky.py", "pkg", cwd=project).out.count("LL303") == 0
    assert cli("--isolated", "--exclude", "growing*", "pkg", cwd=project).out.count("LL106") == 0


def test_same_file_given_twice_is_linted_once(cli, project):
    run = cli("--isolated", "pkg/leaky.py", "pkg/leaky.py", "pkg", cwd=project)
    assert run.out.count("leaky.py") == 1


def test_opt_in_rules_need_selecting(cli, tmp_path):
    write(tmp_path / "m.py", "import tempfile\n\ndef f():\n    d = tempfile.mkdtemp()\n    print(d)\n")
    assert cli("--isolated", "--format", "json", str(tmp_path)).findings == []
    run = cli("--isolated", "--format", "json", "--extend-select", "LL307", str(tmp_path))
    assert codes_of(run.findings) == ["LL307"]
    run = cli("--isolated", "--format", "json", "--select", "LL", str(tmp_path))
    assert codes_of(run.findings) == ["LL307"]


def test_stdin_filename_per_file_ignores_with_a_config_elsewhere(cli, tmp_path):
    """Per-file ignores match the standard-input name relative to the config's folder."""
    write(tmp_path / "proj" / "leaklint.toml", 'per-file-ignores = {"scripts/*" = ["LL303"]}\n')
    config = str(tmp_path / "proj" / "leaklint.toml")
    name = str(tmp_path / "proj" / "scripts" / "run.py")
    run = cli("--config", config, "--stdin-filename", name, "-", stdin=LEAKY.encode(), cwd=tmp_path)
    assert (run.code, run.out) == (0, "")
    other = str(tmp_path / "proj" / "app.py")
    run = cli("--config", config, "--stdin-filename", other, "-", stdin=LEAKY.encode(), cwd=tmp_path)
    assert run.code == 1 and " LL303 " in run.out


@pytest.mark.parametrize(
    "flags, name",
    [
        (["--extend-exclude", "generated.py"], "generated.py"),
        (["--extend-exclude", "generated.py"], "pkg/generated.py"),
        (["--extend-exclude", "migrations"], "app/migrations/0001.py"),
        (["--extend-exclude", "app/legacy/*"], "app/legacy/old.py"),
        ([], "build/lib/m.py"),  # a default exclude
        ([], ".venv/lib/m.py"),
    ],
)
def test_stdin_filename_matching_an_exclude_lints_nothing(cli, tmp_path, flags, name):
    run = cli("--isolated", *flags, "--stdin-filename", name, "-", stdin=LEAKY.encode(), cwd=tmp_path)
    assert (run.code, run.out, run.err) == (0, "", "")
    flags = ["--isolated", *flags, "--format", "json", "--stdin-filename", name]
    run = cli(*flags, "-", stdin=LEAKY.encode(), cwd=tmp_path)
    assert (run.code, run.findings) == (0, [])


def test_stdin_filename_excluded_by_the_config_file(cli, tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.leaklint]\nextend-exclude = ["vendor"]\n')
    run = cli("--stdin-filename", "vendor/lib.py", "-", stdin=LEAKY.encode(), cwd=tmp_path)
    assert (run.code, run.out) == (0, "")
    run = cli("--stdin-filename", "src/lib.py", "-", stdin=LEAKY.encode(), cwd=tmp_path)
    assert run.code == 1 and run.out.startswith("src/lib.py:3:20: LL303 ")


def test_stdin_filename_not_excluded_is_linted(cli, tmp_path):
    # Excludes match whole names: "build" does not leave out "builder.py" or "rebuild/".
    for name in ("builder.py", "rebuild/m.py", "src/dist_utils.py"):
        run = cli("--isolated", "--stdin-filename", name, "-", stdin=LEAKY.encode(), cwd=tmp_path)
        assert run.code == 1 and run.out.startswith(f"{name}:3:20: LL303 "), name


def test_explicit_file_in_an_excluded_folder_is_still_linted(cli, tmp_path):
    write(tmp_path / "build" / "m.py", LEAKY)
    assert cli("--isolated", "build/m.py", cwd=tmp_path).code == 1


def test_readme_documents_every_json_field(cli, project):
    """The README's JSON schema table lists exactly the fields the output has, in order."""
    import re

    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## JSON output") :]
    section = section[: section.index("\n## ")]
    documented = re.findall(r"^\| `(\w+)` \|", section, re.M)
    run = cli("--isolated", "--format", "json", "pkg/leaky.py", cwd=project)
    assert documented == list(run.findings[0])


_IMPORTED_LIBCST = (
    "import runpy, sys\n"
    "sys.argv = ['leaklint', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('leaklint', run_name='__main__')\n"
    "except SystemExit:\n"
    "    pass\n"
    "print('libcst' in sys.modules)\n"
)


@pytest.mark.parametrize(
    "source, needed",
    [("x = 1\nprint(x)\n", False), ("def f(p):\n    return open(p).read()\n", True)],
    ids=["nothing to look at", "a candidate"],
)
def test_a_run_imports_libcst_only_when_a_file_needs_it(tmp_path, source, needed):
    """Importing libcst costs more than linting a small file: a run whose
    files hold no candidate (a pre-commit hook on a few files) skips it."""
    write(tmp_path / "small.py", source)
    run = subprocess.run(
        [sys.executable, "-c", _IMPORTED_LIBCST, "--isolated", "--no-cache", str(tmp_path / "small.py")],
        capture_output=True, text=True, check=False,
    )
    assert run.stdout.strip().splitlines()[-1] == str(needed), run.stderr


def test_version_does_not_import_libcst():
    run = subprocess.run(
        [sys.executable, "-c", _IMPORTED_LIBCST, "--version"], capture_output=True, text=True, check=False
    )
    lines = run.stdout.strip().splitlines()
    assert lines[0].startswith("leaklint ") and lines[-1] == "False"


def test_stdin_filename_alone_reads_standard_input(cli, tmp_path):
    write(tmp_path / "other.py", LEAKY)  # the current folder is not linted instead
    run = cli("--isolated", "--no-cache", "--stdin-filename", "app/config.py", stdin=LEAKY.encode(), cwd=tmp_path)
    assert run.code == 1
    assert run.out.startswith("app/config.py:3:20: LL303 ")
    assert "other.py" not in run.out


def test_a_folder_that_cannot_be_searched_for_configuration_is_no_internal_error(cli, tmp_path, monkeypatch):
    from pathlib import Path as RealPath

    write(tmp_path / "locked" / "leaky.py", LEAKY)
    is_file = RealPath.is_file

    def guarded(path):  # as for a folder without the execute permission, even as root
        if path.parent.name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return is_file(path)

    monkeypatch.setattr(RealPath, "is_file", guarded)
    run = cli("--no-cache", "locked", cwd=tmp_path)
    assert "internal error" not in run.err
    assert run.code == 1 and "LL303" in run.out


@pytest.mark.parametrize(
    "flags, environment, coloured",
    [
        (["--color", "always"], {}, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        ([], {}, False),  # auto, and the output is not a terminal
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
    ],
)
def test_colour(cli, project, monkeypatch, flags, environment, coloured):
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    run = cli("--isolated", "--no-cache", *flags, "pkg/leaky.py", cwd=project)
    assert run.code == 1
    assert ("\x1b[1;31mLL303\x1b[0m" in run.out) is coloured
    if coloured:
        assert run.out.startswith("\x1b[1mpkg/leaky.py\x1b[0m\x1b[36m:3:20:\x1b[0m ")
    else:
        assert "\x1b[" not in run.out


def test_json_is_never_coloured(cli, project):
    run = cli("--isolated", "--no-cache", "--color", "always", "--format", "json", "pkg/leaky.py", cwd=project)
    assert "\x1b[" not in run.out


def test_quiet_keeps_findings_and_errors_and_drops_notes(cli, tmp_path):
    write(tmp_path / "settings.py", "data = open('p').read()\nraw = open(name).read()\n")
    loud = cli("--isolated", "--no-cache", "--fix", "settings.py", "missing.py", cwd=tmp_path)
    write(tmp_path / "settings.py", "data = open('p').read()\nraw = open(name).read()\n")
    quiet = cli("--isolated", "--no-cache", "--fix", "-q", "settings.py", "missing.py", cwd=tmp_path)
    assert "fixed 1 finding" in loud.err and "fixed" not in quiet.err
    assert "missing.py: no such file or directory" in quiet.err
    assert quiet.out == loud.out and "LL303" in quiet.out
    assert quiet.code == loud.code == 2


def test_grouped_format_puts_findings_under_their_file_with_the_source(cli, project):
    write(project / "pkg" / "more.py", "import json\n\ndef load(p):\n    return json.load(open(p))\n")
    run = cli("--isolated", "--no-cache", "--format", "grouped", "--select", "LL303", "pkg", cwd=project)
    assert run.code == 1
    assert run.out.splitlines() == [
        "pkg/leaky.py:",
        "  3:20 LL303 file opened by open() is never closed: it is left to the garbage collector; use 'with open(...) as f:'",
        "    config = json.load(open('c.json'))",
        "                       ^",
        "",
        "pkg/more.py:",
        "  4:22 LL303 file opened by open() is never closed: it is left to the garbage collector; use 'with open(...) as f:'",
        "        return json.load(open(p))",
        "                         ^",
    ]
