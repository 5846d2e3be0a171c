"""Never crash, never corrupt: properties over generated and mutated source.

Generated valid programs (hypothesmith, from the grammar and from libcst's
node types) are linted without an exception or an internal error, never
reported as LL001, with the same findings every time and with one or two
worker processes, at positions inside the file. Fixture files with bytes
deleted, duplicated or swapped, or random characters inserted, are linted
without an exception and reported as LL001 exactly when ``ast.parse``
rejects their bytes.

The number of examples comes from the Hypothesis profile registered in
``conftest.py``: small by default, ``--hypothesis-profile=thorough`` for a
long sweep.
"""

from __future__ import annotations

import ast
import re
import tempfile
import warnings
from dataclasses import replace
from pathlib import Path
from typing import List, Sequence

import hypothesmith
import pytest
from hypothesis import assume, given, note, settings
from hypothesis import strategies as st

from leaklint.batch import runner
from leaklint.api import LintFinding, lint_paths, lint_source
from leaklint.syntax.noqa import skips_file
from leaklint.syntax.source import DecodeError, decode_source

from .conftest import FIXTURES

# hypothesmith compiles what it generates: Python's warnings about it are noise here.
pytestmark = pytest.mark.filterwarnings("ignore::SyntaxWarning")

# Every rule, the opt-in ones too.
EVERYTHING = {"select": ["LL"]}
# Python's own line ends (str.splitlines() also splits at \f, \v, \x1c, \u2028...).
LINE_END = re.compile(r"\r\n|\r|\n")
FIXTURE_FILES = sorted(FIXTURES.glob("*/*.py"))

# Several in one example: no auto-targeting (each would set the same target label).
valid_programs = st.one_of(hypothesmith.from_grammar(auto_target=False), hypothesmith.from_node(auto_target=False))


def rejected_by_python(data: bytes) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    return False


def assert_inside(source: str, finding: LintFinding) -> None:
    """1-based lines and columns inside the text; the end (exclusive) not before the start."""
    lines = LINE_END.split(source)
    where = (finding.line, finding.column, finding.end_line, finding.end_column)
    assert 1 <= finding.line <= finding.end_line <= len(lines), (where, finding)
    assert 1 <= finding.column <= len(lines[finding.line - 1]) + 1, (where, finding)
    assert 1 <= finding.end_column <= len(lines[finding.end_line - 1]) + 1, (where, finding)
    if finding.line == finding.end_line:
        assert finding.column <= finding.end_column, (where, finding)


def check_valid_program(source: str) -> List[LintFinding]:
    note(f"source: {source!r}")
    first = lint_source(source, "generated.py", EVERYTHING)
    note(f"findings: {first}")
    codes = {finding.code for finding in first}
    # LL002 is what an exception in the engine or a rule becomes.
    assert not codes & {"LL001", "LL002"}, first
    for finding in first:
        assert_inside(source, finding)
    assert lint_source(source, "generated.py", EVERYTHING) == first
    return first


@given(source=hypothesmith.from_grammar())
def test_programs_from_the_grammar(source):
    check_valid_program(source)


@pytest.mark.slow
@given(source=hypothesmith.from_node())
def test_programs_from_libcst_nodes(source):
    check_valid_program(source)


@given(
    fixture=st.sampled_from(FIXTURE_FILES),
    generated=hypothesmith.from_grammar(auto_target=False),
    before=st.booleans(),
)
def test_generated_programs_next_to_real_code(fixture, generated, before):
    """The rules get something to chew on: a fixture file with a generated program before or after it."""
    text = fixture.read_text(encoding="utf-8")
    source = generated + "\n" + text if before else text + "\n" + generated
    assume(not rejected_by_python(source.encode("utf-8")))  # a __future__ import no longer first...
    check_valid_program(source)


@pytest.fixture(scope="module")
def pooled():
    """Runs go to the worker pool however few and small their files are;
    yields the list of runs that did."""
    runs: list = []
    real = runner.map_unordered

    def spy(*args, **kwargs):
        runs.append(args)
        return real(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(runner, "SMALL_RUN_FILES", 1)
        patch.setattr(runner, "SMALL_RUN_BYTES", 0)
        patch.setattr(runner, "map_unordered", spy)
        yield runs


def lint_folder(sources: Sequence[str], jobs: int) -> List[LintFinding]:
    with tempfile.TemporaryDirectory() as folder:
        for number, source in enumerate(sources):
            Path(folder, f"m{number:02}.py").write_bytes(source.encode("utf-8"))
        findings = lint_paths([folder], config={**EVERYTHING, "jobs": jobs})
    return [replace(finding, path=Path(finding.path).name) for finding in findings]  # the folder differs


@pytest.mark.slow
@given(sources=st.lists(valid_programs, min_size=2, max_size=5))
def test_one_and_two_jobs_give_the_same_findings(pooled, sources):
    before = len(pooled)
    one = lint_folder(sources, jobs=1)
    assert len(pooled) == before  # one job: no pool
    two = lint_folder(sources, jobs=2)
    assert len(pooled) == before + 1  # the pool really ran
    assert one == two
    assert not {finding.code for finding in one} & {"LL001", "LL002"}, one


# --- mutated fixtures -----------------------------------------------------------------------


@st.composite
def mutated_fixtures(draw) -> bytes:
    path = draw(st.sampled_from(FIXTURE_FILES))
    data = bytearray(path.read_bytes())
    note(f"fixture: {path.relative_to(FIXTURES)}")
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(data)))
        size = draw(st.integers(1, 3) | st.integers(1, 64))
        end = min(start + size, len(data))
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "insert"]))
        if kind == "delete":
            del data[start:end]
        elif kind == "duplicate":
            data[start:start] = data[start:end]
        elif kind == "swap":
            other = draw(st.integers(0, len(data)))
            first, second = sorted([(start, end), (other, min(other + size, len(data)))])
            if first[1] <= second[0]:
                data[second[0] : second[1]], data[first[0] : first[1]] = (
                    data[first[0] : first[1]],
                    data[second[0] : second[1]],
                )
        else:
            # Any code point, lone surrogates too (encoded as the invalid bytes they would be).
            text = draw(st.text(st.characters(exclude_categories=()), min_size=1, max_size=4))
            data[start:start] = text.encode("utf-8", "surrogatepass")
        note(f"{kind} at {start}, size {size}")
    return bytes(data)


# Cheap examples on real code: four times the profile's number.
@settings(max_examples=4 * settings.default.max_examples)
@given(data=mutated_fixtures())
def test_mutated_fixtures_are_ll001_exactly_when_python_rejects_them(data):
    note(f"bytes: {data!r}")
    findings = lint_source(data, "mutated.py", EVERYTHING)
    codes = [finding.code for finding in findings]
    note(f"findings: {findings}")
    assert "LL002" not in codes, findings
    if rejected_by_python(data):
        try:
            skipped = skips_file(decode_source(data).text)
        except DecodeError:
            skipped = False
        # A file that says '# leaklint: skip-file' is not even parsed.
        assert codes == ([] if skipped else ["LL001"]), findings
    else:
        assert "LL001" not in codes, findings
