"""LL404: the garbage collector switched off and not reliably back on."""

from __future__ import annotations

import ast
import functools
from typing import Iterator, List, Optional, Set

from leaklint.analysis.names import NameResolver, ast_dotted_name
from leaklint.analysis.module_index import TRY_STATEMENTS, ModuleIndex
from leaklint.core.context import FileFacts, Findings
from leaklint.fixers.try_finally import try_finally_fix
from leaklint.core.rule import FIX_FIELD, CandidateRule



class GcDisabled(CandidateRule):
    """
    ## What it finds
    `gc.disable()` in a scope that does not call `gc.enable()` on every path
    after it: no `gc.enable()` at all, or one that an exception skips
    because it is not in a `finally:` block. A disable under an `if` (a
    setter, a saved state being restored) or in the `with` block of a
    context manager named for the collector (`with restore_gc_state():`) is
    not reported. A class whose other method (or a base's in the same
    module: a test mixin's `tearDown`)
    re-enables (`__exit__`, `tearDown`, `stop`), that passes `gc.enable`
    to `addCleanup`, or that calls `gc.collect()` itself (a collector run by
    hand on a timer) is clean; so are module functions paired the same way
    (`setUpModule`/`tearDownModule`, `start_x`/`end_x`), a script's `main()`
    (the last call of its `__main__` block: the process ends with it) and,
    on the path where an exception escapes, what only `main()` calls
    outside any `try`; a function named for what it does
    (`disable_gc()`, a command-line option's `opt_disablegc()`), a
    function that collects by hand from a function nested in it (run on a
    timer), the entry point of a forked child (every use is `child();
    os._exit(0)` or `Process(target=child)`: the process ends with it), and
    a `finally:` that re-enables only if the collector was on before.

    ## Why it leaks
    With the cyclic collector off, every object that is part of a reference
    cycle (exceptions and their tracebacks, parent/child links, closures
    referring to themselves, most ORM and GUI objects) is never freed. An
    exception between `disable()` and `enable()` leaves it off for the rest
    of the process, and the memory grows without any error.

    ## Example
    ```python
    import gc

    def load(path):
        gc.disable()
        data = parse(path)
        gc.enable()
        return data
    ```

    ## Fix
    ```python
    import gc

    def load(path):
        gc.disable()
        try:
            return parse(path)
        finally:
            gc.enable()
    ```
    `leaklint --fix` puts what lies between `gc.disable()` and a
    `gc.enable()` of the same block in `try:`, and the `gc.enable()` in
    `finally:` (not when a string between them spans lines, whose content
    indenting would change). Safe: without an exception nothing changes,
    and with one the collector is on again, which is the point.
    """

    code = "LL404"
    summary_text = "`gc.disable()` not undone on every path"
    name = "gc-disabled"
    message = "gc.disable() {problem}; reference cycles are never freed while it is off: re-enable in a finally: block"

    VALID = (
        "import gc\ndef f():\n    gc.disable()\n    try:\n        work()\n    finally:\n        gc.enable()\n",
        "import gc\nclass T:\n    def setUp(self):\n        gc.disable()\n    def tearDown(self):\n        gc.enable()\n",
    )
    INVALID = (
        "import gc\ndef f():\n    gc.disable()  # expect: LL404\n    work()\n    gc.enable()\n",
        "import gc\nif __name__ == '__main__':\n    gc.disable()  # expect: LL404\n    main()\n",
    )
    FIXES = (
        (
            "import gc\ndef load(path):\n    gc.disable()\n    data = parse(\n        path)\n\n    # done\n"
            "    gc.enable()  # back on\n    return data\n",
            "import gc\ndef load(path):\n    gc.disable()\n    try:\n        data = parse(\n            path)\n\n"
            "        # done\n    finally:\n        gc.enable()  # back on\n    return data\n",
        ),
    )

    @classmethod
    def findings(cls, facts: FileFacts) -> Findings:
        if ".disable(" not in facts.text:
            return {}
        found: Findings = {}
        index = facts.index
        names = facts.names
        for scope in [index.tree, *index.functions]:
            disables = [
                call for call in index.own_nodes(scope) if isinstance(call, ast.Call) and _is_call(call, "gc.disable", names)
            ]
            if not disables or _left_off_on_purpose(index, scope, names):
                continue
            # A script's main() (or what only it calls, unguarded): when it
            # ends or raises, the process ends, and with it the collector's state.
            name = getattr(scope, "name", None) if index.class_of(scope) is None else None
            at_exit = name in facts.script_entry_points
            on_error_exit = name in facts.error_exits
            # ``if not was_enabled: gc.disable()`` restores a state, a setter switches
            # both ways; ``with restore_gc_state():`` puts it back itself.
            exempt = {
                id(n)
                for node in index.own_nodes(scope)
                if (isinstance(node, ast.If) and not _main_guard(node)) or _in_charge_of_gc(node)
                for n in ast.walk(node)
            }
            for call in disables:
                if id(call) not in exempt:
                    problem = _problem(index, scope, call, names)
                    if problem == _NEVER_UNDONE and at_exit or problem == _UNDONE_WITHOUT_ERROR and on_error_exit:
                        continue
                    if not problem:
                        continue
                    fix = None
                    if problem == _UNDONE_WITHOUT_ERROR:
                        is_enable = functools.partial(_is_enable, names=names)
                        fix = try_finally_fix(facts, scope, call, is_enable, "Re-enable the collector in a finally: block")
                    found[facts.place(call)] = {"problem": problem, FIX_FIELD: fix}
        return found


