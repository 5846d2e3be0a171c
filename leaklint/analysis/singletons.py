"""Classes a module makes once: constants and singletons.

An instance made once lives as long as the process whatever refers to it, so
what keeps it alive (a cache on its methods, a registry, a finalizer) leaks
nothing. The module's own code shows two shapes: instances made while it is
imported, and private classes made lazily into a module global.
"""

from __future__ import annotations

import ast
from typing import Dict, FrozenSet, Iterator, Set

from leaklint.analysis.containers import import_time_functions
from leaklint.analysis.module_index import ModuleIndex
from leaklint.analysis.names import NameResolver, ast_dotted_name
from leaklint.catalog.caches import PROCESS_SINGLETON_BASES

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def made_once(tree: ast.Module) -> FrozenSet[str]:
    """Names of classes (any called name) the module makes only once:

    - called by code that runs at import: the module body (through ``if``,
      ``for``, ``try`` and class bodies: ``REACHABLE = Status(...)``,
      ``for n in names: Color(n)``), and functions that only import-time code
      calls (``init_shaders()`` called by the module body, a script's ``main()``);
    - private classes (``_TempDir``, which no other module is meant to make)
      whose every use in the module is a call assigned to a module global
      (``global _dir; _dir = _TempDir()``).
    """
    found = set(_called_at_import(tree))
    private = {node.name for node in tree.body if isinstance(node, ast.ClassDef) and node.name.startswith("_")}
    if private - found:
        found |= _made_into_globals(tree, private - found)
    return frozenset(found)


def _called_at_import(tree: ast.Module) -> Iterator[str]:
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            yield node.func.id
        if isinstance(node, _FUNCTIONS):
            stack.extend(node.decorator_list)
            stack.extend(d for d in [*node.args.defaults, *node.args.kw_defaults] if d is not None)
        elif not isinstance(node, ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))
    at_import = import_time_functions(tree)
    if at_import:
        for function in tree.body:
            if isinstance(function, _FUNCTIONS) and id(function) in at_import:
                for node in ast.walk(function):
                    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                        yield node.func.id


def _made_into_globals(tree: ast.Module, private: Set[str]) -> Set[str]:
    uses: Dict[str, int] = {}
    global_assignments: Dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in private and isinstance(node.ctx, ast.Load):
            uses[node.id] = uses.get(node.id, 0) + 1
        elif isinstance(node, _FUNCTIONS):
            declared = {name for g in ast.walk(node) if isinstance(g, ast.Global) for name in g.names}
            for statement in ast.walk(node):
                if (
                    isinstance(statement, ast.Assign)
                    and isinstance(statement.value, ast.Call)
                    and isinstance(statement.value.func, ast.Name)
                    and statement.value.func.id in private
                    and all(isinstance(t, ast.Name) and t.id in declared for t in statement.targets)
                ):
                    name = statement.value.func.id
                    global_assignments[name] = global_assignments.get(name, 0) + 1
    return {name for name, count in global_assignments.items() if uses.get(name) == count}


def singleton_by_base(cls: ast.ClassDef, index: ModuleIndex, names: NameResolver) -> bool:
    """Whether ``cls`` derives, directly or through classes of its module,
    from a class a framework makes once per process (a traitlets
    ``Application``, IPython's ``Magics``: ``catalog.caches``)."""
    local = {node.name: node for node in index.classes}
    stack, seen = [cls], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for base in current.bases:
            dotted = ast_dotted_name(base)
            if dotted is None:
                continue
            if dotted in local:
                stack.append(local[dotted])
            elif names.resolve_dotted(dotted) in PROCESS_SINGLETON_BASES:
                return True
    return False
