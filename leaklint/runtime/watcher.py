"""The watch itself, shared by ``pytest --leaklint`` and ``leaklint run``:
sample each finding's object when asked, and turn the series into results."""

from __future__ import annotations

import os
import time
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from leaklint.runtime.targets import Census, LoadedModules, census_class, measure
from leaklint.runtime.verdicts import (
    BOUNDED,
    CONFIRMED,
    NOT_EXERCISED,
    NOT_GROWN,
    NOT_WATCHED,
    RUNTIME_ONLY,
    Series,
    evidence,
    verdict,
)
from leaklint.watch import WatchTarget

# The growth and retention rules, whose findings can name an object to watch.
GROWTH_RULES = ["LL1", "LL201", "LL401", "LL403"]


class Watcher:
    def __init__(self, findings: Sequence[Any], unit: str = "tests") -> None:
        """``findings``: ``leaklint.LintFinding``s; those of the growth rules
        with a watch target are watched. ``unit``: what a sample follows, for
        the evidence."""
        findings = [finding for finding in findings if finding.code.startswith(tuple(GROWTH_RULES))]
        self.unit = unit
        self.labels: List[str] = []  # every sample's label, in order
        self.modules = LoadedModules()
        self.census = Census()
        self.watched: List[Tuple[Any, WatchTarget, Series]] = [
            (finding, finding.watch, Series()) for finding in findings if finding.watch is not None
        ]
        self.unwatched = [finding for finding in findings if finding.watch is None]

    def sample(self, label: str, final: bool = False) -> None:
        """Measure every watched object whose module is loaded; ``label``
        says when (a test's id, a time). Instances are counted only when the
        census is due, and at the ``final`` sample."""
        self.labels.append(label)
        counted: List[Tuple[Series, Tuple[WatchTarget, type]]] = []
        take_census = final or self.census.due(time.perf_counter())
        for finding, target, series in self.watched:
            module = self.modules.module_of(finding.path)
            if module is None:
                continue
            if not target.needs_census:
                series.add(label, measure(target, module))
            elif take_census:
                cls = census_class(target, module)
                if cls is not None:
                    counted.append((series, (target, cls)))
        if counted:
            sizes = self.census.take([wanted for _, wanted in counted], time.perf_counter)
            for (series, _), size in zip(counted, sizes):
                series.add(label, size)

    # -- repetition (``pytest --leaklint-repeat``) ---------------------------------

    def repeatable(self, limit: int) -> List[int]:
        """The watched objects (by position) a repetition could still tell
        about: measured after every test, repeated for fewer than ``limit``
        tests so far, not confirmed by repetition yet."""
        return [
            index
            for index, (_, target, series) in enumerate(self.watched)
            if not target.needs_census and len(series.repetitions) < limit and not series.confirmed_by_repetition
        ]

    def sizes(self, indices: Sequence[int]) -> List[Optional[int]]:
        """The sizes of these watched objects now."""
        sizes: List[Optional[int]] = []
        for index in indices:
            finding, target, _ = self.watched[index]
            module = self.modules.module_of(finding.path)
            sizes.append(measure(target, module) if module is not None else None)
        return sizes

    def record_repetitions(self, index: int, test: str, grew: int, of: int) -> None:
        self.watched[index][2].repetitions.append((test, grew, of))

    def resample(self, test: str, indices: Sequence[int]) -> None:
        """Replace these objects' last sample (taken after ``test``) by their
        size now: what the repetitions added belongs to that test, not the next."""
        for index, size in zip(indices, self.sizes(indices)):
            series = self.watched[index][2]
            if size is not None and series.samples and series.samples[-1][0] == test:
                series.samples[-1] = (test, size)

    def trim_idle_tail(self) -> None:
        """Drop the samples taken after the last moment any watched object
        changed: a program winding down (a server shutting down, a script
        printing its results) is idle, and its quiet tail is not a plateau
        of a cache. For samples taken on a timer, not after tests (rounds)."""
        position = {label: index for index, label in enumerate(self.labels)}
        last = -1
        for _, _, series in self.watched:
            for (label, size), (_, before) in zip(series.samples[1:], series.samples):
                if size != before:
                    last = max(last, position[label])
        if last < 0:
            return  # nothing ever changed: nothing to trim against
        for _, _, series in self.watched:
            series.samples = [sample for sample in series.samples if position[sample[0]] <= last]

    def results(self, root: str) -> List[Dict[str, Any]]:
        """One record per finding, paths relative to ``root``: those watched,
        then those with nothing to watch."""
        watched = [
            _record(
                finding,
                root,
                verdict(series),
                {
                    "summary": evidence(series, self.unit),
                    "series": series.samples,
                    **({"repetitions": [list(r) for r in series.repetitions]} if series.repetitions else {}),
                },
            )
            for finding, _, series in self.watched
        ]
        unwatched = [
            _record(finding, root, NOT_WATCHED, {"summary": "no object to find at run time", "series": []})
            for finding in self.unwatched
        ]
        return watched + unwatched


def _record(finding: Any, root: str, verdict: str, evidence: Dict[str, Any]) -> Dict[str, Any]:
    return {
        "path": os.path.relpath(finding.path, root),
        "line": finding.line,
        "column": finding.column,
        "code": finding.code,
        "message": finding.message,
        "verdict": verdict,
        "evidence": evidence,
    }


def flake8_line(result: Dict[str, Any]) -> str:
    """``app.py:3:1: LL101 ... [confirmed: 1 → 40 entries over 40 tests, in ...]``."""
    return (
        f"{result['path']}:{result['line']}:{result['column']}: {result['code']} {result['message']} "
        f"[{result['verdict']}: {result['evidence']['summary']}]"
    )


def summary(results: Sequence[Dict[str, Any]]) -> str:
    """``3 watched: 1 bounded, 2 confirmed; 1 not watched (no object to find at run time)``."""
    counts: Dict[str, int] = {}
    for result in results:
        counts[result["verdict"]] = counts.get(result["verdict"], 0) + 1
    unwatched = counts.pop(NOT_WATCHED, 0)
    watched = len(results) - unwatched
    text = f"{watched} watched: " + (", ".join(f"{count} {name}" for name, count in sorted(counts.items())) or "nothing")
    if unwatched:
        text += f"; {unwatched} not watched (no object to find at run time)"
    return text


def merge(by_worker: Mapping[str, Sequence[Dict[str, Any]]]) -> List[Dict[str, Any]]:
    """The results of several processes that each watched their own share
    of the tests (pytest-xdist's workers), as one: for each finding, the
    strongest verdict any of them reached, and every one's evidence."""
    merged: Dict[Tuple[Any, ...], Dict[str, Any]] = {}
    for worker in sorted(by_worker):
        for result in by_worker[worker]:
            key = (result["path"], result["line"], result["column"], result["code"])
            summary_of_worker = f"{result['evidence']['summary']} (worker {worker})"
            record = merged.get(key)
            if record is None:
                record = merged[key] = {**result, "evidence": {"summary": summary_of_worker, "workers": {}}}
            elif _STRENGTH.index(result["verdict"]) < _STRENGTH.index(record["verdict"]):
                record["verdict"] = result["verdict"]
                record["evidence"]["summary"] = summary_of_worker
            record["evidence"]["workers"][worker] = result["evidence"]
    return list(merged.values())


# Strongest first: a leak seen in one process is a leak.
_STRENGTH = [CONFIRMED, RUNTIME_ONLY, BOUNDED, NOT_GROWN, NOT_EXERCISED, NOT_WATCHED]
