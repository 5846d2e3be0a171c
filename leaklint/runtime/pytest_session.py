"""The watch over one pytest session (``pytest --leaklint``; the options are
declared in ``leaklint.pytest_plugin``, which registers this only when
``--leaklint`` is given).

Under pytest-xdist, each worker lints, watches its own process and hands its
results to the controller (``workeroutput``), which runs no tests and merges
them (``leaklint.runtime.watcher.merge``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, Generator, List, Optional, Tuple

import pytest

import leaklint
from leaklint.api import LintFinding
from leaklint.runtime.verdicts import CONFIRMED, RUNTIME_ONLY
from leaklint.runtime.watcher import GROWTH_RULES, Watcher, flake8_line, merge, summary

# The resource rules, whose findings a ResourceWarning can confirm.
RESOURCE_RULES = ["LL3"]
# Deep enough to get from open()/Popen()/socket() back to the project's frame.
TRACED_FRAMES = 8
# Tests repeated for one watched object, at most: enough to tell a leak from
# a cache of the tests' inputs, not so many that a leak growing in every test
# runs the suite N times over.
REPEATED_TESTS = 3
_WORKER_OUTPUT = "leaklint"


class LeakWatch:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.root = Path(str(config.rootpath))
        self.trace_resources = bool(config.getoption("leaklint_resources"))
        self.repeat = int(config.getoption("leaklint_repeat"))
        self.watcher: Optional[Watcher] = None
        self.results: List[Dict[str, Any]] = []
        self.lint_error: Optional[str] = None
        self.resource_findings: List[LintFinding] = []
        # (path relative to the root, line) -> the tests during which a warning came from there
        self.warned: Dict[Tuple[str, int], List[str]] = {}
        self.warning_messages: Dict[Tuple[str, int], str] = {}
        self.started_tracing = False
        self.json_error: Optional[str] = None
        self.not_analysed: List[str] = []
        self.is_worker = hasattr(config, "workerinput")
        self.is_controller = False  # known once every plugin is configured
        self.by_worker: Dict[str, List[Dict[str, Any]]] = {}

    # -- the session ------------------------------------------------------------

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        # pytest-xdist's controller distributes the tests and runs none.
        self.is_controller = self.config.pluginmanager.has_plugin("dsession")
        if self.is_controller:
            return
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
        resource = tuple(RESOURCE_RULES)
        self.watcher = Watcher(findings)
        # A file not analysed (LL001-LL003) is said, not skipped silently.
        self.not_analysed = [
            f"{os.path.relpath(finding.path, self.root)}:{finding.line}:{finding.column}: {finding.code} {finding.message}"
            for finding in findings
            if finding.code.startswith("LL0")
        ]
        self.watcher.census.budget = float(self.config.getoption("leaklint_census_budget"))
        self.resource_findings = [finding for finding in findings if finding.code.startswith(resource)]
        if not self.trace_resources:
            return
        # Traced from here on, not while linting: tracing every allocation of
        # the lint would cost more than the tests.
        import tracemalloc

        self.started_tracing = not tracemalloc.is_tracing()
        if self.started_tracing:
            tracemalloc.start(TRACED_FRAMES)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: Optional[pytest.Item]) -> Generator[None, None, None]:
        watcher = self.watcher
        if watcher is None:
            yield
            return
        candidates = watcher.repeatable(REPEATED_TESTS) if self.repeat else []
        before = watcher.sizes(candidates)
        yield
        watcher.sample(item.nodeid, final=nextitem is None)
        grown = [
            index
            for index, old, new in zip(candidates, before, watcher.sizes(candidates))
            if old is not None and new is not None and new > old
        ]
        if grown and not (item.session.shouldstop or item.session.shouldfail):  # not once -x has stopped it
            self._repeat(item, nextitem, grown)

    def _repeat(self, item: pytest.Item, nextitem: Optional[pytest.Item], grown: List[int]) -> None:
        """Run ``item`` again, ``self.repeat`` times, since the watched objects
        ``grown`` grew during it; record on how many repetitions each grew.
        The repetitions are not reported as tests: the session passes or
        fails on the first run."""
        from _pytest.runner import runtestprotocol  # as pytest-rerunfailures re-runs an item

        assert self.watcher is not None
        grew = dict.fromkeys(grown, 0)
        for _ in range(self.repeat):
            before = self.watcher.sizes(grown)
            runtestprotocol(item, log=False, nextitem=nextitem)
            after = self.watcher.sizes(grown)
            for index, old, new in zip(grown, before, after):
                if old is not None and new is not None and new > old:
                    grew[index] += 1
        for index, times in grew.items():
            self.watcher.record_repetitions(index, item.nodeid, times, self.repeat)
        self.watcher.resample(item.nodeid, grown)

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

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any, error: Any) -> None:
        """pytest-xdist: a worker is done; keep what it watched."""
        output = getattr(node, "workeroutput", {}).get(_WORKER_OUTPUT)
        if output:
            watched = json.loads(output)
            self.by_worker[str(node.gateway.id)] = watched["results"]
            self.lint_error = self.lint_error or watched["lint_error"]
            self.not_analysed = list(dict.fromkeys([*self.not_analysed, *watched["not_analysed"]]))

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if self.is_controller:
            self.results = merge(self.by_worker)
        else:
            self.results = self.watcher.results(str(self.root)) if self.watcher is not None else []
            self.results.extend(self._resource_results())
        if self.started_tracing:
            import tracemalloc

            tracemalloc.stop()
        if self.is_worker:
            watched = {"results": self.results, "lint_error": self.lint_error, "not_analysed": self.not_analysed}
            self.config.workeroutput[_WORKER_OUTPUT] = json.dumps(watched)  # type: ignore[attr-defined]
            return  # the controller reports
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
        text = f"ResourceWarning {len(tests)} time{'s' if len(tests) != 1 else ''}, in {shown}"
        return {
            "path": site[0],
            "line": site[1],
            "column": column,
            "code": code,
            "message": message,
            "verdict": verdict,
            "evidence": {"summary": text, "tests": tests},
        }

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.is_worker:
            return
        write = terminalreporter.write_line
        terminalreporter.section("leaklint: growth findings at run time")
        if self.lint_error:
            write(f"leaklint could not read everything: {self.lint_error}")
        for line in self.not_analysed:
            write(f"leaklint did not analyse {line}")
        if self.json_error:
            write(f"leaklint: {self.json_error}")
        for result in self.results:
            if result["verdict"] in (CONFIRMED, RUNTIME_ONLY):
                write(flake8_line(result))
        write(summary(self.results))
