"""LL301 and LL302: a resource bound to a name and not released on every path."""

from __future__ import annotations

from typing import FrozenSet, List, Optional

from leaklint.syntax.lazy import libcst as cst

from leaklint.analysis.acquisitions import (
    Acquisition,
    assigned_allocations,
    assigned_results,
    calls_method_on,
    either,
    is_tracked,
    passed_to_a_call,
)
from leaklint.analysis.borrowers import LocalUse, local_use_of
from leaklint.analysis.generator_cleanup import skipped_cleanups
from leaklint.analysis.lifetimes import (
    ReleaseFacts,
    Verdict,
    constructor_failures,
    function_verdicts,
    lends_at_yield,
    mentions,
)
from leaklint.analysis.names import QualifiedName, dotted_name
from leaklint.analysis.resources import allocation, trigger_words, wraps_local_buffer
from leaklint.analysis.scopes import method_class_name
from leaklint.analysis.test_code import calls_stub
from leaklint.analysis.visiting import NodeVisitor, walk
from leaklint.catalog.descriptors import DESCRIPTOR_CALLS, TEMPORARY_DIRECTORY_CALLS, TEMPORARY_FILE_PATH_CALLS
from leaklint.catalog.resources import (
    BORROWERS,
    BUFFERED_FILES,
    IMAGE,
    IMAGE_FRAME_ACCESS,
    IMAGE_LOADING,
    LAZY_SESSION,
    SOCKET_IN_TUPLE,
    SOCKET_TUPLE_CALLS,
    SOCKET_TUPLE_METHODS,
    STREAM_WRITER,
    TUPLE_RESOURCE_CALLS,
    USER_RESOURCE,
)
from leaklint.core.context import ProposedFix
from leaklint.fixers.with_statement import with_statement_fix
from leaklint.core.rule import Rule

# Descriptors and temporary paths: LL304's and LL307's.
RAW_CALLS = frozenset({*DESCRIPTOR_CALLS, *TEMPORARY_DIRECTORY_CALLS, *TEMPORARY_FILE_PATH_CALLS})


