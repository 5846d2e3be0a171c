"""``pytest --leaklint`` on a project of its own, run through pytester in a subprocess."""

from __future__ import annotations

import json
import textwrap

import pytest

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.slow  # every test runs a pytest session in a subprocess

APP = '''\
import functools
import logging

_sessions = {}          # keyed by fresh tokens: grows with every login
_colours = {}           # keyed by a small fixed set: fills, then stops
_unreached = {}         # no test ever calls what fills it
_handlers = {}


def register(name):     # an import-time registry: filled once, at import
    def decorate(function):
        _handlers[name] = function
        return function
    return decorate


@register("ping")
def ping():
    return "pong"


def login(token):
    if token not in _sessions:
        _sessions[token] = {"token": token}
    return _sessions[token]


def colour(name):
    if name not in _colours:
        _colours[name] = name.upper()
    return _colours[name]


def forgotten(key):
    if key not in _unreached:
        _unreached[key] = key
    return _unreached[key]


@functools.lru_cache(maxsize=None)
def parse(text):
    return text.split()


def append(item, items=[]):
    items.append(item)
    return items


class Connection:
    opened = []         # every connection ever made is kept

    def __init__(self, address):
        self.address = address
        Connection.opened.append(self)

    @functools.lru_cache(maxsize=None)
    def describe(self, verbose):
        return f"{self.address} {verbose}"


def handle(request_id):
    logger = logging.getLogger(f"app.request.{request_id}")
    logger.debug("handled")


def memoize(function):  # a closure's cache: nothing names it at run time
    cache = {}

    def wrapper(key):
        if key not in cache:
            cache[key] = function(key)
        return cache[key]

    return wrapper
'''

TESTS = '''\
import pytest

import app


@pytest.mark.parametrize("n", range(40))
def test_login(n):
    assert app.login(f"token-{n}")["token"] == f"token-{n}"
    assert app.colour(["red", "green", "blue"][n % 3])
    assert app.parse(f"a b {n}")
    assert app.append(n)[-1] == n
    assert app.Connection(f"host-{n}").describe(True)
    app.handle(n)
'''


@pytest.fixture
def project(pytester):
    pytester.makepyfile(app=APP, test_app=TESTS)
    return pytester


def _verdicts(pytester, *args):
    result = pytester.runpytest_subprocess(
        "--leaklint", "--leaklint-json=verdicts.json", "-p", "no:cacheprovider", *args
    )
    records = json.loads((pytester.path / "verdicts.json").read_text(encoding="utf-8"))
    return result, {(record["code"], record["line"]): record for record in records}


def _line(text, source=APP):
    """The line of ``source`` that holds ``text``."""
    return next(number for number, line in enumerate(source.splitlines(), 1) if text in line)


def test_growth_is_confirmed_and_bounded_caches_are_not(project):
    result, verdicts = _verdicts(project)
    expected = {
        ("LL101", _line("_sessions = {}")): "confirmed",  # keyed by fresh tokens
        ("LL101", _line("_colours = {}")): "bounded",  # keyed by a small fixed set
        ("LL101", _line("_unreached = {}")): "not-grown",  # loaded, never filled
        ("LL103", _line("@functools.lru_cache(maxsize=None)")): "confirmed",  # parse()'s cache
        ("LL106", _line("def append(")): "confirmed",  # append()'s default
        ("LL105", _line("Connection.opened.append(self)")): "confirmed",
        ("LL104", _line("    @functools.lru_cache(maxsize=None)")): "confirmed",  # a method cache on per-test objects
        ("LL108", _line("logging.getLogger(")): "confirmed",
        ("LL101", _line("    cache = {}")): "not-watched",
    }
    assert {key: verdicts[key]["verdict"] for key in expected} == expected
    assert ("LL101", _line("_handlers = {}")) not in verdicts  # the import-time registry is no finding at all
    assert result.ret == 1
    line = _line("_sessions = {}")
    result.stdout.fnmatch_lines([f"*app.py:{line}:1: LL101 * [[]confirmed: 1 → 40 entries over 40 tests, in *test_login*"])


def test_report_only_keeps_the_exit_status(project):
    result, verdicts = _verdicts(project, "--leaklint-report-only")
    assert result.ret == 0
    assert verdicts[("LL101", _line("_sessions = {}"))]["verdict"] == "confirmed"


def test_a_module_the_tests_never_import_is_not_exercised(project):
    project.makepyfile(unused=APP)
    result, verdicts = _verdicts(project)
    records = json.loads((project.path / "verdicts.json").read_text(encoding="utf-8"))
    unused = [record for record in records if record["path"] == "unused.py"]
    # Everything it names was never found; the closure's cache has nothing to find.
    assert unused and {record["verdict"] for record in unused} == {"not-exercised", "not-watched"}


