"""The engine's contract: pure, contained, lazy."""

from __future__ import annotations

import ast
import sys

import libcst as cst
import pytest

from leaklint.core import cst_runner, engine
from leaklint.syntax.segments import Segment
from leaklint.core.engine import lint_source
from leaklint.core.registry import all_codes
from leaklint.rules.cached_method import CachedInstanceMethod
from leaklint.rules.discarded_resource import ResourceDiscarded

from .conftest import write

ALL = frozenset(all_codes())
BOTH = (
    b"import functools\n"
    b"class A:\n"
    b"    @functools.cache\n"
    b"    def f(self):\n"
    b"        return open('p').read()\n"
)


def test_findings_are_sorted_and_deterministic():
    first = lint_source(BOTH, "m.py", ALL)
    assert [(f.line, f.column, f.code) for f in first] == [(3, 5, "LL104"), (5, 16, "LL303")]
    assert lint_source(BOTH, "m.py", ALL) == first


def test_a_failing_rule_is_contained(monkeypatch):
    def explode(self, node):
        raise ValueError("boom")

    monkeypatch.setattr(ResourceDiscarded, "visit_Call", explode)
    findings = lint_source(BOTH, "m.py", ALL)
    assert [f.code for f in findings] == ["LL002", "LL104"]
    assert "rule LL303 (resource-discarded) failed on this file (ValueError: boom" in findings[0].message
    assert "report" in findings[0].message


def test_a_failing_ast_rule_is_contained(monkeypatch):
    from leaklint.rules.mutable_default import AccumulatingMutableDefault

    def explode(cls, facts):
        raise KeyError("boom")

    monkeypatch.setattr(AccumulatingMutableDefault, "findings", classmethod(explode))
    findings = lint_source(BOTH, "m.py", ALL)
    assert [f.code for f in findings] == ["LL002", "LL104", "LL303"]
    assert "rule LL106 (accumulating-mutable-default) failed on this file (KeyError: 'boom'" in findings[0].message


def test_ast_rule_findings_carry_their_nodes_span_and_honour_noqa():
    source = (
        "def add(item, items=[]):\n"
        "    items.append(item)\n"
        "    return items\n"
        "def keep(x, seen=[]):  # noqa: LL106\n"
        "    seen.append(x)\n"
    ).encode()
    [finding] = lint_source(source, "m.py", ALL)
    assert (finding.code, finding.line, finding.column, finding.end_line, finding.end_column) == ("LL106", 1, 21, 1, 23)


def test_internal_errors_can_be_ignored(monkeypatch):
    monkeypatch.setattr(ResourceDiscarded, "visit_Call", lambda self, node: 1 / 0)
    assert [f.code for f in lint_source(BOTH, "m.py", ALL - {"LL002"})] == ["LL104"]


def test_an_engine_failure_on_one_file_does_not_stop_the_run(monkeypatch, cli, tmp_path):
    write(tmp_path / "a.py", "data = open('p').read()\n")
    write(tmp_path / "b.py", "data = open('q').read()\n")
    real = engine.lint_source

    def flaky(data, path, enabled, options):
        if path.endswith("a.py"):
            raise RuntimeError("engine bug")
        return real(data, path, enabled, options)

    monkeypatch.setattr("leaklint.batch.runner.lint_source", flaky)
    run = cli("--isolated", "--format", "json", str(tmp_path))
    assert [(f["path"].rsplit("/", 1)[-1], f["code"]) for f in run.findings] == [("a.py", "LL002"), ("b.py", "LL303")]
    assert run.code == 1


def test_files_without_trigger_words_are_not_parsed_by_libcst(monkeypatch):
    def no_libcst(text):
        raise AssertionError("libcst was asked to parse")

    monkeypatch.setattr(cst_runner, "parse_cst", no_libcst)
    assert lint_source(b"x = [i * 2 for i in range(10)]\n", "m.py", ALL) == []


def test_only_rules_whose_triggers_occur_run():
    text = "import functools\n@functools.cache\ndef f(): pass\n"
    triggers = cst_runner.Triggers([CachedInstanceMethod, ResourceDiscarded], ast.parse(text))
    assert triggers.rules_for(Segment(1, 3, text)) == [CachedInstanceMethod]


def test_aliases_of_trigger_words_trigger_too():
    text = "from functools import lru_cache as memo\n"
    triggers = cst_runner.Triggers([CachedInstanceMethod, ResourceDiscarded], ast.parse(text))
    assert triggers.rules_for(Segment(2, 3, "@memo\ndef f(): pass\n")) == [CachedInstanceMethod]