def _left_off_on_purpose(index: ModuleIndex, scope: ast.AST, names: NameResolver) -> bool:
    """The collector is turned back on elsewhere, run by hand, or off for
    a process that ends right after."""
    owner = index.class_of(scope)
    module_function = owner is None and scope is not index.tree
    if owner is not None and _enables_somewhere(index, owner, names):
        return True  # ``__enter__``/``__exit__``, ``setUp``/``tearDown``, ``addCleanup(gc.enable)``
    if module_function and _module_function_enables(index, names, scope):
        return True  # ``setUpModule``/``tearDownModule``: another function of the module re-enables
    if _named_for_it(scope):
        return True  # ``disable_gc()``, ``opt_disablegc()``: the caller asked for exactly this
    if module_function and _collects_from_nested_function(index, scope, names):
        return True  # collects by hand instead, from a function it schedules (a timer)
    # A forked child's entry point: the process ends right after it.
    return module_function and _runs_in_child_that_exits(index.tree, scope, names)


def _collects_from_nested_function(index: ModuleIndex, scope: ast.AST, names: NameResolver) -> bool:
    """``def _maybe_gc(): gc.collect(0)`` nested in the function that
    disables, and run from a timer it sets up (synapse's metrics GC). A
    ``gc.collect()`` in the function's own body runs once and proves nothing."""
    own = {id(node) for node in index.own_nodes(scope)}
    return any(id(node) not in own and _is_call(node, "gc.collect", names) for node in ast.walk(scope))


def _enables_somewhere(index: ModuleIndex, cls: ast.ClassDef, names: NameResolver) -> bool:
    """One of the class's methods, or of its bases in the module (a mixin's
    ``tearDown``), calls ``gc.enable()`` or hands ``gc.enable`` over, or
    collects by hand (a collector of its own, run on a timer)."""
    return any(
        _mentions(n, "gc.enable", names) or _is_call(n, "gc.collect", names)
        for klass in index.with_module_bases(cls)
        for function in index.class_functions(klass)
        for n in index.own_nodes(function)
    )



# Names of module functions that undo what another one set up.
_UNDOING_WORDS = ("teardown", "tear_down", "enable", "restore", "resume", "stop", "exit", "close", "finish")


def _module_function_enables(index: ModuleIndex, names: NameResolver, scope: ast.AST) -> bool:
    """Another function outside classes, named as the undoing half of a pair
    (``tearDownModule``, ``restore_gc``), calls ``gc.enable()`` or hands it over."""
    return any(
        _mentions(n, "gc.enable", names)
        for function in index.functions
        if function is not scope
        and index.class_of(function) is None
        and _names_undoing(function.name)
        for n in index.own_nodes(function)
    )


def _names_undoing(name: str) -> bool:
    """``tearDownModule``, ``restore_gc``, ``end_debug_garbage`` (not ``append``)."""
    lowered = name.lower()
    return any(word in lowered for word in _UNDOING_WORDS) or lowered.startswith("end") or "_end" in lowered


