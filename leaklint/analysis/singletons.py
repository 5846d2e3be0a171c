"""Classes a module makes once: constants and singletons.

An instance made once lives as long as the process whatever refers to it, so
what keeps it alive (a cache on its methods, a registry, a finalizer) leaks
nothing. The module's own code shows the usual shapes: instances made while
it is imported, and lazy singletons (a module global or ``cls._instance``
filled on first use). Frameworks' own singletons are known by their bases.
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
    - classes the module makes only into a module global (``global _dir;
      _dir = TempDir()``: a lazy singleton's accessor), or into a class
      attribute named for it (``cls._instance = cls()``).
    """
    found = set(_called_at_import(tree))
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)} - found
    if classes:
        found |= _made_into_singleton_slots(tree, classes)
        found |= {node.name for node in tree.body if isinstance(node, ast.ClassDef) and _keeps_its_instance(node)}
    return frozenset(found)


def _keeps_its_instance(cls: ast.ClassDef) -> bool:
    """``cls._instance = cls()`` / ``Agent._instance = self`` in the class's
    own methods: the class hands out one instance."""
    for node in ast.walk(cls):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr in _SINGLETON_ATTRIBUTES
                    and isinstance(target.value, ast.Name)
                    and target.value.id in ("cls", cls.name)
                ):
                    return True
    return False


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


# Class attributes that hold a class's single instance.
_SINGLETON_ATTRIBUTES = frozenset({"_instance", "__instance", "_singleton", "instance", "_INSTANCE"})


def _made_into_singleton_slots(tree: ast.Module, classes: Set[str]) -> Set[str]:
    """Classes of ``classes`` that the module calls, and only ever as the value
    assigned to a module global or a class's singleton attribute."""
    calls: Dict[str, int] = {}
    into_slots: Dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in classes:
            calls[node.func.id] = calls.get(node.func.id, 0) + 1
        elif isinstance(node, _FUNCTIONS):
            declared = {name for g in ast.walk(node) if isinstance(g, ast.Global) for name in g.names}
            for statement in ast.walk(node):
                if (
                    isinstance(statement, ast.Assign)
                    and isinstance(statement.value, ast.Call)
                    and isinstance(statement.value.func, ast.Name)
                    and statement.value.func.id in classes
                    and all(_singleton_slot(t, declared) for t in statement.targets)
                ):
                    name = statement.value.func.id
                    into_slots[name] = into_slots.get(name, 0) + 1
    return {name for name, count in into_slots.items() if calls.get(name) == count}


def _singleton_slot(target: ast.expr, declared_global: Set[str]) -> bool:
    if isinstance(target, ast.Name):
        return target.id in declared_global
    return isinstance(target, ast.Attribute) and target.attr in _SINGLETON_ATTRIBUTES


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
