"""Each rule's own valid and invalid examples, and its documentation."""

from __future__ import annotations

from collections import Counter

import pytest

from leaklint.autofix import fix_source
from leaklint.engine import lint_source
from leaklint.options import AnalysisOptions
from leaklint.registry import all_codes, all_rules
from leaklint.rule import DOC_SECTIONS
from leaklint.testing import expected_findings

RULES = all_rules()
ANALYSIS_RULES = [rule for rule in RULES if not rule.engine_diagnostic]
ALL_CODES = frozenset(all_codes())


def _found(source: str) -> Counter:
    return Counter((f.line, f.code) for f in lint_source(source.encode(), "example.py", ALL_CODES))


@pytest.mark.parametrize("rule", ANALYSIS_RULES, ids=lambda r: r.code)
def test_rule_has_examples(rule):
    assert rule.VALID, f"{rule.code} has no valid examples"
    assert rule.INVALID, f"{rule.code} has no invalid examples"
    for example in rule.INVALID:
        assert any(code == rule.code for (_, code) in expected_findings(example)), example


@pytest.mark.parametrize(
    "rule, example",
    [(rule, example) for rule in ANALYSIS_RULES for example in rule.VALID],
    ids=lambda value: getattr(value, "code", None),
)
def test_valid_example_is_clean(rule, example):
    assert _found(example) == Counter(), example


@pytest.mark.parametrize(
    "rule, example",
    [(rule, example) for rule in ANALYSIS_RULES for example in rule.INVALID],
    ids=lambda value: getattr(value, "code", None),
)
def test_invalid_example_is_reported(rule, example):
    assert _found(example) == expected_findings(example), example


@pytest.mark.parametrize(
    "rule, source, expected",
    [(rule, source, expected) for rule in ANALYSIS_RULES for source, expected in rule.FIXES],
    ids=lambda value: getattr(value, "code", None),
)
def test_fix_example_is_fixed_as_expected(rule, source, expected):
    assert any(code == rule.code for (_, code) in _found(source)), source
    fixed, _ = fix_source(source.encode(), "example.py", ALL_CODES, AnalysisOptions(), unsafe=True)
    assert fixed.text == expected
    assert not any(code == rule.code for (_, code) in _found(expected)), expected


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_documentation_has_four_parts(rule):
    sections = rule.doc_sections()
    assert list(sections) == list(DOC_SECTIONS), rule.code
    assert all(text.strip() for text in sections.values()), rule.code
    assert rule.summary() and "\n" not in rule.summary()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_code_and_name_are_well_formed(rule):
    assert rule.code.startswith("LL") and len(rule.code) == 5 and rule.code[2:].isdigit()
    assert rule.name == rule.name.lower() and " " not in rule.name


def test_codes_and_names_are_unique():
    assert len({rule.name for rule in RULES}) == len(RULES)
