"""``pytest --leaklint``: confirm growth findings with the project's own tests.

At the start of the session the project is linted in this process with every
growth rule on (the findings of ``leaklint.watch``'s kinds carry where their
object lives). After each test, each object is looked up in the modules the
tests have imported, never importing anything, and its size recorded. At the
end each finding gets a verdict (``leaklint.runtime.verdicts``); confirmed
ones are printed in flake8's format with their evidence, and make pytest exit
with status 1 unless ``--leaklint-report-only`` is given.

Inert unless ``--leaklint`` is given: registered through pytest's
``pytest11`` entry point, it only adds its options.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

if TYPE_CHECKING:  # pragma: no cover
    import pytest

    from leaklint.api import LintFinding
    from leaklint.runtime.verdicts import Series

# The growth rules whose findings can name an object to watch.
WATCHED_RULES = ["LL1"]


def pytest_addoption(parser: "pytest.Parser") -> None:
    group = parser.getgroup("leaklint", "confirm leaklint's growth findings at run time")
    group.addoption("--leaklint", action="store_true", help="watch what leaklint's growth findings name while the tests run")
    group.addoption(
        "--leaklint-paths",
        action="append",
        metavar="PATH",
        help="files or folders to lint (default: the rootdir); may be repeated",
    )
    group.addoption("--leaklint-json", metavar="FILE", help="write every finding's verdict to FILE as JSON")
    group.addoption(
        "--leaklint-report-only",
        action="store_true",
        help="report confirmed findings without failing the session",
    )


def pytest_configure(config: "pytest.Config") -> None:
    if config.getoption("leaklint", False):
        config.pluginmanager.register(LeakWatch(config), "leaklint-watch")


class LeakWatch:
    """The watch over one test session."""

    def __init__(self, config: "pytest.Config") -> None:
        from leaklint.runtime.targets import LoadedModules

        self.config = config
        self.root = Path(str(config.rootpath))
        self.modules = LoadedModules()
        self.watched: List[Tuple["LintFinding", Any, "Series"]] = []
        self.results: List[Dict[str, Any]] = []
        self.lint_error: Optional[str] = None

    # -- the session ------------------------------------------------------------

    def pytest_sessionstart(self, session: "pytest.Session") -> None:
        import leaklint
        from leaklint.runtime.verdicts import Series

        paths = self.config.getoption("leaklint_paths") or [str(self.root)]
        try:
            findings = leaklint.lint_paths(paths, config={"select": WATCHED_RULES})
        except leaklint.ReadError as error:
            findings = list(error.findings)
            self.lint_error = "; ".join(error.errors)
        except (OSError, leaklint.ConfigError) as error:
            findings = []
            self.lint_error = str(error)
        self.watched = [(finding, finding.watch, Series()) for finding in findings if finding.watch is not None]

    def pytest_runtest_logfinish(self, nodeid: str, location: Any) -> None:
        from leaklint.runtime.targets import measure

        for finding, target, series in self.watched:
            module = self.modules.module_of(finding.path)
            if module is not None:
                series.add(nodeid, measure(target, module))

    def pytest_sessionfinish(self, session: "pytest.Session", exitstatus: int) -> None:
        from leaklint.runtime.verdicts import CONFIRMED, evidence, verdict

        self.results = [
            {
                "path": os.path.relpath(finding.path, self.root),
                "line": finding.line,
                "column": finding.column,
                "code": finding.code,
                "message": finding.message,
                "verdict": verdict(series),
                "evidence": {"summary": evidence(series), "series": series.samples},
            }
            for finding, _, series in self.watched
        ]
        output = self.config.getoption("leaklint_json")
        if output:
            Path(output).write_text(json.dumps(self.results, indent=2) + "\n", encoding="utf-8")
        confirmed = any(result["verdict"] == CONFIRMED for result in self.results)
        if confirmed and session.exitstatus == 0 and not self.config.getoption("leaklint_report_only"):
            session.exitstatus = 1

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        from leaklint.runtime.verdicts import CONFIRMED

        write = terminalreporter.write_line
        terminalreporter.section("leaklint: growth findings at run time")
        if self.lint_error:
            write(f"leaklint could not read everything: {self.lint_error}")
        counts: Dict[str, int] = {}
        for result in self.results:
            counts[result["verdict"]] = counts.get(result["verdict"], 0) + 1
            if result["verdict"] == CONFIRMED:
                write(
                    f"{result['path']}:{result['line']}:{result['column']}: {result['code']} {result['message']} "
                    f"[confirmed: {result['evidence']['summary']}]"
                )
        summary = ", ".join(f"{count} {name}" for name, count in sorted(counts.items())) or "nothing to watch"
        write(f"{len(self.results)} watched: {summary}")
