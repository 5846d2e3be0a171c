"""Each rule's own valid and invalid examples, and its documentation."""

from __future__ import annotations

import re
from collections import Counter
from typing import List

import pytest

from leaklint.batch.autofix import fix_source
from leaklint.core.engine import lint_source
from leaklint.core.options import AnalysisOptions
from leaklint.core.registry import all_codes, all_rules
from leaklint.core.rule import DOC_SECTIONS, OPTIONAL_DOC_SECTIONS, Rule
from leaklint.core.testing import expected_findings

RULES = all_rules()
ANALYSIS_RULES = [rule for rule in RULES if issubclass(rule, Rule)]
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


def _code_blocks(text: str) -> List[str]:
    return re.findall(r"```python\n(.*?)```", text, re.S)


@pytest.mark.parametrize("rule", ANALYSIS_RULES, ids=lambda r: r.code)
def test_documented_example_is_reported_and_its_fix_is_clean(rule):
    sections = rule.doc_sections()
    examples = _code_blocks(sections["Example"])
    assert examples, f"{rule.code}: its Example has no python code block"
    for example in examples:
        assert rule.code in {code for (_, code) in _found(example)}, example
    for fixed in _code_blocks(sections["Fix"]):  # some fixes are told in words only
        assert rule.code not in {code for (_, code) in _found(fixed)}, fixed


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_documentation_has_its_sections_in_order(rule):
    sections = rule.doc_sections()
    required = [name for name in DOC_SECTIONS if name not in OPTIONAL_DOC_SECTIONS]
    assert list(sections) in (required, [name for name in DOC_SECTIONS if name in sections]), rule.code
    assert set(required) <= set(sections), rule.code
    assert all(text.strip() for text in sections.values()), rule.code
    # "What it finds" fits on a screen; what the rule leaves out goes under "Limitations".
    assert len(sections["What it finds"].splitlines()) <= 30, rule.code


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_summary_is_short(rule):
    assert rule.summary_text and len(rule.summary_text) <= 90 and "\n" not in rule.summary_text


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_code_and_name_are_well_formed(rule):
    assert rule.code.startswith("LL") and len(rule.code) == 5 and rule.code[2:].isdigit()
    assert rule.name == rule.name.lower() and " " not in rule.name


def test_codes_and_names_are_unique():
    assert len({rule.name for rule in RULES}) == len(RULES)
