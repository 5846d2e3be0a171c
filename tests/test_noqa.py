"""Suppression comments parsed as flake8 parses them."""

from __future__ import annotations

import pytest

from leaklint.noqa import Suppressions, parse_noqa, skips_file


@pytest.mark.parametrize(
    "comment, expected",
    [
        ("# noqa", (True, None)),
        ("#noqa", (True, None)),
        ("# NOQA", (True, None)),
        ("# noqa: LL303", (True, frozenset({"LL303"}))),
        ("# noqa:LL303,LL104", (True, frozenset({"LL303", "LL104"}))),
        ("# noqa: LL303, LL104", (True, frozenset({"LL303", "LL104"}))),
        ("# noqa: ll3", (True, frozenset({"LL3"}))),
        ("# noqa:E501 LL303", (True, frozenset({"E501", "LL303"}))),
        ("# noqa : LL303", (True, None)),  # malformed list: flake8 treats it as blanket
        ("# type: ignore", (False, None)),
        ("# not a noqa comment", (False, None)),
    ],
)
def test_parse_noqa(comment, expected):
    assert parse_noqa(comment) == expected


def test_codes_are_prefixes():
    suppressions = Suppressions("x = 1  # noqa: LL3\n")
    assert suppressions.suppresses("LL303", 1)
    assert not suppressions.suppresses("LL104", 1)
    assert not suppressions.suppresses("LL303", 2)


def test_multi_line_statement_shares_its_noqa():
    text = "call(\n    a,\n    b,\n)  # noqa: LL303\nother()\n"
    suppressions = Suppressions(text)
    assert all(suppressions.suppresses("LL303", line) for line in (1, 2, 3, 4))
    assert not suppressions.suppresses("LL303", 5)


def test_noqa_inside_a_string_does_not_count():
    assert not Suppressions("s = '# noqa'\n").suppresses("LL303", 1)


def test_untokenizable_text_falls_back_to_physical_lines():
    assert Suppressions("x = (  # noqa\n").suppresses("LL303", 1)


@pytest.mark.parametrize(
    "text, skipped",
    [
        ("# leaklint: skip-file\nx = 1\n", True),
        ("x = 1\n  #leaklint:skip-file\n", True),
        ("x = 1  # leaklint: skip-file\n", False),
        ("# leaklint: skip-files\n", False),
    ],
)
def test_skip_file(text, skipped):
    assert skips_file(text) is skipped
