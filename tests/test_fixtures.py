"""The fixture oracle: every ``# expect: CODE`` marker is found, nothing else is."""

from __future__ import annotations

from collections import Counter

import pytest

from leaklint.core.testing import expected_findings

from .conftest import FIXTURES

FIXTURE_FILES = sorted(FIXTURES.rglob("*.py"))


def test_there_are_fixtures_for_every_rule():
    from leaklint.core.registry import all_rules

    covered = {code for path in FIXTURE_FILES for (_, code) in expected_findings(path.read_text())}
    assert covered >= {rule.code for rule in all_rules()} - {"LL002"}


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture(path, cli):
    expected = expected_findings(path.read_text(encoding="utf-8"))
    run = cli("--isolated", "--select", "LL", "--format", "json", str(path))
    found = Counter((finding["line"], finding["code"]) for finding in run.findings)
    missing = expected - found
    unexpected = found - expected
    assert not missing and not unexpected, f"missing: {sorted(missing)}; unexpected: {sorted(unexpected)}"
    assert run.code == (1 if expected else 0)
    assert all(finding["path"] == str(path) for finding in run.findings)
