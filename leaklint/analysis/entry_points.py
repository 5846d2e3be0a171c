"""The functions a script runs as the rest of its life.

``if __name__ == "__main__": sys.exit(main())``: when ``main()`` returns or
raises, the process ends, and the operating system takes back whatever it
left open. A file still open at the end of ``main()``, or on the path where
an exception escapes it, is not leaked. What ``main()`` drops while it goes
on working (a file re-bound in a loop) still is.

Only the last statement of the ``__main__`` block (or of a ``__main__.py``
module) counts: ``app = create_app(); app.run()`` runs a server after
``create_app()`` has returned, so what that left open stays open.
"""

from __future__ import annotations

import ast
import os
from typing import Dict, FrozenSet, List, Optional, Tuple

from leaklint.analysis.module_index import TRY_STATEMENTS
from leaklint.analysis.names import ast_dotted_name
from leaklint.catalog.process_exits import ENTRY_POINT_WRAPPERS


def script_entry_points(tree: ast.Module, path: str) -> FrozenSet[str]:
    """Names of the module-level functions whose return ends the process."""
    functions = {
        node.name: node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    if not functions:
        return frozenset()
    last: Optional[ast.stmt] = None
    if os.path.basename(path) == "__main__.py":
        last = tree.body[-1] if tree.body else None
    for node in tree.body:
        if isinstance(node, ast.If) and _tests_main(node.test) and node.body:
            last = node.body[-1]
    # ``def main(): ...; run_demo(sock)``: what main() does last ends the process too.
    found: List[str] = []
    called = _called_function(last)
    while called in functions and called not in found:
        found.append(called)
        body = functions[called].body
        called = _called_function(body[-1]) if body else None
    return frozenset(found)


def _tests_main(test: ast.expr) -> bool:
    """``__name__ == "__main__"``, either way round."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = {_text(test.left), _text(test.comparators[0])}
    return sides == {"__name__", "'__main__'"}


def _text(node: ast.expr) -> Optional[str]:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant) and node.value == "__main__":
        return "'__main__'"
    return None


def _called_function(statement: Optional[ast.stmt]) -> Optional[str]:
    """``f()``, ``sys.exit(f())``, ``raise SystemExit(f())``, ``return f()``: f."""
    if isinstance(statement, (ast.Expr, ast.Return)):
        value: Optional[ast.expr] = statement.value
    elif isinstance(statement, ast.Raise):
        value = statement.exc
    else:
        return None
    if not isinstance(value, ast.Call):
        return None
    if (
        ast_dotted_name(value.func) in ENTRY_POINT_WRAPPERS
        and len(value.args) == 1
        and isinstance(value.args[0], ast.Call)
    ):
        value = value.args[0]
    return value.func.id if isinstance(value.func, ast.Name) else None



def error_exits(tree: ast.Module, path: str) -> FrozenSet[str]:
    """The entry points, and module-level functions that only they call,
    outside any ``try`` with handlers (``path = assemble(src)`` in
    ``main()``): an exception escaping one of them ends the process too.
    A function referred to any other way (a callback, a method's call, at
    import) may be called from anywhere, and does not count."""
    found = set(script_entry_points(tree, path))
    if not found:
        return frozenset()
    uses = _uses(tree)
    changed = True
    while changed:
        changed = False
        for name, sites in uses.items():
            if name not in found and sites and all(caller in found and not caught for caller, caught in sites):
                found.add(name)
                changed = True
    return frozenset(found)


# Where a module-level function's name is used: the module-level function
# that calls it (None: anything else), and whether a handler there catches.
Uses = Dict[str, List[Tuple[Optional[str], bool]]]


def _uses(tree: ast.Module) -> Uses:
    uses: Uses = {
        node.name: [] for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }

    def visit(node: ast.AST, owner: Optional[str], caught: bool) -> None:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in uses:
            uses[node.func.id].append((owner, caught))
            for part in [*node.args, *node.keywords]:
                visit(part, owner, caught)
            return
        if isinstance(node, ast.Name) and node.id in uses and isinstance(node.ctx, ast.Load):
            uses[node.id].append((None, caught))  # a callback, an alias: called from anywhere
            return
        if isinstance(node, TRY_STATEMENTS):
            for statement in node.body:
                visit(statement, owner, caught or bool(node.handlers))
            for part in [*node.handlers, *node.orelse, *node.finalbody]:
                visit(part, owner, caught)
            return
        for child in ast.iter_child_nodes(node):
            # Nested functions and classes may run later, from anywhere.
            nested = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef))
            visit(child, None if nested else owner, caught)

    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for statement in node.body:
                visit(statement, node.name, False)
            for part in [*node.decorator_list, *node.args.defaults, *node.args.kw_defaults]:
                if part is not None:
                    visit(part, None, False)
        else:
            visit(node, None, False)
    return uses
