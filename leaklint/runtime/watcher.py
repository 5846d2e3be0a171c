"""The watch itself, shared by ``pytest --leaklint`` and ``leaklint run``:
sample each finding's object when asked, and turn the series into results."""

from __future__ import annotations

import os
from typing import Any, Dict, List, Sequence, Tuple

from leaklint.runtime.targets import LoadedModules, measure
from leaklint.runtime.verdicts import Series, evidence, verdict
from leaklint.watch import WatchTarget

# The growth rules, whose findings can name an object to watch.
GROWTH_RULES = ["LL1"]


class Watcher:
    def __init__(self, findings: Sequence[Any], unit: str = "tests") -> None:
        """``findings``: ``leaklint.LintFinding``s; those with a watch target
        are watched. ``unit``: what a sample follows, for the evidence."""
        self.unit = unit
        self.labels: List[str] = []  # every sample's label, in order
        self.modules = LoadedModules()
        self.watched: List[Tuple[Any, WatchTarget, Series]] = [
            (finding, finding.watch, Series()) for finding in findings if finding.watch is not None
        ]

    def sample(self, label: str) -> None:
        """Measure every watched object whose module is loaded; ``label``
        says when (a test's id, a time)."""
        self.labels.append(label)
        for finding, target, series in self.watched:
            module = self.modules.module_of(finding.path)
            if module is not None:
                series.add(label, measure(target, module))

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
        """One record per watched finding, paths relative to ``root``."""
        return [
            {
                "path": os.path.relpath(finding.path, root),
                "line": finding.line,
                "column": finding.column,
                "code": finding.code,
                "message": finding.message,
                "verdict": verdict(series),
                "evidence": {"summary": evidence(series, self.unit), "series": series.samples},
            }
            for finding, _, series in self.watched
        ]


def flake8_line(result: Dict[str, Any]) -> str:
    """``app.py:3:1: LL101 ... [confirmed: 1 → 40 entries over 40 tests, in ...]``."""
    return (
        f"{result['path']}:{result['line']}:{result['column']}: {result['code']} {result['message']} "
        f"[{result['verdict']}: {result['evidence']['summary']}]"
    )


def summary(results: Sequence[Dict[str, Any]]) -> str:
    counts: Dict[str, int] = {}
    for result in results:
        counts[result["verdict"]] = counts.get(result["verdict"], 0) + 1
    text = ", ".join(f"{count} {name}" for name, count in sorted(counts.items())) or "nothing to watch"
    return f"{len(results)} watched: {text}"
