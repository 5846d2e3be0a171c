"""``pytest --leaklint``: confirm findings with the project's own tests.

At the start of the session the project is linted in this process with every
growth and retention rule on (their findings carry where their object lives,
``leaklint.watch``). After each test, each object is looked up in the modules
the tests have imported, never importing anything, and its size recorded. At
the end each finding gets a verdict (``leaklint.runtime.verdicts``); confirmed
ones are printed in flake8's format with their evidence, and make pytest exit
with status 1 unless ``--leaklint-report-only`` is given.

``--leaklint-repeat N`` runs each test during which a watched object grew N
more times: a leak grows on every repetition, a cache of the same inputs
does not. Resources too, with ``--leaklint-resources``: every
``ResourceWarning`` the tests cause is traced back to where its object was
made (``tracemalloc``): at a resource finding's line it confirms that
finding; anywhere else in the project it is a leak the static rules missed
(``runtime-only``). Under pytest-xdist each worker watches its own process
and the controller merges their verdicts.

Inert unless ``--leaklint`` is given: registered through pytest's
``pytest11`` entry point, it only adds its options. pytest imports this
module in every project where leaklint is installed, so the watch itself
(``leaklint.runtime.pytest_session``) is imported only once the option is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pytest

# Options whose value is a path. pytest chooses its rootdir from the paths on
# the command line before it loads plugins, so the value of a plugin's option
# given as a word of its own is read as a path to test, and moves the rootdir.
PATH_OPTIONS = ("--leaklint-json", "--leaklint-paths")


def pytest_addoption(parser: "pytest.Parser") -> None:
    group = parser.getgroup("leaklint", "confirm leaklint's growth findings at run time")
    group.addoption("--leaklint", action="store_true", help="watch what leaklint's growth findings name while the tests run")
    group.addoption(
        "--leaklint-paths",
        action="append",
        metavar="PATH",
        help="files or folders to lint (default: the rootdir); may be repeated; write --leaklint-paths=PATH",
    )
    group.addoption(
        "--leaklint-json", metavar="FILE", help="write every finding's verdict to FILE as JSON; write --leaklint-json=FILE"
    )
    group.addoption(
        "--leaklint-repeat",
        type=int,
        default=0,
        metavar="N",
        help="run each test during which a watched object grew N more times (a leak grows on every repetition)",
    )
    group.addoption(
        "--leaklint-resources",
        action="store_true",
        help="also trace each ResourceWarning to the line that made its object (tracemalloc: slow)",
    )
    group.addoption(
        "--leaklint-census-budget",
        type=float,
        default=0.05,
        metavar="SHARE",
        help="the share of the run that counting live instances may take (0.05)",
    )
    group.addoption(
        "--leaklint-report-only",
        action="store_true",
        help="report confirmed findings without failing the session",
    )


def pytest_configure(config: "pytest.Config") -> None:
    if not config.getoption("leaklint", False):
        return
    import pytest

    from leaklint.runtime.pytest_session import LeakWatch

    given = [str(arg) for arg in config.invocation_params.args]
    separated = [option for option, _ in zip(given, given[1:]) if option in PATH_OPTIONS]
    if separated:
        raise pytest.UsageError(
            f"write {separated[0]}=PATH, not '{separated[0]} PATH': pytest chooses its rootdir before it "
            "loads plugins, and would take PATH for one of the paths to test"
        )
    if config.getoption("leaklint_repeat") < 0:
        raise pytest.UsageError("--leaklint-repeat must be 0 or more")
    if not 0 < config.getoption("leaklint_census_budget") <= 1:
        raise pytest.UsageError("--leaklint-census-budget must be more than 0 and at most 1")
    if config.getoption("leaklint_resources"):
        # Shown, not ignored as Python does by default; first in the list,
        # so that the project's own filters (``error``) still decide.
        config.getini("filterwarnings").insert(0, "always::ResourceWarning")
    config.pluginmanager.register(LeakWatch(config), "leaklint-watch")
