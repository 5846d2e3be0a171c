"""Configuration in ``[tool.leaklint]``: discovery, keys, flags on top, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import GROWING, codes_of, write

LEAKY = "data = open('p').read()\n"


def pyproject(folder: Path, body: str) -> Path:
    return write(folder / "pyproject.toml", "[project]\nname = 'demo'\n\n[tool.leaklint]\n" + body)


@pytest.fixture
def project(tmp_path):
    """A project with one LL303 and one LL106 finding under src/."""
    root = tmp_path / "project"
    write(root / "src" / "leaky.py", LEAKY)
    write(root / "src" / "growing.py", GROWING)
    write(root / "src" / "clean.py", "x = 1\n")
    return root


def found(run) -> list:
    """(path, code) pairs of a JSON run, sorted."""
    return sorted((f["path"], f["code"]) for f in run.findings)


def assert_config_error(run, *fragments: str) -> None:
    """Exit 2, nothing on stdout, one line on stderr holding every fragment, no traceback."""
    assert run.code == 2, (run.out, run.err)
    assert run.out == ""
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    assert "Traceback" not in run.err
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


# --- finding the configuration ---------------------------------------------------------


def test_pyproject_found_upward_from_a_subfolder(cli, project):
    pyproject(project, 'select = ["LL106"]\n')
    run = cli("--format", "json", ".", cwd=project / "src")
    assert found(run) == [("growing.py", "LL106")]
    assert run.code == 1


def test_pyproject_found_from_the_linted_paths_not_the_current_folder(cli, project, tmp_path):
    pyproject(project, 'select = ["LL106"]\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = cli("--format", "json", str(project / "src"), cwd=elsewhere)
    assert codes_of(run.findings) == ["LL106"]


def test_pyproject_without_a_leaklint_table_is_passed_over(cli, project):
    pyproject(project, 'select = ["LL106"]\n')
    write(project / "src" / "pyproject.toml", "[project]\nname = 'inner'\n\n[tool.black]\nline-length = 99\n")
    run = cli("--format", "json", ".", cwd=project / "src")
    assert codes_of(run.findings) == ["LL106"]


def test_nearest_pyproject_wins(cli, project):
    pyproject(project, 'select = ["LL106"]\n')
    pyproject(project / "src", 'select = ["LL303"]\n')
    run = cli("--format", "json", ".", cwd=project / "src")
    assert codes_of(run.findings) == ["LL303"]


def test_empty_leaklint_table_means_defaults(cli, project):
    pyproject(project, "")
    run = cli("--format", "json", "src", cwd=project)
    assert found(run) == [("src/growing.py", "LL106"), ("src/leaky.py", "LL303")]


# --- select / ignore / extend-* ---------------------------------------------------------


@pytest.mark.parametrize(
    "body, expected",
    [
        ('select = ["LL106"]\n', ["LL106"]),
        ('select = ["LL3"]\n', ["LL303"]),
        ('select = ["ll303"]\n', ["LL303"]),
        ('ignore = ["LL106"]\n', ["LL303"]),
        ('ignore = ["LL"]\n', []),
        ('select = ["LL1"]\nextend-select = ["LL303"]\n', ["LL106", "LL303"]),
        ('extend-ignore = ["LL3"]\n', ["LL106"]),
        ('ignore = ["LL106"]\nextend-ignore = ["LL303"]\n', []),
    ],
)
def test_selection_from_the_file(cli, project, body, expected):
    pyproject(project, body)
    run = cli("--format", "json", "src", cwd=project)
    assert sorted(codes_of(run.findings)) == expected
    assert run.code == (1 if expected else 0)


def test_command_line_select_overrides_the_file(cli, project):
    pyproject(project, 'select = ["LL106"]\n')
    run = cli("--format", "json", "--select", "LL303", "src", cwd=project)
    assert codes_of(run.findings) == ["LL303"]


def test_command_line_ignore_overrides_the_file(cli, project):
    pyproject(project, 'ignore = ["LL303"]\n')
    run = cli("--format", "json", "--ignore", "LL106", "src", cwd=project)
    assert codes_of(run.findings) == ["LL303"]


def test_command_line_extend_select_adds_to_the_file(cli, project):
    pyproject(project, 'select = ["LL106"]\n')
    run = cli("--format", "json", "--extend-select", "LL303", "src", cwd=project)
    assert sorted(codes_of(run.findings)) == ["LL106", "LL303"]


def test_command_line_extend_ignore_adds_to_the_file(cli, project):
    pyproject(project, 'extend-ignore = ["LL303"]\n')
    run = cli("--format", "json", "--extend-ignore", "LL106", "src", cwd=project)
    assert (run.code, run.findings) == (0, [])


# --- exclude / extend-exclude -------------------------------------------------------------


def test_extend_exclude_by_name_keeps_the_default_excludes(cli, project):
    write(project / "build" / "gen.py", LEAKY)
    pyproject(project, 'extend-exclude = ["leaky.py"]\n')
    run = cli("--format", "json", ".", cwd=project)
    assert found(run) == [("src/growing.py", "LL106")]


def test_exclude_replaces_the_default_excludes(cli, project):
    write(project / "build" / "gen.py", LEAKY)
    pyproject(project, 'exclude = ["growing.py"]\n')
    run = cli("--format", "json", ".", cwd=project)
    assert found(run) == [("build/gen.py", "LL303"), ("src/leaky.py", "LL303")]


def test_exclude_patterns_are_relative_to_the_config_folder(cli, project):
    write(project / "src" / "legacy" / "old.py", LEAKY)
    write(project / "src" / "legacy" / "keep" / "x.py", "x = 1\n")
    pyproject(project, 'extend-exclude = ["src/legacy/*", "src/growing.py"]\n')
    run = cli("--format", "json", ".", cwd=project / "src")  # run from the subfolder
    assert found(run) == [("leaky.py", "LL303")]


def test_exclude_glob(cli, project):
    write(project / "src" / "test_one.py", LEAKY)
    write(project / "src" / "tests" / "helper.py", LEAKY)
    pyproject(project, 'extend-exclude = ["test_*.py", "tests/"]\n')
    run = cli("--format", "json", "src", cwd=project)
    assert found(run) == [("src/growing.py", "LL106"), ("src/leaky.py", "LL303")]


def test_command_line_exclude_overrides_and_extend_exclude_adds(cli, project):
    pyproject(project, 'exclude = ["growing.py"]\n')
    run = cli("--format", "json", "--exclude", "leaky.py", "src", cwd=project)
    assert found(run) == [("src/growing.py", "LL106")]
    run = cli("--format", "json", "--extend-exclude", "leaky.py", "src", cwd=project)
    assert found(run) == []


# --- per-file-ignores -----------------------------------------------------------------------


def test_per_file_ignores_glob_relative_to_config_folder(cli, project):
    write(project / "scripts" / "run.py", LEAKY)
    write(project / "src" / "scripts" / "tool.py", LEAKY)  # not project/scripts/*
    pyproject(project, '[tool.leaklint.per-file-ignores]\n"scripts/*" = ["LL303"]\n')
    run = cli("--format", "json", ".", cwd=project)
    assert found(run) == [
        ("src/growing.py", "LL106"),
        ("src/leaky.py", "LL303"),
        ("src/scripts/tool.py", "LL303"),
    ]


def test_per_file_ignores_from_a_subfolder_run(cli, project):
    pyproject(project, 'per-file-ignores = {"src/leaky.py" = ["LL3"], "src/growing.py" = ["LL106"]}\n')
    run = cli("--format", "json", ".", cwd=project / "src")
    assert (run.code, run.findings) == (0, [])


def test_per_file_ignores_by_file_name(cli, project):
    pyproject(project, 'per-file-ignores = {"growing.py" = ["LL106"]}\n')
    run = cli("--format", "json", "src", cwd=project)
    assert found(run) == [("src/leaky.py", "LL303")]


def test_per_file_ignores_only_ignore_the_listed_codes(cli, project):
    write(project / "src" / "both.py", GROWING + LEAKY)
    pyproject(project, 'per-file-ignores = {"src/both.py" = ["LL303"]}\n')
    run = cli("--format", "json", "src/both.py", cwd=project)
    assert codes_of(run.findings) == ["LL106"]


# --- --config and --isolated ------------------------------------------------------------------


def test_config_option_with_a_pyproject(cli, project, tmp_path):
    pyproject(project, 'select = ["LL106"]\n')
    other = pyproject(tmp_path / "other", 'select = ["LL303"]\n')
    run = cli("--format", "json", "--config", str(other), "src", cwd=project)
    assert codes_of(run.findings) == ["LL303"]


def test_config_option_with_a_standalone_toml(cli, project):
    pyproject(project, 'select = ["LL106"]\n')
    write(project / "leaklint.toml", 'select = ["LL303"]\nextend-exclude = ["clean.py"]\n')
    run = cli("--format", "json", "--config", "leaklint.toml", "src", cwd=project)
    assert found(run) == [("src/leaky.py", "LL303")]


def test_standalone_toml_per_file_ignores_relative_to_its_folder(cli, project):
    write(project / "conf" / "leaklint.toml", '[per-file-ignores]\n"src/*" = ["LL303"]\n')
    # Relative to project/conf, "src/*" names nothing under project/src.
    run = cli("--format", "json", "--config", "conf/leaklint.toml", "src", cwd=project)
    assert found(run) == [("src/growing.py", "LL106"), ("src/leaky.py", "LL303")]
    write(project / "leaklint.toml", '[per-file-ignores]\n"src/*" = ["LL303"]\n')
    run = cli("--format", "json", "--config", "leaklint.toml", "src", cwd=project)
    assert found(run) == [("src/growing.py", "LL106")]


def test_command_line_flags_override_config_option(cli, project):
    write(project / "leaklint.toml", 'select = ["LL303"]\n')
    run = cli("--format", "json", "--config", "leaklint.toml", "--select", "LL106", "src", cwd=project)
    assert codes_of(run.findings) == ["LL106"]


def test_isolated_ignores_the_pyproject(cli, project):
    pyproject(project, 'select = ["LL106"]\nextend-exclude = ["leaky.py"]\n')
    run = cli("--isolated", "--format", "json", "src", cwd=project)
    assert found(run) == [("src/growing.py", "LL106"), ("src/leaky.py", "LL303")]


def test_isolated_ignores_a_broken_pyproject(cli, project):
    pyproject(project, "selct = [\n")
    run = cli("--isolated", "--format", "json", "src", cwd=project)
    assert run.code == 1 and run.err == ""


# --- errors ------------------------------------------------------------------------------------


def test_unknown_key_with_did_you_mean(cli, project):
    path = pyproject(project, 'selct = ["LL303"]\n')
    run = cli("src", cwd=project)
    assert_config_error(run, str(path), "selct", "did you mean 'select'")


def test_unknown_key_without_a_close_match(cli, project):
    path = pyproject(project, "colour = true\n")
    run = cli("src", cwd=project)
    assert_config_error(run, str(path), "unknown key 'colour'")


@pytest.mark.parametrize(
    "body, key",
    [
        ('select = ["LL999"]\n', "select"),
        ('ignore = ["LL106", "LL999"]\n', "ignore"),
        ('extend-select = ["LL999"]\n', "extend-select"),
        ('extend-ignore = ["LL999"]\n', "extend-ignore"),
        ('per-file-ignores = {"a.py" = ["LL999"]}\n', "per-file-ignores"),
    ],
)
def test_unknown_rule_code(cli, project, body, key):
    path = pyproject(project, body)
    run = cli("src", cwd=project)
    assert_config_error(run, str(path), key, "LL999")


@pytest.mark.parametrize(
    "body, key",
    [
        ('select = "LL303"\n', "select"),
        ("ignore = 303\n", "ignore"),
        ('extend-select = ["LL303", 1]\n', "extend-select"),
        ("extend-ignore = true\n", "extend-ignore"),
        ('exclude = "build"\n', "exclude"),
        ('extend-exclude = {a = 1}\n', "extend-exclude"),
        ('per-file-ignores = ["a.py"]\n', "per-file-ignores"),
        ('per-file-ignores = "a.py:LL303"\n', "per-file-ignores"),
        ('per-file-ignores = {"a.py" = "LL303"}\n', "per-file-ignores"),
    ],
)
def test_wrong_type(cli, project, body, key):
    path = pyproject(project, body)
    run = cli("src", cwd=project)
    assert_config_error(run, str(path), key)


def test_select_string_error_says_what_is_expected(cli, project):
    pyproject(project, 'select = "LL303"\n')
    run = cli("src", cwd=project)
    assert_config_error(run, "'select'", "list")


def test_not_valid_toml(cli, project):
    path = write(project / "pyproject.toml", "[tool.leaklint]\nselect = [\"LL303\"\n")
    run = cli("src", cwd=project)
    assert_config_error(run, str(path), "TOML")


def test_not_valid_toml_in_a_pyproject_without_leaklint_is_still_an_error(cli, project):
    # The nearest pyproject.toml cannot be read, so whether it configures leaklint is unknown.
    path = write(project / "pyproject.toml", "[project\nname = 'x'\n")
    run = cli("src", cwd=project)
    assert_config_error(run, str(path), "TOML")


def test_leaklint_table_that_is_a_string(cli, project):
    path = write(project / "pyproject.toml", '[tool]\nleaklint = "x"\n')
    run = cli("src", cwd=project)
    assert_config_error(run, str(path), "tool.leaklint")


def test_config_option_pointing_to_a_missing_file(cli, project):
    run = cli("--config", "nowhere/leaklint.toml", "src", cwd=project)
    assert_config_error(run, "nowhere/leaklint.toml")


def test_config_option_pointing_to_a_folder(cli, project):
    run = cli("--config", "src", "src", cwd=project)
    assert_config_error(run, "src")


def test_config_option_pyproject_without_leaklint_table(cli, project):
    path = write(project / "pyproject.toml", "[project]\nname = 'x'\n")
    run = cli("--config", str(path), "src", cwd=project)
    assert_config_error(run, str(path), "tool.leaklint")


def test_config_option_standalone_toml_errors_name_the_file_and_key(cli, project):
    path = write(project / "leaklint.toml", 'selct = ["LL303"]\n')
    run = cli("--config", str(path), "src", cwd=project)
    assert_config_error(run, str(path), "selct", "did you mean 'select'")
    path = write(project / "leaklint.toml", 'select = "LL303"\n')
    run = cli("--config", str(path), "src", cwd=project)
    assert_config_error(run, str(path), "select")
    path = write(project / "leaklint.toml", "select = [\n")
    run = cli("--config", str(path), "src", cwd=project)
    assert_config_error(run, str(path), "TOML")


def test_config_file_that_is_not_utf8(cli, project):
    path = write(project / "pyproject.toml", data=b"[tool.leaklint]\n# caf\xe9\nselect = [\"LL303\"]\n")
    run = cli("src", cwd=project)
    assert_config_error(run, str(path))


def test_config_error_reported_when_linting_stdin(cli, project):
    path = pyproject(project, 'selct = ["LL303"]\n')
    run = cli("-", stdin=LEAKY.encode(), cwd=project)
    assert_config_error(run, str(path), "selct")


def test_resource_functions_extend_the_catalog(cli, tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.leaklint]\nresource-functions = ["mylib.db.connect_pool"]\n')
    write(
        tmp_path / "app.py",
        "from mylib.db import connect_pool\nimport mylib.db\n\n\n"
        "def leaks(sql):\n    pool = connect_pool('dsn')\n    return pool.run(sql)\n\n\n"
        "def closes(sql):\n    pool = mylib.db.connect_pool('dsn')\n    try:\n        return pool.run(sql)\n"
        "    finally:\n        pool.close()\n",
    )
    run = cli("--format", "json", str(tmp_path / "app.py"), cwd=tmp_path)
    assert [(f["line"], f["code"]) for f in run.findings] == [(6, "LL301")]
    assert "connect_pool()" in run.findings[0]["message"]
    assert cli("--isolated", str(tmp_path / "app.py"), cwd=tmp_path).code == 0


@pytest.mark.parametrize("entry", ["connect", "mylib.", "1lib.connect", "mylib.db connect"])
def test_resource_functions_must_be_dotted_names(cli, tmp_path, entry):
    write(tmp_path / "pyproject.toml", f'[tool.leaklint]\nresource-functions = ["{entry}"]\n')
    write(tmp_path / "app.py", "x = 1\n")
    run = cli(str(tmp_path / "app.py"), cwd=tmp_path)
    assert run.code == 2
    assert "'resource-functions'" in run.err and entry in run.err


def test_callback_registries_extend_the_catalog(cli, tmp_path):
    write(
        tmp_path / "pyproject.toml",
        '[tool.leaklint]\nextend-select = ["LL201"]\ncallback-registries = ["add_hook:drop_hook"]\n',
    )
    write(
        tmp_path / "app.py",
        "from app.hooks import hooks\n\n\n"
        "class Leaks:\n    def __init__(self):\n        hooks.add_hook(self.run)\n\n    def run(self):\n        pass\n\n\n"
        "class Undoes:\n    def __init__(self):\n        hooks.add_hook(self.run)\n\n    def run(self):\n        pass\n\n"
        "    def close(self):\n        hooks.drop_hook(self.run)\n",
    )
    run = cli("--format", "json", str(tmp_path / "app.py"), cwd=tmp_path)
    assert [(f["line"], f["code"]) for f in run.findings] == [(6, "LL201")]
    assert "drop_hook" in run.findings[0]["message"]
    assert cli("--isolated", str(tmp_path / "app.py"), cwd=tmp_path).code == 0


@pytest.mark.parametrize("entry", ["add hook", "add_hook:", "a.b", ":remove"])
def test_callback_registries_must_be_method_names(cli, tmp_path, entry):
    write(tmp_path / "pyproject.toml", f'[tool.leaklint]\ncallback-registries = ["{entry}"]\n')
    write(tmp_path / "app.py", "x = 1\n")
    run = cli(str(tmp_path / "app.py"), cwd=tmp_path)
    assert run.code == 2
    assert "'callback-registries'" in run.err and entry in run.err
