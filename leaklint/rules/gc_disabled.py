"""LL404: the garbage collector switched off and not reliably back on."""

from __future__ import annotations

import ast
from typing import Dict, Iterator, List, Mapping, Optional, Tuple

from leaklint.analysis.captures import FUNCTIONS, class_functions
from leaklint.analysis.names import NameResolver, ast_dotted_name, own_nodes
from leaklint.context import FileFacts
from leaklint.rule import CandidateRule

Findings = Dict[Tuple[int, int], Mapping[str, object]]


class GcDisabled(CandidateRule):
    """
    ## What it finds
    `gc.disable()` in a scope that does not call `gc.enable()` on every path
    after it: no `gc.enable()` at all, or one that an exception skips
    because it is not in a `finally:` block. A class whose other method
    re-enables (`__exit__`, `tearDown`, `stop`) or that passes `gc.enable`
    to `addCleanup` is clean; so is a `finally:` that re-enables only if the
    collector was on before.

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
    """

    code = "LL404"
    name = "gc-disabled"
    message = "gc.disable() {problem}; reference cycles are never freed while it is off: re-enable in a finally: block"
    reported_on = ("Call",)

    VALID = (
        "import gc\ndef f():\n    gc.disable()\n    try:\n        work()\n    finally:\n        gc.enable()\n",
        "import gc\nclass T:\n    def setUp(self):\n        gc.disable()\n    def tearDown(self):\n        gc.enable()\n",
    )
    INVALID = (
        "import gc\ndef f():\n    gc.disable()  # expect: LL404\n    work()\n    gc.enable()\n",
        "import gc\nif __name__ == '__main__':\n    gc.disable()  # expect: LL404\n    main()\n",
    )

    @classmethod
    def findings(cls, facts: FileFacts) -> Findings:
        if "disable" not in facts.text:
            return {}
        found: Findings = {}
        enabled_by_class = _classes_enabling(facts.tree, facts.names)
        for scope, owner in _scopes(facts.tree):
            if owner is not None and owner in enabled_by_class:
                continue
            for call in own_nodes(scope):
                if _is_call(call, "gc.disable", facts.names):
                    problem = _problem(scope, call, facts.names)
                    if problem:
                        found[facts.start_of(call)] = {"problem": problem}
        return found


def _scopes(tree: ast.Module) -> Iterator[Tuple[ast.AST, Optional[int]]]:
    """(scope, the id of the class whose method it is) for the module and every function."""
    yield tree, None
    owners: Dict[int, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for function in class_functions(node):
                owners.setdefault(id(function), id(node))
    for node in ast.walk(tree):
        if isinstance(node, FUNCTIONS):
            yield node, owners.get(id(node))


def _classes_enabling(tree: ast.Module, names: NameResolver) -> set:
    """Ids of classes one of whose methods calls ``gc.enable()`` or hands
    ``gc.enable`` over (``self.addCleanup(gc.enable)``)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for function in class_functions(node):
                if any(_mentions(n, "gc.enable", names) for n in own_nodes(function)):
                    found.add(id(node))
    return found


def _problem(scope: ast.AST, disable: ast.Call, names: NameResolver) -> Optional[str]:
    """Why re-enabling is not certain after ``disable``, or None if it is."""
    enables = [n for n in own_nodes(scope) if _mentions(n, "gc.enable", names)]
    if not enables:
        return "is never undone by gc.enable() in this scope"
    for try_node in own_nodes(scope):
        if isinstance(try_node, ast.Try) and try_node.finalbody:
            in_finally = any(
                _mentions(n, "gc.enable", names) for s in try_node.finalbody for n in ast.walk(s)
            )
            if in_finally and _covers(scope, try_node, disable):
                return None
    return "is undone by gc.enable() only when no exception is raised first"


def _covers(scope: ast.AST, try_node: ast.Try, disable: ast.Call) -> bool:
    """The ``try`` holds the disable, or comes after it."""
    inside = any(n is disable for s in try_node.body for n in ast.walk(s))
    return inside or try_node.lineno >= disable.lineno


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