def test_only_top_level_statements_with_trigger_words_are_parsed(monkeypatch):
    parsed = []
    real = cst_runner.parse_cst

    def spy(text):
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(cst_runner, "parse_cst", spy)
    source = b"DATA = [1, 2, 3]\n\n\ndef read(p):\n    return open(p).read()\n\nOTHER = {}\n"
    findings = lint_source(source, "m.py", ALL)
    assert parsed == ["def read(p):\n    return open(p).read()\n"]
    assert [(f.line, f.column, f.end_line, f.code) for f in findings] == [(5, 12, 5, "LL303")]


def test_metadata_is_resolved_only_when_a_rule_declares_it(monkeypatch):
    resolved = []
    real = cst.MetadataWrapper.resolve_many

    def spy(self, providers):
        if providers:  # libcst also calls it with nothing to resolve
            resolved.append(set(providers))
        return real(self, providers)

    monkeypatch.setattr(cst.MetadataWrapper, "resolve_many", spy)
    lint_source(b"import functools\nx = functools.cache\n", "m.py", ALL)
    assert resolved == []  # nothing declared, nothing reported: no metadata at all
    lint_source(BOTH, "m.py", ALL)
    assert resolved == [{cst.metadata.PositionProvider}]  # positions, for what is reported
    resolved.clear()
    monkeypatch.setattr(ResourceDiscarded, "METADATA_DEPENDENCIES", ("ParentNodeProvider",))
    lint_source(b"with open('p') as f:\n    pass\n", "m.py", ALL)
    assert resolved == [{cst.metadata.ParentNodeProvider}]


def test_disabled_codes_are_not_reported():
    assert [f.code for f in lint_source(BOTH, "m.py", frozenset({"LL104"}))] == ["LL104"]
    assert lint_source(b"def f(:\n", "m.py", frozenset({"LL303"})) == []


@pytest.mark.parametrize(
    "path",
    ["test_m.py", "m_test.py", "conftest.py", "tests/m.py", "pkg/test/m.py", "./tests/sub/m.py", "pkg/testing/m.py"],
)
def test_test_modules_get_only_the_rules_that_check_them(path):
    # A test runs once: a method cache there is bounded by the tests; an unclosed file is not.
    assert [f.code for f in lint_source(BOTH, path, ALL)] == ["LL303"]


@pytest.mark.parametrize("path", ["m.py", "testing.py", "contest.py", "attest/m.py", "src/tests_util.py"])
def test_other_modules_get_every_rule(path):
    assert [f.code for f in lint_source(BOTH, path, ALL)] == ["LL104", "LL303"]


def test_test_folders_are_read_below_the_working_directory(tmp_path, monkeypatch):
    project = tmp_path / "tests" / "project"
    project.mkdir(parents=True)
    monkeypatch.chdir(project)
    assert [f.code for f in lint_source(BOTH, str(project / "m.py"), ALL)] == ["LL104", "LL303"]
    assert [f.code for f in lint_source(BOTH, str(project / "tests" / "m.py"), ALL)] == ["LL303"]
    # Outside the working directory only the file's name tells.
    outside = tmp_path / "elsewhere" / "tests"
    assert [f.code for f in lint_source(BOTH, str(outside / "m.py"), ALL)] == ["LL104", "LL303"]
    assert [f.code for f in lint_source(BOTH, str(outside / "test_m.py"), ALL)] == ["LL303"]


@pytest.mark.parametrize(
    "source, code",
    [
        (b"def f(:\n", "LL001"),
        (b"x = 1\n\xff\n", "LL001"),
        (b"(x): int = 1\nopen('p').read()\n", "LL003"),
    ],
)
def test_unanalysable_files_get_one_diagnostic(source, code):
    findings = lint_source(source, "m.py", ALL)
    assert [f.code for f in findings] == [code]


@pytest.mark.skipif(sys.version_info < (3, 11), reason="except* is Python 3.11 syntax")
def test_a_finally_after_except_star_re_enables_the_collector():
    source = (
        "import gc\ndef parse_fast(parse, data):\n    gc.disable()\n    try:\n        return parse(data)\n"
        "    except* ValueError:\n        return None\n    finally:\n        gc.enable()\n"
    )
    assert [f.code for f in lint_source(source.encode(), "m.py", ALL)] == []
    assert [f.code for f in lint_source(source.replace("    finally:\n        gc.enable()\n", "").encode(), "m.py", ALL)] == [
        "LL404"
    ]
