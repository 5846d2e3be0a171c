"""Suppression comments parsed as flake8 parses them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from leaklint.syntax.noqa import Suppressions, parse_noqa, skips_file

from .conftest import write


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


# Peer linters' suppressions: a comment written for ruff, flake8-bugbear,
# flake8-simplify or pylint silences the leaklint rules that flag the same thing.

PEER_SOURCE = """\
import functools
import threading

lock = threading.Lock()


def not_closed(p):
    f = open(p)  # noqa: SIM115
    return f.read()


def not_closed_on_error(p):
    f = open(p)  # pylint: disable=consider-using-with
    data = f.read()
    f.close()
    return data


def lock_held(work):
    lock.acquire()  # pylint: disable=R1732
    work()
    lock.release()


def grows(x, seen=[]):  # noqa: B006
    seen.append(x)


def grows_too(
    x,
    seen={},  # pylint: disable=dangerous-default-value
):
    seen[x] = x


class Owner:
    def __init__(self, p):
        self.f = open(p)  # noqa: SIM115

    @functools.lru_cache(maxsize=None)  # noqa: B019
    def bugbear(self):
        return 1

    @functools.cache  # pylint: disable=too-many-arguments, method-cache-max-size-none
    def pylint_symbol(self):
        return 1

    @functools.cache  # pylint:disable=W1518
    def pylint_id(self):
        return 1

    @functools.cache  # noqa: E501
    def other_code(self):
        return 1

    @functools.cache  # noqa: SIM115
    def wrong_peer(self):
        return 1


a = open("p").read()  # noqa: SIM115, E501
b = open("p").read()  # noqa:E501,SIM115  # pylint: disable=line-too-long
c = open("p").read()  # noqa: SIM1
d = open("p").read()  # pylint: disable=line-too-long,consider-using-with
e = open("p").read()  # pylint: disable=line-too-long
f = open("p").read()  # pylint: enable=consider-using-with
g = open("p").read()  # pylint: disable=W0102
h = json.load(
    open("p")
)  # noqa: SIM115
i = open("p").read()  # pylint: disable=all
"""


def test_peer_suppressions_through_the_cli(cli, tmp_path):
    write(tmp_path / "m.py", PEER_SOURCE)
    run = cli("--isolated", "--select", "LL", "--format", "json", str(tmp_path / "m.py"))
    lines = PEER_SOURCE.splitlines()
    reported = [(f["code"], lines[f["line"] - 1].strip()) for f in run.findings]
    assert reported == [
        # LL305 (stored on self, never released) is not what SIM115 is about.
        ("LL305", "self.f = open(p)  # noqa: SIM115"),
        ("LL104", "@functools.cache  # noqa: E501"),
        ("LL104", "@functools.cache  # noqa: SIM115"),
        ("LL303", 'c = open("p").read()  # noqa: SIM1'),  # peer codes are exact, not prefixes
        ("LL303", 'e = open("p").read()  # pylint: disable=line-too-long'),
        ("LL303", 'f = open("p").read()  # pylint: enable=consider-using-with'),
        ("LL303", 'g = open("p").read()  # pylint: disable=W0102'),
        ("LL303", 'i = open("p").read()  # pylint: disable=all'),
    ]


@pytest.mark.slow
def test_peer_suppressions_under_flake8(tmp_path):
    """flake8 leaves ``# noqa: SIM115`` to leaklint: the plugin reports what the command does."""
    write(tmp_path / "m.py", PEER_SOURCE)
    command = ["--isolated", "--select", "LL", "m.py"]
    flake8 = subprocess.run(
        [sys.executable, "-m", "flake8", *command], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    leaklint = subprocess.run(
        [sys.executable, "-m", "leaklint", *command], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert flake8.stdout.splitlines() == leaklint.stdout.splitlines()
    assert len(leaklint.stdout.splitlines()) == 8


def test_a_pylint_disable_on_its_own_line_is_not_followed():
    """pylint disables the rest of the block from there; leaklint only honours the reported line."""
    text = "def f(p):\n    # pylint: disable=consider-using-with\n    return open(p).read()\n"
    assert not Suppressions(text).suppresses("LL303", 3)


@pytest.mark.parametrize(
    "comment, code, suppressed",
    [
        ("# noqa: SIM115", "LL301", True),
        ("# noqa: SIM115", "LL302", True),
        ("# noqa: SIM115", "LL303", True),
        ("# noqa: SIM115", "LL305", False),
        ("# noqa: SIM115", "LL308", False),
        ("# noqa: sim115", "LL303", True),
        ("# noqa: B019", "LL104", True),
        ("# noqa: B019", "LL103", False),
        ("# noqa: B006", "LL106", True),
        ("# noqa: E501", "LL303", False),
        ("# noqa: B0", "LL104", False),
        ("# pylint: disable=consider-using-with", "LL303", True),
        ("# pylint: disable=consider-using-with", "LL308", True),
        ("# pylint: disable=r1732", "LL301", True),
        ("# pylint: disable = invalid-name, consider-using-with", "LL302", True),
        ("# pylint: disable=invalid-name consider-using-with", "LL302", True),
        ("# pylint: disable=method-cache-max-size-none", "LL104", True),
        ("# pylint: disable=W1518", "LL104", True),
        ("# pylint: disable=dangerous-default-value", "LL106", True),
        ("# pylint: disable=W0102", "LL106", True),
        ("# pylint: disable=W1518", "LL303", False),
        ("# pylint: disable-next=consider-using-with", "LL303", False),
        ("# pylint: enable=consider-using-with", "LL303", False),
        ("# pylint: disable=invalid-name; enable=consider-using-with", "LL303", False),
        ("# pylint: disable=invalid-name enable=consider-using-with", "LL303", False),
        ("# type: ignore  # pylint: disable=consider-using-with", "LL303", True),
        ("# noqa: E501  # pylint: disable=consider-using-with", "LL303", True),
    ],
)
def test_peer_codes(comment, code, suppressed):
    assert Suppressions(f"x = 1  {comment}\n").suppresses(code, 1) is suppressed


def test_peer_table_names_real_rules():
    from leaklint.catalog.peer_codes import NOQA_ALIASES, PEER_CODES, PYLINT_ALIASES
    from leaklint.core.registry import all_codes

    codes = set(all_codes())
    assert all(set(peer.leaklint) <= codes for peer in PEER_CODES)
    assert set(NOQA_ALIASES) == {"SIM115", "B019", "B006"}
    assert set(PYLINT_ALIASES) == {
        "r1732", "consider-using-with", "w1518", "method-cache-max-size-none", "w0102", "dangerous-default-value"
    }


def test_readme_alias_table_matches_the_catalog():
    import re

    from leaklint.catalog.peer_codes import PEER_CODES

    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Suppressing findings") :]
    section = section[: section.index("\n## ")]
    rows = {}
    for comment, silences in re.findall(r"^\| (`# .*?) \| .*? \| (LL[\d, LL]+) \|$", section, re.M):
        rows[comment] = silences
    expected = {}
    for peer in PEER_CODES:
        comment = f"`# pylint: disable={peer.symbol}` (`{peer.code}`)" if peer.pylint else f"`# noqa: {peer.code}`"
        expected[comment] = ", ".join(peer.leaklint)
    assert rows == expected
