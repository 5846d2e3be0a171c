"""README stays true: its rule table matches the registry, its commands are two."""

from __future__ import annotations

import re

from leaklint.docs import END, REFERENCE, START, rule_reference, rule_table, rule_url, with_table

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_rule_table_matches_registry():
    assert with_table(README) == README, "run: python -m leaklint.docs README.md"
    assert rule_table() in README


def test_rule_reference_matches_registry():
    reference = (ROOT / REFERENCE).read_text(encoding="utf-8")
    assert reference == rule_reference(), "run: python -m leaklint.docs"


def test_rule_links_point_at_reference_headings():
    from leaklint.core.registry import all_rules

    reference = (ROOT / REFERENCE).read_text(encoding="utf-8")
    headings = re.findall(r"^## (LL\d{3} [a-z-]+)$", reference, re.M)
    # GitHub's anchor for a heading: lower case, spaces as hyphens.
    anchors = {heading.lower().replace(" ", "-") for heading in headings}
    for rule in all_rules():
        assert rule_url(rule).rpartition("#")[2] in anchors


def test_table_lists_every_rule():
    from leaklint.core.registry import all_codes

    table = README[README.index(START) : README.index(END)]
    assert re.findall(r"^\| (LL\d{3}) \|", table, re.M) == all_codes()


def test_readme_opens_with_two_commands():
    first_block = README.split("```")[1]
    commands = [line for line in first_block.splitlines()[1:] if line.strip()]
    assert len(commands) == 2
    assert "leaklint" in commands[0] and "pip install" in commands[0]
    assert "pytest" in commands[1] and "[test]" in commands[1]
