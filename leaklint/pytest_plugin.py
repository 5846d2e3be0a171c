"""``pytest --leaklint``: confirm findings with the project's own tests.

At the start of the session the project is linted in this process with every
growth rule on (the findings of ``leaklint.watch``'s kinds carry where their
object lives). After each test, each object is looked up in the modules the
tests have imported, never importing anything, and its size recorded. At the
end each finding gets a verdict (``leaklint.runtime.verdicts``); confirmed
ones are printed in flake8's format with their evidence, and make pytest exit
with status 1 unless ``--leaklint-report-only`` is given.

Resources too, with ``--leaklint-resources``: every ``ResourceWarning`` the
tests cause is traced back to where its object was made (``tracemalloc``, a
few frames): at a resource finding's line it confirms that finding; anywhere
else in the project it is a leak the static rules missed (``runtime-only``).
Opt-in because tracing every allocation is slow on Python 3.11 (a suite of
1,192 tests: 1.5 s, 46 s with 8 frames, 10 s with one).

Inert unless ``--leaklint`` is given: registered through pytest's
``pytest11`` entry point, it only adds its options. pytest imports this
module in every project where leaklint is installed, so everything else is
imported only once the option is given.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

if TYPE_CHECKING:  # pragma: no cover
    import pytest

    from leaklint.api import LintFinding
    from leaklint.runtime.watcher import Watcher

# The resource rules, whose findings a ResourceWarning can confirm.
RESOURCE_RULES = ["LL3"]
# Deep enough to get from open()/Popen()/socket() back to the project's frame.
TRACED_FRAMES = 8


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
        "--leaklint-resources",
        action="store_true",
        help="also trace each ResourceWarning to the line that made its object (tracemalloc: slow)",
    )
    group.addoption(
        "--leaklint-report-only",
        action="store_true",
        help="report confirmed findings without failing the session",
    )


def pytest_configure(config: "pytest.Config") -> None:
    if config.getoption("leaklint", False):
        if config.getoption("leaklint_resources", False):
            # Shown, not ignored as Python does by default; first in the list,
            # so that the project's own filters (``error``) still decide.
            config.getini("filterwarnings").insert(0, "always::ResourceWarning")
        config.pluginmanager.register(LeakWatch(config), "leaklint-watch")


class LeakWatch:
    """The watch over one test session."""

    def __init__(self, config: "pytest.Config") -> None:
        self.config = config
        self.root = Path(str(config.rootpath))
        self.trace_resources = bool(config.getoption("leaklint_resources"))
        self.watcher: Optional["Watcher"] = None
        self.results: List[Dict[str, Any]] = []
        self.lint_error: Optional[str] = None
        self.resource_findings: List["LintFinding"] = []
        # (path relative to the root, line) -> the tests during which a warning came from there
        self.warned: Dict[Tuple[str, int], List[str]] = {}
        self.warning_messages: Dict[Tuple[str, int], str] = {}
        self.started_tracing = False
        self.json_error: Optional[str] = None

    # -- the session ------------------------------------------------------------

    def pytest_sessionstart(self, session: "pytest.Session") -> None:
        import leaklint
        from leaklint.runtime.watcher import GROWTH_RULES, Watcher

        paths = self.config.getoption("leaklint_paths") or [str(self.root)]
        rules = [*GROWTH_RULES, *RESOURCE_RULES] if self.trace_resources else GROWTH_RULES
        try:
            # Cached as the command line caches: an unchanged file is not linted again.
            config = {"select": rules, "cache-dir": str(self.root / ".leaklint_cache")}
            findings = leaklint.lint_paths(paths, config=config)
        except leaklint.ReadError as error:
            findings = list(error.findings)
            self.lint_error = "; ".join(error.errors)
        except (OSError, leaklint.ConfigError) as error:
            findings = []
            self.lint_error = str(error)
        self.watcher = Watcher(findings)
        self.resource_findings = [finding for finding in findings if finding.code.startswith(tuple(RESOURCE_RULES))]
        if not self.trace_resources:
            return
        # Traced from here on, not while linting: tracing every allocation of
        # the lint would cost more than the tests.
        import tracemalloc

        self.started_tracing = not tracemalloc.is_tracing()
        if self.started_tracing:
            tracemalloc.start(TRACED_FRAMES)

    def pytest_warning_recorded(self, warning_message: Any, when: str, nodeid: str, location: Any) -> None:
        if not issubclass(warning_message.category, ResourceWarning):
            return
        site = self._allocation_site(warning_message.source)
        if site is not None:
            self.warned.setdefault(site, []).append(nodeid or when)
            self.warning_messages.setdefault(site, str(warning_message.message))

    def _allocation_site(self, source: Any) -> Optional[Tuple[str, int]]:
        """The project's line that made ``source``: the innermost frame of its
        allocation traceback in a file under the root, outside virtual
        environments."""
        import tracemalloc

        if source is None:
            return None
        traceback = tracemalloc.get_object_traceback(source)
        if traceback is None:
            return None
        for frame in reversed(traceback):  # innermost frame last in the list: search from it outwards
            path = Path(frame.filename)
            if path.is_absolute() and self._in_project(path):
                return (os.path.relpath(path, self.root), frame.lineno)
        return None

    def _in_project(self, path: Path) -> bool:
        try:
            relative = path.relative_to(self.root)
        except ValueError:
            return False
        return not any(part in ("site-packages", "dist-packages", ".venv", "venv") for part in relative.parts)

    def pytest_runtest_logfinish(self, nodeid: str, location: Any) -> None:
        if self.watcher is not None:
            self.watcher.sample(nodeid)

    def pytest_sessionfinish(self, session: "pytest.Session", exitstatus: int) -> None:
        from leaklint.runtime.verdicts import CONFIRMED, RUNTIME_ONLY

        self.results = self.watcher.results(str(self.root)) if self.watcher is not None else []
        self.results.extend(self._resource_results())
        import tracemalloc

        if self.started_tracing:
            tracemalloc.stop()
        output = self.config.getoption("leaklint_json")
        if output:
            try:
                Path(output).write_text(json.dumps(self.results, indent=2) + "\n", encoding="utf-8")
            except OSError as error:
                self.json_error = f"cannot write {output}: {error.strerror or error}"
                if session.exitstatus == 0:
                    session.exitstatus = 4  # pytest's usage error: the run was not what was asked
        confirmed = any(result["verdict"] in (CONFIRMED, RUNTIME_ONLY) for result in self.results)
        if confirmed and session.exitstatus == 0 and not self.config.getoption("leaklint_report_only"):
            session.exitstatus = 1

    def _resource_results(self) -> List[Dict[str, Any]]:
        """Resource findings a warning confirmed, and warnings no finding explains."""
        from leaklint.runtime.verdicts import CONFIRMED, RUNTIME_ONLY

        results = []
        explained = set()
        for finding in self.resource_findings:
            site = (os.path.relpath(finding.path, self.root), finding.line)
            tests = self.warned.get(site)
            if tests:
                explained.add(site)
                results.append(self._resource_result(site, finding.column, finding.code, finding.message, CONFIRMED, tests))
        for site, tests in sorted(self.warned.items()):
            if site not in explained:
                # No rule's code: what the interpreter said, at the line that made the object.
                message = self.warning_messages[site]
                results.append(self._resource_result(site, 1, "ResourceWarning", message, RUNTIME_ONLY, tests))
        return results

    @staticmethod
    def _resource_result(
        site: Tuple[str, int], column: int, code: str, message: str, verdict: str, tests: List[str]
    ) -> Dict[str, Any]:
        shown = ", ".join(dict.fromkeys(tests))
        summary = f"ResourceWarning {len(tests)} time{'s' if len(tests) != 1 else ''}, in {shown}"
        return {
            "path": site[0],
            "line": site[1],
            "column": column,
            "code": code,
            "message": message,
            "verdict": verdict,
            "evidence": {"summary": summary, "tests": tests},
        }

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        from leaklint.runtime.verdicts import CONFIRMED, RUNTIME_ONLY
        from leaklint.runtime.watcher import flake8_line, summary

        write = terminalreporter.write_line
        terminalreporter.section("leaklint: growth findings at run time")
        if self.lint_error:
            write(f"leaklint could not read everything: {self.lint_error}")
        if self.json_error:
            write(f"leaklint: {self.json_error}")
        for result in self.results:
            if result["verdict"] in (CONFIRMED, RUNTIME_ONLY):
                write(flake8_line(result))
        write(summary(self.results))
