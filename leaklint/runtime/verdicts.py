"""From a series of sizes to a verdict.

The rule, after BLeak's and CPython's ``regrtest -R`` (a leak grows on every
round after warm-up; a cache that fills and stops is not one):

- ``not-exercised``: the object was never found (its module never loaded,
  or never measurable).
- ``not-grown``: it never got bigger than it was the first time it was seen.
- The first ``max(WARM_UP, 10%)`` samples are the warm-up (imports, first
  calls, fixtures). What follows is cut into ``WINDOWS`` equal windows; a
  window grows if its last size is above its first.
- ``confirmed``: at least ``MIN_SAMPLES`` samples after warm-up, growth in
  at least ``WINDOWS - 1`` windows *including the last* (a plateau is not
  growth), and at least ``MIN_GROWTH`` more entries at the end than at the
  end of warm-up. Sizes are exact counts (entries), not bytes.
- ``bounded``: it grew, but not like that (it filled, then stopped; or too few
  samples were taken to tell).

With repetition (``pytest --leaklint-repeat N``), a test during which the
object grew is run N more times with the same inputs. A leak grows on every
repetition (BLeak's rule); a cache of those inputs does not grow again. An
object that grew on each of the N repetitions of some test is ``confirmed``
by repetition, whatever the series says; one that did not keeps the series'
verdict, and the evidence says that repeating did not make it grow (a cache
keyed by what the tests pass, which new inputs would still grow).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional, Tuple

CONFIRMED = "confirmed"
BOUNDED = "bounded"
NOT_GROWN = "not-grown"
NOT_EXERCISED = "not-exercised"
# A ResourceWarning whose object was made where no static finding is.
RUNTIME_ONLY = "runtime-only"
# A finding whose object has no name to find it by at run time (a closure's
# variable, a class made inside a function, a frame cycle).
NOT_WATCHED = "not-watched"

WARM_UP = 3
WINDOWS = 4
MIN_SAMPLES = 8
MIN_GROWTH = 4


@dataclass
class Series:
    """Sizes of one watched object, one per sample, with the test each followed."""

    samples: List[Tuple[str, int]] = field(default_factory=list)  # (test id, size)
    # (test id, on how many repetitions it grew, how many there were)
    repetitions: List[Tuple[str, int, int]] = field(default_factory=list)

    def add(self, test: str, size: Optional[int]) -> None:
        if size is not None:
            self.samples.append((test, size))

    @property
    def confirmed_by_repetition(self) -> bool:
        return any(grew == of for _, grew, of in self.repetitions)

    @property
    def sizes(self) -> List[int]:
        return [size for _, size in self.samples]

    def growing_tests(self, limit: int = 3) -> List[str]:
        """The tests after which the object was bigger than before, first ones first."""
        grown = [test for (test, size), (_, before) in zip(self.samples[1:], self.samples) if size > before]
        return grown[:limit]


def verdict(series: Series) -> str:
    if series.confirmed_by_repetition:
        return CONFIRMED
    sizes = series.sizes
    if not sizes:
        return NOT_EXERCISED
    if max(sizes) <= sizes[0]:
        return NOT_GROWN
    warm_up = max(WARM_UP, len(sizes) // 10)
    after = sizes[warm_up - 1:]  # from the last warm-up sample on
    if len(after) - 1 < MIN_SAMPLES or after[-1] - after[0] < MIN_GROWTH:
        return BOUNDED
    windows = _windows(after, WINDOWS)
    growing = [window[-1] > window[0] for window in windows]
    if growing[-1] and sum(growing) >= WINDOWS - 1:
        return CONFIRMED
    return BOUNDED


def _windows(sizes: List[int], count: int) -> List[List[int]]:
    """``count`` consecutive windows that share their edges (so growth
    between two windows counts in the later one)."""
    step = (len(sizes) - 1) / count
    edges = [round(step * index) for index in range(count + 1)]
    return [sizes[start:end + 1] for start, end in zip(edges, edges[1:])]


def evidence(series: Series, unit: str = "tests") -> str:
    """``0 → 40 entries over 340 tests, in tests/test_app.py::test_login``."""
    sizes = series.sizes
    if not sizes:
        return "never found"
    text = f"{sizes[0]} → {sizes[-1]} entries over {len(sizes)} {unit}"
    moments = series.growing_tests()
    preposition = "in" if unit == "tests" else "at"  # tests by id, samples by time
    if moments:
        text = f"{text}, {preposition} {', '.join(moments)}"
    return text + repetition_evidence(series)


def repetition_evidence(series: Series) -> str:
    """``; grew on each of 3 repetitions of tests/test_app.py::test_login``."""
    if not series.repetitions:
        return ""
    confirming = [(test, of) for test, grew, of in series.repetitions if grew == of]
    if confirming:
        test, of = confirming[0]
        return f"; grew on each of {of} repetitions of {test}"
    shown = ", ".join(f"{test} ({grew} of {of})" for test, grew, of in series.repetitions)
    return f"; not on every repetition of the same test: {shown}"
