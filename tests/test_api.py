"""The Python API: typed findings, the command line's analysis, no printing, no exits."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

import leaklint
from leaklint import ConfigError, LintFinding, ReadError, lint_paths, lint_source
from leaklint.fixes import Edit, Fix

from .conftest import GROWING, LEAKY, write, write_project

OPT_IN = "import tempfile\n\ndef f():\n    d = tempfile.mkdtemp()\n    print(d)\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    write_project(tmp_path)
    write(tmp_path / "tests" / "test_leaky.py", LEAKY)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_lint_source_returns_typed_findings():
    findings = lint_source(LEAKY, path="app/config.py")
    assert findings == [
        LintFinding(
            path="app/config.py",
            line=3,
            column=20,
            end_line=3,
            end_column=34,
            code="LL303",
            message="file opened by open() is never closed: it is left to the garbage collector; use 'with open(...) as f:'",
            fix=Fix(
                title="Open it in a 'with' block around the load() call, which closes it after",
                safe=True,
                edits=(Edit(3, 1, 3, 35, "with open('c.json') as f:\n    config = json.load(f)"),),
            ),
        )
    ]
    finding = findings[0]
    assert str(finding) == "app/config.py:3:20: LL303 " + finding.message
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.line = 1  # type: ignore[misc]
    assert [field.name for field in dataclasses.fields(LintFinding)] == [
        "path", "line", "column", "end_line", "end_column", "code", "message", "fix", "watch"
    ]


def test_lint_source_default_path_and_bytes():
    assert [f.path for f in lint_source(LEAKY)] == ["<string>"]
    assert lint_source(LEAKY.encode()) == lint_source(LEAKY)
    assert lint_source(bytearray(LEAKY.encode())) == lint_source(LEAKY)
    assert lint_source("x = 1\n") == []


def test_text_with_a_coding_cookie_is_linted_as_text():
    text = "# -*- coding: latin-1 -*-\nname = 'caf\xe9'\ndata = open('p').read()\n"
    assert [f.code for f in lint_source(text)] == ["LL303"]
    assert lint_source(text) == lint_source(text.encode("latin-1"))


def test_syntax_error_is_an_ll001_finding_not_an_exception():
    findings = lint_source("def f(:\n    pass\n", path="broken.py")
    assert [(f.path, f.code, f.line) for f in findings] == [("broken.py", "LL001", 1)]
    undecodable = lint_source(b"x = '\xff'\n", path="bytes.py")
    assert [f.code for f in undecodable] == ["LL001"]


def test_lint_source_rejects_other_types():
    with pytest.raises(TypeError):
        lint_source(3)  # type: ignore[arg-type]


def test_lint_paths_matches_the_command_line(project, cli):
    expected = cli("--isolated", "--format", "json", "pkg", "tests").findings
    findings = lint_paths(["pkg", "tests"])
    assert [{**dataclasses.asdict(f), "fix": f.fix.as_dict() if f.fix else None} for f in findings] == expected
    assert [f.path for f in findings] == ["pkg/growing.py", "pkg/leaky.py", "tests/test_leaky.py"]


def test_lint_paths_accepts_one_path_and_path_objects(project):
    assert [f.code for f in lint_paths("pkg/leaky.py")] == ["LL303"]
    assert lint_paths(Path("pkg")) == lint_paths(["pkg"])
    assert lint_paths([]) == []


def test_config_none_ignores_configuration_files(project):
    write(project / "pyproject.toml", '[tool.leaklint]\nignore = ["LL303"]\n')
    assert [f.code for f in lint_paths(["pkg"])] == ["LL106", "LL303"]
    assert [f.code for f in lint_source(LEAKY, path="pkg/leaky.py")] == ["LL303"]


def test_config_as_a_mapping(project):
    findings = lint_paths(["pkg"], config={"select": ["LL3"]})
    assert [f.code for f in findings] == ["LL303"]
    assert lint_source(LEAKY, config={"ignore": ("LL303",)}) == []  # tuples as lists
    assert [f.code for f in lint_source(OPT_IN, config={"extend-select": ["LL307"]})] == ["LL307"]
    assert lint_source(OPT_IN) == []


def test_per_file_ignores_from_a_mapping_are_relative_to_the_current_folder(project):
    config = {"per-file-ignores": {"tests/*": ["LL303"]}}
    assert [f.path for f in lint_paths(["pkg", "tests"], config=config)] == ["pkg/growing.py", "pkg/leaky.py"]
    assert lint_source(LEAKY, path="tests/test_x.py", config=config) == []
    assert [f.code for f in lint_source(LEAKY, path="src/x.py", config=config)] == ["LL303"]


def test_config_as_a_pyproject_file(project):
    pyproject = write(
        project / "pyproject.toml",
        '[tool.leaklint]\nselect = ["LL3"]\nper-file-ignores = {"tests/*" = ["LL303"]}\n',
    )
    for config in (pyproject, str(pyproject)):
        assert [f.path for f in lint_paths(["pkg", "tests"], config=config)] == ["pkg/leaky.py"]
    assert lint_source(LEAKY, path="tests/test_x.py", config=pyproject) == []


def test_config_as_a_dedicated_file_with_excludes_and_resource_functions(project):
    write(project / "pkg" / "db.py", "import mylib\n\ndef f():\n    mylib.connect().query()\n")
    config = write(
        project / "leaklint.toml", 'extend-exclude = ["growing.py"]\nresource-functions = ["mylib.connect"]\n'
    )
    assert [(f.path, f.code) for f in lint_paths("pkg", config=config)] == [
        ("pkg/db.py", "LL303"),
        ("pkg/leaky.py", "LL303"),
    ]
    # Files named explicitly are linted whatever the excludes say, as on the command line.
    assert [f.code for f in lint_paths("pkg/growing.py", config=config)] == ["LL106"]


def test_noqa_and_peer_suppressions_apply(project):
    assert lint_source("data = open('p').read()  # noqa: LL303\n") == []
    assert lint_source("data = open('p').read()  # noqa: SIM115\n") == []
    assert len(lint_source("data = open('p').read()  # noqa: E501\n")) == 1


@pytest.mark.parametrize(
    "config, message",
    [
        ({"selct": ["LL3"]}, "config: unknown key 'selct' (did you mean 'select'?)"),
        ({"select": "LL3"}, "config: 'select' must be a list of strings, not a string"),
        ({"select": ["LL999"]}, "config: 'select': unknown rule code 'LL999'"),
        ({"resource-functions": ["connect"]}, "config: 'resource-functions' entry 'connect' must be a dotted"),
    ],
)
def test_bad_mapping_raises_config_error(project, config, message):
    with pytest.raises(ConfigError) as error:
        lint_source(LEAKY, config=config)
    assert str(error.value).startswith(message)
    with pytest.raises(ConfigError):
        lint_paths("pkg", config=config)


def test_bad_config_file_raises_config_error(project, capsys):
    with pytest.raises(ConfigError, match="configuration file not found"):
        lint_paths("pkg", config=project / "missing.toml")
    bad = write(project / "pyproject.toml", "[tool.leaklint\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        lint_source(LEAKY, config=bad)
    unknown = write(project / "other" / "pyproject.toml", '[tool.leaklint]\nignroe = ["LL303"]\n')
    with pytest.raises(ConfigError, match="unknown key 'ignroe'"):
        lint_source(LEAKY, config=str(unknown))
    without_table = write(project / "third" / "pyproject.toml", "[tool.black]\n")
    with pytest.raises(ConfigError, match=r"has no \[tool.leaklint\] table"):
        lint_source(LEAKY, config=without_table)
    with pytest.raises(TypeError):
        lint_source(LEAKY, config=42)  # type: ignore[arg-type]
    assert capsys.readouterr() == ("", "")  # raised, never printed


def test_missing_path_raises_file_not_found(project):
    with pytest.raises(FileNotFoundError) as error:
        lint_paths(["pkg", "nowhere.py"])
    assert error.value.filename == "nowhere.py"


def test_standard_input_is_not_read(project):
    with pytest.raises(ValueError, match="lint_source"):
        lint_paths(["-"])


def test_unreadable_file_raises_read_error_with_the_other_findings(project, monkeypatch):
    import leaklint.api
    from leaklint.batch.discovery import Discovery, SourceFile, discover

    def discover_then_vanish(*args, **kwargs):
        """A file deleted between the walk and the read (chmod would not do as root)."""
        found = discover(*args, **kwargs)
        gone = SourceFile("pkg/gone.py", str(project / "pkg" / "gone.py"))
        return Discovery([*found.files, gone], found.skipped)

    monkeypatch.setattr(leaklint.api, "discover", discover_then_vanish)
    with pytest.raises(ReadError) as error:
        lint_paths("pkg")
    assert isinstance(error.value, OSError)
    assert len(error.value.errors) == 1 and error.value.errors[0].startswith("pkg/gone.py: cannot read file")
    assert [f.path for f in error.value.findings] == ["pkg/growing.py", "pkg/leaky.py"]


def test_nothing_is_printed(project, capsys):
    lint_paths(["pkg", "tests"])
    lint_source("def f(:\n")
    assert capsys.readouterr() == ("", "")


def test_findings_sort_like_the_output():
    findings = lint_source(LEAKY, path="b.py") + lint_source(GROWING, path="a.py")
    assert [f.path for f in sorted(findings)] == ["a.py", "b.py"]


def test_import_leaklint_stays_cheap():
    """The API loads on first use: ``import leaklint`` imports neither it nor libcst."""
    code = (
        "import json, sys, leaklint\n"
        "before = sorted(m for m in sys.modules if m.startswith(('leaklint', 'libcst')))\n"
        "leaklint.lint_source\n"
        "print(json.dumps([before, 'leaklint.api' in sys.modules]))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    before, loaded = json.loads(run.stdout)
    assert before == ["leaklint"]
    assert loaded is True


def test_public_names():
    api = {"lint_source", "lint_paths", "LintFinding", "ConfigError", "ReadError"}
    assert set(leaklint.__all__) == {"__version__", *api}
    assert all(hasattr(leaklint, name) for name in leaklint.__all__)
    from leaklint.batch.config import ConfigError as config_error

    assert ConfigError is config_error  # one exception, whichever way it is imported
    with pytest.raises(AttributeError):
        leaklint.no_such_name  # noqa: B018


def test_readme_snippet_runs(project, capsys):
    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Python API") :]
    snippet = section.split("```python\n", 1)[1].split("```", 1)[0]
    write(project / "src" / "config.py", LEAKY)
    exec(compile(snippet, "README.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "src/config.py 3 20 LL303 file opened by open() is never closed: it is left to the garbage collector; use 'with open(...) as f:'"
    assert out[-1].startswith("app/config.py:1:8: LL303 ")


def test_no_cache_is_written_unless_configured(project):
    lint_paths(["pkg"])
    lint_paths(["pkg"], config={"select": ["LL3"]})
    lint_source(LEAKY)
    assert not (project / ".leaklint_cache").exists()


def test_a_module_created_between_two_calls_is_seen(tmp_path):
    """An editor lints in one process for hours: what exists is asked again each call."""
    write(tmp_path / "pkg" / "__init__.py", "")
    app = "from pkg.net import connect\n\ndef ping(host):\n    connect(host).send(b'x')\n"
    before = lint_source(app, path=str(tmp_path / "pkg" / "app.py"), config=None)
    write(tmp_path / "pkg" / "net.py", "import socket\n\ndef connect(host):\n    return socket.create_connection((host, 80))\n")
    after = lint_source(app, path=str(tmp_path / "pkg" / "app.py"), config=None)
    assert [f.code for f in before] == []
    assert [(f.line, f.code) for f in after] == [(4, "LL303")]