def _runs_in_child_that_exits(tree: ast.Module, function: ast.AST, names: NameResolver) -> bool:
    """Every use of ``function`` in the module is a call that ``os._exit()``
    follows (``if os.fork() == 0: child(); os._exit(0)``, or in a ``try``
    whose ``finally`` exits), or hands it to a process as its ``target=``:
    it runs in a process that ends with it."""
    name = getattr(function, "name", None)
    child_uses: Set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _starts_a_process(node.func):
            child_uses.update(id(k.value) for k in node.keywords if k.arg == "target")
        if isinstance(node, TRY_STATEMENTS) and node.finalbody and _exits(node.finalbody[-1], names):
            child_uses.update(_called_by(node.body))
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(block, list):
                for statement, after in zip(block, block[1:]):
                    if _exits(after, names):
                        child_uses.update(_called_by([statement]))
    uses = [n for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)]
    return bool(uses) and all(id(use) in child_uses for use in uses)


def _starts_a_process(func: ast.expr) -> bool:
    """``multiprocessing.Process``, ``ctx.Process``, ``Process``: not a thread."""
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name == "Process"


def _exits(statement: ast.stmt, names: NameResolver) -> bool:
    return isinstance(statement, ast.Expr) and _is_call(statement.value, "os._exit", names)


def _called_by(statements: List[ast.stmt]) -> Iterator[int]:
    """The called names of the expression statements among ``statements``."""
    for statement in statements:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            yield id(statement.value.func)


def _in_charge_of_gc(node: ast.AST) -> bool:
    """``with restore_gc_state():``, ``with gc_disabled():``: a context manager
    named for the collector puts it back when the block ends."""
    if not isinstance(node, (ast.With, ast.AsyncWith)):
        return False
    for item in node.items:
        call = item.context_expr
        dotted = ast_dotted_name(call.func) if isinstance(call, ast.Call) else None
        words = set((dotted or "").rpartition(".")[2].lower().split("_"))
        if words & {"gc", "garbage"} and words & _RESTORING_WORDS:
            return True
    return False


# Words of a context manager that puts the collector back: ``restore_gc_state()``,
# ``gc_disabled()``, ``no_gc()``, ``paused_gc()``.
_RESTORING_WORDS = frozenset({"restore", "restored", "state", "disabled", "disable", "no", "off", "paused", "pause",
                              "without", "suspended", "suspend"})


def _named_for_it(scope: ast.AST) -> bool:
    name = getattr(scope, "name", "").lower()
    return "disable" in name and any(word in name for word in ("gc", "garbage", "collect"))


_NEVER_UNDONE = "is never undone by gc.enable() in this scope"
_UNDONE_WITHOUT_ERROR = "is undone by gc.enable() only when no exception is raised first"


def _is_enable(statement: ast.stmt, names: NameResolver) -> bool:
    """``gc.enable()``, a statement of its own."""
    return isinstance(statement, ast.Expr) and _is_call(statement.value, "gc.enable", names)


def _problem(index: ModuleIndex, scope: ast.AST, disable: ast.Call, names: NameResolver) -> Optional[str]:
    """Why re-enabling is not certain after ``disable``, or None if it is."""
    nodes = index.own_nodes(scope)
    if not any(_mentions(n, "gc.enable", names) for n in nodes):
        return _NEVER_UNDONE
    for try_node in nodes:
        if isinstance(try_node, TRY_STATEMENTS) and try_node.finalbody:
            in_finally = any(
                _mentions(n, "gc.enable", names) for s in try_node.finalbody for n in ast.walk(s)
            )
            if in_finally and _covers(try_node, disable):
                return None
    return _UNDONE_WITHOUT_ERROR


def _covers(try_node: ast.stmt, disable: ast.Call) -> bool:
    """The ``try`` holds the disable, or comes after it."""
    inside = any(n is disable for s in getattr(try_node, "body", ()) for n in ast.walk(s))
    return inside or try_node.lineno >= disable.lineno


def _main_guard(node: ast.If) -> bool:
    """``if __name__ == "__main__":``: the script's body, not a condition."""
    return any(isinstance(n, ast.Name) and n.id == "__name__" for n in ast.walk(node.test))


def _is_call(node: ast.AST, qualified: str, names: NameResolver) -> bool:
    return isinstance(node, ast.Call) and _resolves(node.func, qualified, names)


def _mentions(node: ast.AST, qualified: str, names: NameResolver) -> bool:
    """A call of ``qualified`` or the function itself passed along."""
    if isinstance(node, ast.Call):
        return _resolves(node.func, qualified, names) or any(_resolves(a, qualified, names) for a in node.args)
    return False


def _resolves(expr: ast.expr, qualified: str, names: NameResolver) -> bool:
    dotted = ast_dotted_name(expr)
    return dotted is not None and names.resolve_dotted(dotted) == qualified
