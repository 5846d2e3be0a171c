"""Watch targets: growth findings say where their object lives at run time."""

from __future__ import annotations

import leaklint
from leaklint.watch import WatchTarget

GROWING = '''\
import functools

_sessions = {}
_seen = []


def remember(token, user):
    if token not in _sessions:
        _sessions[token] = user
    return _sessions[token]


def record(event):
    _seen.append(event)


@functools.lru_cache(maxsize=None)
def lookup(key):
    return key.upper()


class Store:
    _rows = {}

    def get(self, request):
        if request.row_id not in Store._rows:
            Store._rows[request.row_id] = request.load()
        return Store._rows[request.row_id]

    @functools.lru_cache(maxsize=None)
    def render(self, template):
        return template.format(self)


def append(item, items=[]):
    items.append(item)
    return items


def memoize(function):
    cache = {}

    def wrapper(key):
        if key not in cache:
            cache[key] = function(key)
        return cache[key]

    return wrapper
'''


def _targets(source):
    findings = leaklint.lint_source(source, path="app/growing.py", config={"select": ["LL1"]})
    return {(finding.code, finding.line): finding.watch for finding in findings}


def test_growth_findings_name_their_objects():
    targets = _targets(GROWING)
    assert targets[("LL101", 3)] == WatchTarget("attribute", "_sessions")
    assert targets[("LL102", 4)] == WatchTarget("attribute", "_seen")
    assert targets[("LL103", 17)] == WatchTarget("cache", "lookup")
    assert targets[("LL101", 23)] == WatchTarget("attribute", "Store._rows")
    assert targets[("LL104", 30)] == WatchTarget("cache", "Store.render")
    assert targets[("LL106", 35)] == WatchTarget("defaults", "append", "items")


def test_a_closure_variable_has_no_target():
    targets = _targets(GROWING)
    assert targets[("LL101", 41)] is None


def test_other_rules_carry_no_target():
    findings = leaklint.lint_source("data = open('x').read()\n", path="app/config.py")
    assert [finding.watch for finding in findings] == [None]


def test_specs_round_trip_and_unknown_ones_are_ignored():
    for target in (
        WatchTarget("attribute", "Store._rows"),
        WatchTarget("defaults", "f", "items"),
        WatchTarget("instances", "Handler"),
        WatchTarget("instance-attribute", "Worker.errors"),
    ):
        assert WatchTarget.parse(str(target)) == target
    assert WatchTarget.parse("weights:Handler") is None  # a kind a later version may add
    assert WatchTarget.parse(None) is None


def test_targets_survive_the_cache(tmp_path, cli):
    source = tmp_path / "growing.py"
    source.write_text(GROWING, encoding="utf-8")
    runs = [
        cli("--isolated", "--select", "LL1", "--format", "json", "--cache-dir", str(tmp_path / "cache"), str(source))
        for _ in range(2)
    ]
    assert runs[0].findings == runs[1].findings
    assert {"kind": "cache", "name": "lookup", "parameter": None} in [f["watch"] for f in runs[1].findings]


def test_registries_and_instance_lists_have_targets():
    source = (
        "import logging\n"
        "class Connection:\n"
        "    opened = []\n"
        "    def __init__(self):\n"
        "        Connection.opened.append(self)\n"
        "def handle(request_id):\n"
        "    logging.getLogger(f'app.{request_id}').debug('x')\n"
    )
    targets = _targets(source)
    assert targets[("LL105", 5)] == WatchTarget("attribute", "Connection.opened")
    assert targets[("LL108", 7)] == WatchTarget("registry", "loggers")


RETAINING = '''\
import asyncio
import atexit
import logging
import warnings

_tasks = set()
_listeners = []


def subscribe(callback):
    _listeners.append(callback)


def fire(coro):
    _tasks.add(asyncio.create_task(coro))


class Listener:
    def __init__(self):
        subscribe(self.on_event)

    def on_event(self, event):
        return event


class Worker:
    def __init__(self):
        self.errors = []
        self.pending = set()

    def run(self, job):
        try:
            job()
        except Exception as error:
            self.errors.append(error)

    def spawn(self, coro):
        self.pending.add(asyncio.create_task(coro))


class Stream:
    def open(self):
        self.on_close = self.close

    def close(self):
        pass

    def __del__(self):
        self.close()


class Job:
    def __init__(self, name):
        logging.getLogger("jobs").addHandler(logging.FileHandler(name))
        atexit.register(print, name)


def quiet(name):
    warnings.filterwarnings("ignore", message=f"{name} is deprecated")


def make():
    class Local:
        def __init__(self):
            subscribe(self.on_event)

        def on_event(self, event):
            return event

    return Local
'''


def _all_targets(source):
    config = {"select": ["LL1", "LL201", "LL401", "LL403"]}
    findings = leaklint.lint_source(source, path="app/retaining.py", config=config)
    return {(finding.code, finding.line): finding.watch for finding in findings}


def _line(text, source=RETAINING):
    return next(number for number, line in enumerate(source.splitlines(), 1) if text in line)


def test_retention_findings_name_what_they_keep():
    targets = _all_targets(RETAINING)
    expected = {
        ("LL109", _line("_tasks.add(")): WatchTarget("attribute", "_tasks"),
        ("LL109", _line("self.pending.add(")): WatchTarget("instance-attribute", "Worker.pending"),
        ("LL201", _line("        subscribe(self.on_event)")): WatchTarget("instances", "Listener"),
        ("LL403", _line("self.errors.append(error)")): WatchTarget("instance-attribute", "Worker.errors"),
        ("LL401", _line("self.on_close = self.close")): WatchTarget("instances", "Stream"),
        ("LL110", _line("addHandler(")): WatchTarget("registry", "handlers"),
        ("LL110", _line("atexit.register(")): WatchTarget("registry", "atexit"),
        ("LL110", _line("warnings.filterwarnings(")): WatchTarget("registry", "warning-filters"),
    }
    assert {key: targets.get(key) for key in expected} == expected


def test_a_class_made_inside_a_function_has_no_target():
    # Nothing the module binds names it: there is no class to count.
    local = ("LL201", max(line for code, line in _all_targets(RETAINING) if code == "LL201"))
    assert local[1] > _line("def make():")
    assert _all_targets(RETAINING)[local] is None
