"""LL308: a lock acquired by hand and not released on every path."""

from __future__ import annotations

from typing import List

from leaklint.syntax.lazy import libcst as cst

from leaklint.analysis.acquisitions import Acquisition
from leaklint.analysis.lifetimes import ReleaseFacts, function_verdicts
from leaklint.analysis.names import dotted_name
from leaklint.analysis.resources import Allocation
from leaklint.catalog.resources import ResourceKind
from leaklint.fixers.with_statement import lock_block_fix
from leaklint.core.rule import Rule

LOCK = ResourceKind("lock", "acquired by", frozenset({"release"}), "use 'with {call}:'", fate="released")
_FACTS = ReleaseFacts(methods=frozenset({"release"}))


class LockNotReleased(Rule):
    """
    ## What it finds
    A lock acquired by hand whose `release()` is not reached on every path.
    That is anything acquired with a bare `acquire()` statement (a
    `threading` or `asyncio` lock, semaphore or condition, wherever it is
    kept: `self._lock`, `conn.lock`) and released in the same function but
    not on every path, exceptions included. Functions that acquire without
    ever releasing (an `__enter__` whose `__exit__` releases) are not reported.

    ## Why it leaks
    A lock that is never released blocks every other thread that wants it:
    the service hangs rather than crashes, and the threads (with all they
    reference) pile up waiting. A semaphore loses one slot per leak until no
    work can start.

    ## Example
    ```python
    import threading

    _lock = threading.Lock()
    _cache = {}

    def store(key, compute):
        _lock.acquire()
        _cache[key] = compute()   # an exception here keeps the lock forever
        _lock.release()
    ```

    ## Fix
    ```python
    def store(key, compute):
        with _lock:
            _cache[key] = compute()
    ```
    `leaklint --fix` makes that change when `acquire()` and `release()` are
    lines of one block: the lines between go into `with lock:` and the
    release line goes. Safe: `with` acquires as `acquire()` did and releases
    on every path, the early returns and exceptions included. Not when a line
    between names the lock again (released and acquired, or handed on).
    """

    code = "LL308"
    summary_text = "A lock acquired by hand whose `release()` some path skips"
    # Opt-in until precise: fresh triage rounds found most findings guarded
    # by conditions the analysis cannot tie together, or permits handed on
    # by design.
    default_enabled = False
    name = "lock-not-released"
    message = "{lock}.acquire() is not released on every path{where}; use 'with {lock}:'"
    triggers = frozenset({"acquire"})

    VALID = (
        "import threading\nlock = threading.Lock()\ndef f():\n    lock.acquire()\n    try:\n"
        "        pass\n    finally:\n        lock.release()\n",
        "import threading\nclass A:\n    def __init__(self):\n        self._lock = threading.RLock()\n"
        "    def __enter__(self):\n        self._lock.acquire()\n        return self\n"
        "    def __exit__(self, *exc):\n        self._lock.release()\n",
    )
    INVALID = (
        "import threading\nlock = threading.Lock()\ndef f(g):\n    lock.acquire()  # expect: LL308\n"
        "    g()\n    lock.release()\n",
        "import threading\nclass A:\n    def __init__(self):\n        self._lock = threading.Lock()\n"
        "    def f(self, x):\n        self._lock.acquire()  # expect: LL308\n        if x:\n            return 1\n"
        "        self._lock.release()\n",
    )
    FIXES = (
        (
            "import threading\nlock = threading.Lock()\ndef f(g):\n    lock.acquire()\n    g()\n    lock.release()\n",
            "import threading\nlock = threading.Lock()\ndef f(g):\n    with lock:\n        g()\n",
        ),
        (
            "import threading\nclass A:\n    def __init__(self):\n        self._lock = threading.Lock()\n"
            "    def f(self, x):\n        self._lock.acquire()\n        if x:\n            return 1\n"
            "        self._lock.release()\n",
            "import threading\nclass A:\n    def __init__(self):\n        self._lock = threading.Lock()\n"
            "    def f(self, x):\n        with self._lock:\n            if x:\n                return 1\n",
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._inside = [*self.context.ancestors, node.body]
        verdicts = function_verdicts(node, self.context, lambda _: self._acquisitions, lambda _: _FACTS)
        for verdict in verdicts:
            if verdict.release is None:
                continue  # acquired here, released elsewhere by design
            fix = lock_block_fix(node, verdict.name, verdict.call)
            if verdict.leaks:
                self.report(verdict.call, fix=fix, lock=verdict.name, where="")
            elif verdict.leaks_on_error:
                self.report(verdict.call, fix=fix, lock=verdict.name, where=", exceptions included")

    def _acquisitions(self, statement: cst.BaseSmallStatement) -> List[Acquisition]:
        if not isinstance(statement, cst.Expr):
            return []
        call = statement.value.expression if isinstance(statement.value, cst.Await) else statement.value
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
            return []
        if call.func.attr.value != "acquire" or call.args:
            return []  # acquire(timeout=...) may fail: its result decides
        lock = dotted_name(call.func.value)
        # Anything the same function also releases (``sl.lock.acquire() ...
        # sl.lock.release()``, checked in visit_FunctionDef), but a lock of
        # its own (``lock = Lock()``, or a parameter): no one else waits on it.
        if lock is None or self.context.facts.locks.is_baton(lock):
            return []
        if "." not in lock and self.context.names.is_local(lock, self._inside):
            return []
        return [Acquisition(lock, call, statement, Allocation(lock, LOCK))]
