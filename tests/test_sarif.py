"""``--format sarif``: valid SARIF 2.1.0, and usable the way GitHub code scanning reads it."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import jsonschema
import pytest

from leaklint import __version__
from leaklint.core.finding import Finding
from leaklint.core.registry import all_rules
from leaklint.reporters import sarif
from leaklint.batch.runner import FileResult, RunResult

from .conftest import GROWING, LEAKY, write, write_project

# The official schema, unchanged (tests/data/README.md says where it comes from).
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))

BROKEN = "def broken(:\n    pass\n"


@pytest.fixture
def project(tmp_path):
    write_project(tmp_path)
    write(tmp_path / "pkg" / "broken.py", BROKEN)
    write(tmp_path / "pkg" / "odd name, with #.py", LEAKY)
    return tmp_path


def sarif_of(cli, *args: str, cwd: Path) -> dict:
    run = cli("--isolated", "--format", "sarif", *args, cwd=cwd)
    assert run.code == 1, run.err
    return json.loads(run.out)


def assert_valid(log: dict) -> None:
    validator = jsonschema.Draft4Validator(SCHEMA)
    errors = sorted(validator.iter_errors(log), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(error.path)}: {error.message}" for error in errors)


def test_cli_output_is_valid_against_the_official_schema(cli, project):
    log = sarif_of(cli, "pkg", cwd=project)
    assert_valid(log)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("leaklint", __version__)
    assert driver["informationUri"].startswith("https://")
    assert run["invocations"] == [{"executionSuccessful": True}]
    assert sorted(result["ruleId"] for result in run["results"]) == ["LL001", "LL106", "LL303", "LL303"]


def test_every_rule_is_described_with_its_documentation(cli, project):
    rules = sarif_of(cli, "pkg", cwd=project)["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [rule.code for rule in all_rules()]
    by_id = {rule["id"]: rule for rule in rules}
    for rule in all_rules():
        described = by_id[rule.code]
        assert described["name"] == rule.name
        assert described["shortDescription"]["text"] == rule.summary()
        assert described["fullDescription"]["text"].split()[:3] == rule.doc_sections()["What it finds"].split()[:3]
        assert described["help"]["markdown"] == rule.documentation()
        for section in ("## What it finds", "## Why it leaks", "## Example", "## Fix"):
            assert section in described["help"]["text"]
        assert described["defaultConfiguration"]["enabled"] is rule.default_enabled
    assert by_id["LL001"]["defaultConfiguration"]["level"] == "error"
    assert by_id["LL303"]["defaultConfiguration"]["level"] == "warning"
    assert by_id["LL103"]["defaultConfiguration"]["enabled"] is False


def test_results_read_as_github_code_scanning_reads_them(cli, project):
    run = sarif_of(cli, "pkg", cwd=project)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == project.as_uri() + "/"
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        assert result["level"] == ("error" if result["ruleId"] == "LL001" else "warning")
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%" and not artifact["uri"].startswith("/")
        assert Path(unquote(urlparse(urljoin(base, artifact["uri"])).path)).is_file()
        assert location["physicalLocation"]["region"]["startLine"] >= 1
        assert result["partialFingerprints"]["leaklintFingerprint/v1"]


def test_region_columns_are_one_based_with_an_exclusive_end(cli, project):
    run = sarif_of(cli, "pkg/leaky.py", cwd=project)["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    (result,) = run["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pkg/leaky.py"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 20, "endLine": 3, "endColumn": 34}
    line = LEAKY.splitlines()[region["startLine"] - 1]
    assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == "open('c.json')"


def test_uris_are_percent_encoded(cli, project):
    run = sarif_of(cli, "pkg/odd name, with #.py", cwd=project)["runs"][0]
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact["uri"] == "pkg/odd%20name%2C%20with%20%23.py"


def test_files_outside_the_working_directory_get_absolute_uris(cli, project):
    elsewhere = project / "elsewhere"
    elsewhere.mkdir()
    log = sarif_of(cli, str(project / "pkg" / "leaky.py"), cwd=elsewhere)
    assert_valid(log)
    artifact = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": (project / "pkg" / "leaky.py").as_uri()}


def test_fingerprints_survive_lines_added_above_and_reformatting(cli, project):
    def fingerprints() -> dict:
        results = sarif_of(cli, "pkg/leaky.py", "pkg/growing.py", cwd=project)["runs"][0]["results"]
        return {
            (result["ruleId"], result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]):
            result["partialFingerprints"]["leaklintFingerprint/v1"]
            for result in results
        }

    before = fingerprints()
    reformatted = '"""Settings."""\nimport json\n\n\nconfig = json.load(\n    open(\n        "c.json",\n    )\n)\n'
    write(project / "pkg" / "leaky.py", reformatted)
    write(project / "pkg" / "growing.py", "x = 1\n\n\n" + GROWING.replace("seen=[]", "seen = [] "))
    assert fingerprints() == before


def test_unreadable_files_are_notifications_of_an_unsuccessful_invocation():
    finding = Finding(1, 1, "LL303", "file opened by open() is never closed: it is left to the garbage collector", 1, 5)
    result = RunResult(
        files=[FileResult("a.py", [finding], "open('x')\n")],
        errors=["b.py: cannot read file: Permission denied"],
    )
    log = json.loads("".join(sarif.render(result, show_source=False)))
    assert_valid(log)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"] == [
        {"level": "error", "message": {"text": "b.py: cannot read file: Permission denied"}}
    ]


def test_no_findings_is_a_valid_log_with_no_results(cli, tmp_path):
    write(tmp_path / "ok.py", "x = 1\n")
    run = cli("--isolated", "--format", "sarif", "ok.py", cwd=tmp_path)
    assert run.code == 0
    log = json.loads(run.out)
    assert_valid(log)
    assert log["runs"][0]["results"] == []