def test_inert_without_the_option(project):
    result = project.runpytest_subprocess("-p", "no:cacheprovider")
    assert result.ret == 0
    assert "growth findings at run time" not in result.stdout.str()


def test_tests_pass_and_fail_as_without_it(pytester):
    pytester.makepyfile(test_mixed=textwrap.dedent('''\
        def test_passes():
            assert True

        def test_fails():
            assert False
    '''))
    result = pytester.runpytest_subprocess("--leaklint", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    assert result.ret == 1


RESOURCES = '''\
import builtins


def first_line(path):
    return open(path).readline()


def hidden_first_line(path):
    reader = getattr(builtins, "open")
    return reader(path).readline()


def closed_first_line(path):
    with open(path) as f:
        return f.readline()
'''

RESOURCE_TESTS = '''\
import gc

import resources


def test_lines(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("one\\ntwo\\n")
    assert resources.first_line(path) == "one\\n"
    assert resources.hidden_first_line(path) == "one\\n"
    assert resources.closed_first_line(path) == "one\\n"
    gc.collect()
'''


def test_resource_warnings_confirm_findings_and_find_what_the_rules_miss(pytester):
    pytester.makepyfile(resources=RESOURCES, test_resources=RESOURCE_TESTS)
    result, verdicts = _verdicts(pytester, "--leaklint-resources")
    assert verdicts[("LL303", 5)]["verdict"] == "confirmed"
    assert verdicts[("ResourceWarning", 10)]["verdict"] == "runtime-only"  # getattr(builtins, "open")
    assert set(verdicts) == {("LL303", 5), ("ResourceWarning", 10)}
    assert result.ret == 1
    result.stdout.fnmatch_lines(["resources.py:10:1: ResourceWarning unclosed file * [[]runtime-only: *test_lines*"])


def test_the_project_s_warning_filters_still_decide(pytester):
    pytester.makepyfile(resources=RESOURCES, test_resources=RESOURCE_TESTS)
    pytester.makeini("[pytest]\nfilterwarnings =\n    ignore::ResourceWarning\n")
    result, verdicts = _verdicts(pytester, "--leaklint-resources")
    assert verdicts == {}
    assert result.ret == 0


def test_resources_are_left_alone_without_the_option(pytester):
    pytester.makepyfile(resources=RESOURCES, test_resources=RESOURCE_TESTS)
    result, verdicts = _verdicts(pytester)
    assert verdicts == {}
    assert result.ret == 0


def test_a_json_file_that_cannot_be_written_is_an_error_not_a_traceback(project):
    result = project.runpytest_subprocess("--leaklint", "--leaklint-json=missing/verdicts.json", "-p", "no:cacheprovider")
    assert result.ret == 4
    result.stdout.fnmatch_lines(["leaklint: cannot write missing/verdicts.json: *"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


def test_a_path_option_s_value_must_be_joined_to_it(project):
    # Given as a word of its own, an existing file would move pytest's rootdir to its folder.
    (project.path / "verdicts.json").write_text("[]", encoding="utf-8")
    result = project.runpytest_subprocess("--leaklint", "--leaklint-json", "verdicts.json", "-p", "no:cacheprovider")
    assert result.ret == 4
    result.stderr.fnmatch_lines(["*write --leaklint-json=PATH, not '--leaklint-json PATH'*"])
    assert "Traceback" not in result.stdout.str() + result.stderr.str()


RETAINING = '''\
import asyncio

_bus = []
_tasks = set()


def subscribe(callback):
    _bus.append(callback)


class Listener:         # per-instance callbacks on a module-level bus
    def __init__(self, name):
        self.name = name
        subscribe(self.on_event)

    def on_event(self, event):
        return (self.name, event)


class Scratch:          # the same shape, but nothing outlives its instances
    def __init__(self, name):
        self.name = name
        self.callbacks = [self.on_event]

    def on_event(self, event):
        return event


async def _work(n):
    return n


async def start(n):
    _tasks.add(asyncio.create_task(_work(n)))   # a task set without discard
    await asyncio.sleep(0)


class Worker:
    def __init__(self):
        self.failures = []

    def run(self, job):
        try:
            return job()
        except Exception as error:
            self.failures.append(error)         # a worker keeping every exception


default_worker = Worker()
'''

RETAINING_TESTS = '''\
import asyncio
import time

import pytest

import retaining


@pytest.mark.parametrize("n", range(60))
def test_work(n):
    retaining.Listener(f"listener-{n}")
    retaining.Scratch(f"scratch-{n}")
    asyncio.run(retaining.start(n))
    retaining.default_worker.run(lambda: 1 / 0)
    time.sleep(0.01)  # tests that take a while: the census is due after each
'''


def test_what_instances_keep_is_counted(pytester):
    pytester.makepyfile(retaining=RETAINING, test_retaining=RETAINING_TESTS)
    # Counting instances after every test: their walk of the heap may take as long as the tests.
    result, verdicts = _verdicts(pytester, "--leaklint-census-budget", "1")
    line = lambda text: _line(text, RETAINING)  # noqa: E731
    expected = {
        ("LL201", line("        subscribe(self.on_event)")): "confirmed",  # the bus keeps every Listener
        ("LL109", line("_tasks.add(")): "confirmed",
        ("LL403", line("self.failures.append(error)")): "confirmed",  # one Worker, ever more failures
    }
    assert {key: verdicts[key]["verdict"] for key in expected} == expected
    assert not any(key[1] == line("self.callbacks = [self.on_event]") for key in verdicts)  # no finding to watch
    series = verdicts[("LL201", line("        subscribe(self.on_event)"))]["evidence"]["series"]
    assert len(series) >= 20 and series[-1][1] - series[0][1] >= 20


def test_instances_are_counted_only_as_often_as_the_budget_allows(pytester):
    pytester.makepyfile(retaining=RETAINING, test_retaining=RETAINING_TESTS)
    result, verdicts = _verdicts(pytester, "--leaklint-census-budget", "0.0001")
    series = verdicts[("LL201", _line("        subscribe(self.on_event)", RETAINING))]["evidence"]["series"]
    # The first census is due at once and the last is taken at the end; none between, at this budget.
    assert len(series) == 2


FRESH = '''\
import itertools

_counter = itertools.count()
_sessions = {}          # keyed by a fresh token on every call: a leak
_colours = {}           # keyed by the tests' own inputs: a cache


def open_session(user):
    token = f"{user}-{next(_counter)}"
    if token not in _sessions:
        _sessions[token] = user
    return token


def colour(name):
    if name not in _colours:
        _colours[name] = name.upper()
    return _colours[name]
'''

FRESH_TESTS = '''\
import fresh


def test_login():
    assert fresh.open_session("ann")
    assert fresh.colour("red") == "RED"


def test_logout():
    assert fresh.open_session("bob")
    assert fresh.colour("blue") == "BLUE"


def test_unrelated():
    assert True
'''


def test_repetition_tells_a_leak_from_a_cache_of_the_inputs(pytester):
    pytester.makepyfile(fresh=FRESH, test_fresh=FRESH_TESTS)
    line = lambda text: _line(text, FRESH)  # noqa: E731
    sessions, colours = ("LL101", line("_sessions = {}")), ("LL101", line("_colours = {}"))
    # Three tests are too few to tell growth from a cache filling up.
    result, verdicts = _verdicts(pytester)
    assert (verdicts[sessions]["verdict"], verdicts[colours]["verdict"]) == ("bounded", "bounded")
    assert result.ret == 0
    result, verdicts = _verdicts(pytester, "--leaklint-repeat", "3")
    assert (verdicts[sessions]["verdict"], verdicts[colours]["verdict"]) == ("confirmed", "bounded")
    assert verdicts[sessions]["evidence"]["repetitions"] == [["test_fresh.py::test_login", 3, 3]]
    assert verdicts[colours]["evidence"]["repetitions"] == [
        ["test_fresh.py::test_login", 0, 3],
        ["test_fresh.py::test_logout", 0, 3],
    ]
    result.assert_outcomes(passed=3)  # the repetitions are not reported as tests
    assert result.ret == 1
    result.stdout.fnmatch_lines(["*fresh.py:4:1: LL101 * grew on each of 3 repetitions of test_fresh.py::test_login[]]"])


def test_a_failing_repetition_does_not_fail_the_session(pytester):
    pytester.makepyfile(fresh=FRESH, test_flaky='''\
        import fresh

        calls = []


        def test_once():
            calls.append(1)
            fresh.open_session("ann")
            assert len(calls) == 1, "only the first run passes"
    ''')
    result, verdicts = _verdicts(pytester, "--leaklint-repeat", "2", "--leaklint-report-only")
    result.assert_outcomes(passed=1)
    assert result.ret == 0
    assert verdicts[("LL101", _line("_sessions = {}", FRESH))]["verdict"] == "confirmed"


def test_workers_of_pytest_xdist_watch_their_own_process_and_their_verdicts_are_merged(project):
    pytest.importorskip("xdist")
    result, verdicts = _verdicts(project, "-n", "2")
    result.assert_outcomes(passed=40)
    sessions = verdicts[("LL101", _line("_sessions = {}"))]
    assert sessions["verdict"] == "confirmed"
    assert set(sessions["evidence"]["workers"]) == {"gw0", "gw1"}
    assert verdicts[("LL101", _line("_unreached = {}"))]["verdict"] == "not-grown"
    assert result.ret == 1
    result.stdout.fnmatch_lines(["*app.py:*: LL101 * [[]confirmed: * (worker gw*)]"])