class ResourceNotClosed(Rule):
    """
    ## What it finds
    A resource bound to a name that some path through the function leaves open.
    The path returns, falls off the end or re-binds the name while the file,
    socket, process or connection is still open, and nobody else took it over:
    it was not returned, yielded, stored in an attribute or a container, used
    in `with`, or handed to `contextlib.closing`, `ExitStack` or another call
    that may keep it. What a script's `main()` (the last call of its
    `__main__` block) still holds when it returns is left alone: the
    process ends right after. A requests or httpx session holds nothing
    until it sends a request.

    ## Why it leaks
    Each open file or socket holds an operating-system descriptor (and often
    buffers and a remote peer's resources) until something closes it. When
    the last reference goes away, CPython closes files in their finalizer
    only by the accident of reference counting; other interpreters, a
    reference cycle or a traceback that holds the frame keep it open much
    longer, and a long-running service runs out of descriptors ("Too many
    open files") or connections.

    ## Example
    ```python
    def first_line(path):
        f = open(path)
        line = f.readline()
        if not line:
            return None          # f is never closed on this path
        f.close()
        return line
    ```

    ## Fix
    Let `with` close it on every path, returns and exceptions included.
    ```python
    def first_line(path):
        with open(path) as f:
            return f.readline() or None
    ```
    `leaklint --fix` does that when the resource is released (`f.close()`)
    on a later line of the block that acquires it, and a path between them
    leaves without the release: the lines between move into `with open(p)
    as f:` and the release line goes. Safe: the paths that released it
    still do, and the others now do too. Not when a path between them
    returns, yields or stores the resource (it would leave the block
    closed), and not for what LL302's fix leaves alone. A process started
    with pipes and waited for (`p = Popen(cmd, stdout=PIPE)` … `p.wait()`)
    is started in `with Popen(...) as p:` instead, whose exit closes the
    pipes and waits; unsafe (`--unsafe-fixes`), since the pipes now close
    before the wait and a child still writing what nobody reads gets a
    broken pipe.
    """

    code = "LL301"
    summary_text = "A resource bound to a name that some path leaves open"
    name = "resource-not-closed"
    message = "{noun} {verb} {call}() {problem}; {hint}"
    triggers = trigger_words()

    VALID = (
        "def f(p):\n    with open(p) as f:\n        return f.read()\n",
        "def f(p):\n    f = open(p)\n    try:\n        return f.read()\n    finally:\n        f.close()\n",
        "def f(p):\n    f = open(p)\n    return f\n",
        "class A:\n    def open(self, p):\n        self.f = open(p)\n    def close(self):\n        self.f.close()\n",
        "import contextlib\ndef f(p):\n    f = open(p)\n    with contextlib.closing(f):\n        return f.read()\n",
        "def f(p):\n    f = None\n    try:\n        f = open(p)\n        return f.read()\n"
        "    finally:\n        if f is not None:\n            f.close()\n",
    )
    INVALID = (
        "def f(p):\n    f = open(p)  # expect: LL301\n    return f.read()\n",
        "def f(p, x):\n    f = open(p)  # expect: LL301\n    if x:\n        return None\n    f.close()\n",
        "def f(paths):\n    for p in paths:\n        f = open(p)  # expect: LL301\n        print(f.read())\n",
    )
    FIXES = (
        (
            "import subprocess\ndef first(cmd):\n    p = subprocess.Popen(cmd, stdout=subprocess.PIPE)\n"
            "    line = p.stdout.readline()\n    p.wait()\n    return line\n",
            "import subprocess\ndef first(cmd):\n    with subprocess.Popen(cmd, stdout=subprocess.PIPE) as p:\n"
            "        line = p.stdout.readline()\n    return line\n",
        ),
        (
            "def f(p, x):\n    f = open(p)\n    if x:\n        return None\n    data = f.read()\n    f.close()\n    return data\n",
            "def f(p, x):\n    with open(p) as f:\n        if x:\n            return None\n        data = f.read()\n    return data\n",
        ),
    )

    # A function re-binding a module global that already holds one.
    message_global = (
        "{noun} {verb} {call}() replaces the one the module keeps in '{name}' without closing it; "
        "close the old one first"
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._replaced_globals(node)
        # A script's main(): what is open when it ends is closed by the process's end.
        at_exit = self.context.facts.ends_the_process(self.context.ancestors)
        for verdict in _verdicts(self, node):
            if verdict.leaks and not (at_exit and not verdict.rebound) and not _reported_before(verdict, self):
                fate = verdict.allocation.kind.fate
                # CPython's reference counting often releases it when the last
                # reference goes: say so, so that a reader can weigh the risk.
                problem = (
                    f"is re-bound before it is {fate}: the old one is left to the garbage collector"
                    if verdict.rebound
                    else f"is not {fate} on every path: one leaves it to the garbage collector"
                )
                # A path that returns early skips the release: one it keeps now.
                fix = None
                if not verdict.rebound:
                    process = verdict.allocation.call_name.endswith("Popen")
                    fix = _process_with_fix(node, verdict) if process else _with_fix(node, verdict, escapes_checked=True)
                _report(self, verdict, fix=fix, problem=problem)


    def _replaced_globals(self, function: cst.FunctionDef) -> None:
        """``global SESSION; SESSION = requests.Session()`` where the module
        also made one at import (``SESSION = requests.Session()``): the old
        one is dropped open, unless the function looks at it first."""
        declared = {
            name.name.value
            for statement in function.body.body
            if isinstance(statement, cst.SimpleStatementLine)
            for small in statement.body
            if isinstance(small, cst.Global)
            for name in small.names
        }
        if not declared:
            return
        made_at_import = self.context.facts.module_allocations
        inside = [*self.context.ancestors, function.body]
        for statement in function.body.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if not (isinstance(small, cst.Assign) and len(small.targets) == 1):
                    continue
                target = small.targets[0].target
                if not (isinstance(target, cst.Name) and target.value in declared and target.value in made_at_import):
                    continue
                if not isinstance(small.value, cst.Call) or _mentions_before(function, small, target.value):
                    continue
                found = allocation(small.value, lambda expr: self.context.names.qualified_name(expr, inside))
                if found is not None:
                    kind = found.kind
                    self.context.report(
                        self.code,
                        small.value,
                        self.message_global,
                        dict(noun=kind.noun, verb=kind.verb, call=found.call_name, fate=kind.fate, name=target.value),
                    )


class ResourceNotClosedOnError(Rule):
    """
    ## What it finds
    A resource that is closed on every normal path, but not when an exception
    is raised between acquiring and closing it. Nothing (`with`, `finally`)
    protects the statements in between, and at least one of them can raise:
    a call, a subscript, an `await`. The same holds when the function closes
    it in an `except` block and hands it over on success (`except: f.close();
    raise` around the hand-over): what fails before that block leaks it.
    Three shapes of the same gap are reported too: a `@contextmanager`
    generator that releases what it set up after its `yield`, outside
    `try`/`finally`, so that an exception in the `with` block skips the
    release (any value released by a call such as `pool.release(conn)`, not
    only the catalog's resources); a coroutine whose clean-up is in an
    `except Exception:` block, which a cancelled task's `CancelledError`
    passes by; and a loop whose `except` block `continue`s while the
    resource it made is still open, so the next pass replaces it.

    ## Limitations
    Test code is left out: there the path is the one where the test fails,
    which is reported already, in a process that ends soon. Test code is a
    file in a `test`, `tests`, `testing` or `t` folder, `test_*.py`,
    `*_test.py`, `tests.py` and `conftest.py`, and in any module a
    `unittest.TestCase` subclass and a pytest fixture, and, where the module
    imports pytest or unittest, `test*` functions and `Test*` classes.
    LL301, LL303 and LL304 still report tests: what they find leaks on
    every run.

    ## Why it leaks
    The exception skips the `close()`. Its traceback keeps the frame, and the
    frame the resource, alive for as long as the exception is stored, logged
    lazily or re-raised up the stack; in a retry loop each failure leaves one
    more descriptor or connection behind.

    ## Example
    ```python
    import json

    def load(path):
        f = open(path)
        data = json.load(f)      # a ValueError skips the close
        f.close()
        return data
    ```

    ## Fix
    ```python
    import json

    def load(path):
        with open(path) as f:
            return json.load(f)
    ```
    `leaklint --fix` makes that change when the acquiring statement, the
    statements using the resource and its `close()` (or the kind's other
    release) are lines of one block: `name = open(p)` becomes `with open(p)
    as name:`, the lines between move into it, and the release line goes.
    Safe: `with` releases as the call did, now on every path. Not for
    resources whose `with` does something else (a `sqlite3` connection's is
    a transaction), a name bound again between, a release line carrying a
    comment, or a string spanning lines among the moved ones.
    """

    code = "LL302"
    summary_text = "A resource closed on normal paths but not when an exception is raised"
    name = "resource-not-closed-on-error"
    message = "{noun} {verb} {call}() is not {fate} if an exception is raised before line {release_line}; use 'with'"
    # Any value a ``@contextmanager`` releases after an unprotected ``yield``.
    message_after_yield = (
        "'{name}' from {call}() is not released if the 'with' block raises: line {release_line} runs "
        "only when it succeeds; put the yield in try/finally"
    )
    # Released in ``except`` clauses that let some exceptions by.
    message_partial_handlers = (
        "{noun} {verb} {call}() is {fate} at line {release_line} only for the exceptions its 'except' "
        "catches, not when the task is cancelled; use 'finally' or 'with'"
    )
    # Stored on self by __init__, which then raises.
    message_constructor = (
        "{noun} {verb} {call}() is not {fate} when __init__ raises after opening it: the object is never "
        "made, so nothing can; close it before raising"
    )
    # Handed over on success, dropped when a handshake fails.
    message_failed_handshake = (
        "{noun} {verb} {call}() is not {fate} when connecting or authenticating with it fails before "
        "it is handed over; close it in an 'except' block before re-raising"
    )
    # No release at all, and an ``except`` block after which the name is bound again.
    message_on_retry = (
        "{noun} {verb} {call}() is not {fate} when an exception is caught and the name is bound again "
        "(a loop makes another); close it in the 'except' block or use 'with'"
    )
    triggers = trigger_words() | {"contextmanager", "asynccontextmanager"}

    VALID = (
        "def f(p):\n    f = open(p)\n    try:\n        data = f.read()\n    finally:\n        f.close()\n"
        "    return data\n",
        "def f(p):\n    f = open(p)\n    f.close()\n",
        "def f(p):\n    f = open(p)\n    try:\n        data = f.read()\n    except Exception:\n"
        "        f.close()\n        raise\n    f.close()\n    return data\n",
    )
    INVALID = (
        "import json\ndef f(p):\n    f = open(p)  # expect: LL302\n    data = json.load(f)\n    f.close()\n"
        "    return data\n",
        "import contextlib\n@contextlib.contextmanager\ndef f(pool):\n    conn = pool.acquire()  # expect: LL302\n"
        "    yield conn\n    pool.release(conn)\n",
        "import aiohttp\nasync def f(u):\n    s = aiohttp.ClientSession()  # expect: LL302\n    try:\n"
        "        r = await s.get(u)\n    except Exception:\n        await s.close()\n        raise\n"
        "    await s.close()\n    return r\n",
    )
    FIXES = (
        (
            "import json\ndef f(p):\n    f = open(p)\n    # the settings\n    data = json.load(f)\n    f.close()\n"
            "    return data\n",
            "import json\ndef f(p):\n    with open(p) as f:\n        # the settings\n        data = json.load(f)\n"
            "    return data\n",
        ),
        (
            "import socket\ndef send(host, data):\n    if data:\n        s = socket.create_connection((host, 80))\n"
            "        s.sendall(data)\n        s.close()\n",
            "import socket\ndef send(host, data):\n    if data:\n        with socket.create_connection((host, 80)) as s:\n"
            "            s.sendall(data)\n",
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.context.facts.in_test_code(self.context.ancestors):
            return  # the path where the test fails: it is reported already, and its process ends soon
        verdicts = _verdicts(self, node)
        self._constructor_failures(node)
        # A script's main(), or what only main() calls: an exception escaping it ends the process.
        at_exit = self.context.facts.error_ends_the_process(self.context.ancestors)
        for verdict in verdicts:
            if _reported_before(verdict, self) or (at_exit and not verdict.rebound_on_error):
                continue
            if verdict.leaks_on_error and verdict.release is not None:
                template = self.message_partial_handlers if verdict.uncaught_by_cleanup else None
                fix = None if verdict.uncaught_by_cleanup else _with_fix(node, verdict)
                _report(self, verdict, related={"release": verdict.release}, template=template, fix=fix)
            elif verdict.rebound_on_error:
                _report(self, verdict, template=self.message_on_retry)
            elif verdict.leaks_on_failed_handshake:
                _report(self, verdict, template=self.message_failed_handshake)
        if lends_at_yield(node, self._resolver(node)):
            resolve = self._resolver(node)
            followed = {id(verdict.call) for verdict in verdicts}
            for skipped in skipped_cleanups(node):
                # Descriptors and temporary paths are LL304's and LL307's.
                if id(skipped.acquired_by) not in followed and resolve(skipped.acquired_by.func) not in RAW_CALLS:
                    self.context.report(
                        self.code,
                        skipped.acquired_by,
                        self.message_after_yield,
                        {"name": skipped.name, "call": dotted_name(skipped.acquired_by.func) or "the call"},
                        {"release": skipped.release},
                    )

    def _constructor_failures(self, function: cst.FunctionDef) -> None:
        """``__init__`` that stores a resource on ``self`` and then raises."""
        if function.name.value != "__init__" or method_class_name(self.context.ancestors) is None:
            return
        context = self.context
        for verdict in constructor_failures(
            function,
            context,
            lambda qualified_name: lambda call: allocation(call, qualified_name),
            lambda acquisition: _release_facts(acquisition, lambda call, arg: None, context.facts.plain_classes),
        ):
            if verdict.left_open_by_raise:
                _report(self, verdict, template=self.message_constructor)

    def _resolver(self, function: cst.FunctionDef) -> QualifiedName:
        inside = [*self.context.ancestors, function.body]
        return lambda expr: self.context.names.qualified_name(expr, inside)


def _verdicts(rule: Rule, function: cst.FunctionDef) -> List[Verdict]:
    """LL301 and LL302 share one analysis of each function."""
    context = rule.context
    inside = [*context.ancestors, function.body]

    def resolve(expr: cst.BaseExpression) -> Optional[str]:
        return context.names.qualified_name(expr, inside)

    stubbed = context.stubbed_modules()
    return context.shared(
        ("object lifetimes", id(function)),
        lambda: [
            verdict
            for verdict in function_verdicts(
                function,
                context,
                lambda qualified_name: either(
                    assigned_allocations(
                        lambda call: allocation(
                            call,
                            qualified_name,
                            context.facts.factories,
                            method_class_name(context.ancestors),
                            lambda expr: context.names.instance_of(expr, inside),
                        )
                    ),
                    assigned_results(TUPLE_RESOURCE_CALLS, STREAM_WRITER, qualified_name),
                    assigned_results(
                        SOCKET_TUPLE_CALLS,
                        SOCKET_IN_TUPLE,
                        qualified_name,
                        SOCKET_TUPLE_METHODS,
                        lambda expr: context.names.instance_of(expr, inside),
                    ),
                ),
                lambda acquisition: _release_facts(
                    acquisition,
                    local_use_of(
                        context.facts.local_callees,
                        resolve,
                        method_class_name(context.ancestors),
                        acquisition.allocation.kind.release,
                    ),
                    context.facts.plain_classes,
                    function.body,
                ),
            )
            if _opened(verdict, function)
            and not wraps_local_buffer(verdict.call, function.body, resolve)
            and not calls_stub(verdict.call, stubbed, resolve)
        ],
    )


def _with_fix(function: cst.FunctionDef, verdict: Verdict, escapes_checked: bool = False) -> Optional[ProposedFix]:
    """LL301's and LL302's fix, for resources whose ``with`` does what their
    ``close()`` did: not a project's own kinds (whose context manager leaklint
    does not know), nor pools and executors (whose ``with`` terminates or
    waits where ``close()`` did neither)."""
    kind = verdict.allocation.kind
    if verdict.release is None or kind is USER_RESOURCE or "shutdown" in kind.release:
        return None
    return with_statement_fix(function, verdict.name, verdict.call, ("close",), kind.exit_releases, escapes_checked)


def _process_with_fix(function: cst.FunctionDef, verdict: Verdict) -> Optional[ProposedFix]:
    """``p = Popen(..., stdout=PIPE)`` … ``p.wait()`` → ``with Popen(...) as p:``,
    whose exit closes the pipes and waits. Unsafe: the pipes are now closed
    before the wait, so a child still writing output nobody reads gets a
    broken pipe where it used to finish into the pipe's buffer."""
    return with_statement_fix(
        function, verdict.name, verdict.call, ("wait",), verdict.allocation.kind.exit_releases, True, safe=False
    )


def _reported_before(verdict: Verdict, rule: Rule) -> bool:
    """One finding per call: ``left, right = socket.socketpair()`` is one leak."""
    return any(report.node is verdict.call and report.code == rule.code for report in rule.context.reports)


def _opened(verdict: Verdict, function: cst.FunctionDef) -> bool:
    """Lazy clients hold something only once the function opens them, or
    hands them to a call that may (``fetch(session, url)``)."""
    kind = verdict.allocation.kind
    # A session's response closed where it is made (``with session.get(u,
    # stream=True) as r:``) closes its connection too: nothing stays open.
    return (
        not kind.opened_by
        or calls_method_on(function.body, verdict.name, kind.opened_by, skip_closed=kind is LAZY_SESSION)
        or passed_to_a_call(function.body, verdict.name)
    )


def _release_facts(
    acquisition: Acquisition,
    local_use: LocalUse,
    safe_calls: FrozenSet[str],
    scope: Optional[cst.CSTNode] = None,
) -> ReleaseFacts:
    kind = acquisition.allocation.kind
    methods = kind.release
    if kind is IMAGE and scope is not None and _reads_frames(scope, acquisition.name):
        methods = methods - IMAGE_LOADING  # a multi-frame image keeps its file open for seek()
    return ReleaseFacts(
        methods=methods,
        borrowers=BORROWERS,
        exit_releases=kind.exit_releases,
        released_by_exhaustion=kind.released_by_exhaustion,
        parts=kind.parts,
        local_use=local_use,
        safe_calls=safe_calls,
        buffered=kind in BUFFERED_FILES and not _unbuffered(acquisition.call),
    )


def _reads_frames(scope: cst.CSTNode, name: str) -> bool:
    """``image.seek(1)``, ``image.n_frames``, or ``ImageSequence`` anywhere in ``scope``."""

    class _Frames(NodeVisitor):
        found = False

        def visit_Attribute(self, node: cst.Attribute) -> None:
            if node.attr.value in IMAGE_FRAME_ACCESS and is_tracked(node.value, name):
                self.found = True

        def visit_Name(self, node: cst.Name) -> None:
            if node.value == "ImageSequence":
                self.found = True

    finder = _Frames()
    walk(scope, finder)
    return finder.found


def _unbuffered(call: cst.Call) -> bool:
    """``open(p, "wb", buffering=0)``, ``open(p, "wb", 0)``: every write goes to the system."""
    for position, arg in enumerate(call.args):
        if (arg.keyword is not None and arg.keyword.value == "buffering") or (arg.keyword is None and position == 2):
            return not (isinstance(arg.value, cst.Integer) and arg.value.evaluated_value > 1)
    return False


def _report(
    rule: Rule,
    verdict: Verdict,
    related: "dict | None" = None,
    template: Optional[str] = None,
    fix: Optional[ProposedFix] = None,
    **fields: object,
) -> None:
    kind = verdict.allocation.kind
    rule.context.report(
        rule.code,
        verdict.call,
        template or rule.message,
        dict(
            noun=kind.noun,
            fate=kind.fate,
            verb=kind.verb,
            call=verdict.allocation.call_name,
            hint=kind.hint.replace("{call}", verdict.allocation.call_name),
            **fields,
        ),
        related,
        fix=fix,
    )


def _mentions_before(function: cst.FunctionDef, statement: cst.CSTNode, name: str) -> bool:
    """Whether ``name`` is read in ``function``'s top-level statements before
    ``statement`` (``if SESSION is not None: SESSION.close()``)."""
    for earlier in function.body.body:
        if any(small is statement for small in getattr(earlier, "body", ())):
            return False
        if not isinstance(earlier, cst.SimpleStatementLine) or not all(
            isinstance(small, cst.Global) for small in earlier.body
        ):
            if mentions(earlier, name):
                return True
    return False

