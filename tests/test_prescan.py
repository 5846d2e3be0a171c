"""The cheap first look (trigger words, candidate lines, blanked methods)
must never change what is found: every fixture, linted with and without it."""

from __future__ import annotations

import pytest

from leaklint.core.engine import lint_source
from leaklint.core.registry import all_codes

from .conftest import FIXTURES

FIXTURE_FILES = sorted(FIXTURES.rglob("*.py"))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_prescan_finds_the_same(path):
    data = path.read_bytes()
    codes = all_codes()
    with_prescan = lint_source(data, str(path), codes)
    without = lint_source(data, str(path), codes, prescan=False)
    assert with_prescan == without
    assert all(f.code != "LL002" for f in without)


def test_prescan_comparison_is_not_empty():
    found = sum(len(lint_source(p.read_bytes(), str(p), all_codes())) for p in FIXTURE_FILES)
    assert found > 100
