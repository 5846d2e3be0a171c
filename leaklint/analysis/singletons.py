"""Classes a module makes once: constants and singletons.

An instance made once lives as long as the process whatever refers to it, so
what keeps it alive (a cache on its methods, a registry, a finalizer) leaks
nothing. The module's own code shows the usual shapes: instances made while
it is imported, and lazy singletons (a module global or ``cls._instance``
filled on first use). Frameworks' own singletons are known by their bases.
"""

from __future__ import annotations

import ast
from typing import Dict, FrozenSet, Iterator, List, Set

from leaklint.analysis.containers import import_time_functions
from leaklint.analysis.module_index import FUNCTIONS, ModuleIndex
from leaklint.analysis.names import NameResolver, ast_dotted_name
from leaklint.catalog.caches import PLUGIN_BASE_SUFFIXES, PROCESS_SINGLETON_BASES



def made_once(tree: ast.Module) -> FrozenSet[str]:
    """Names of the module's classes that every call in the module makes once:

    - at import: in the module body (through ``if``/``try``, class bodies and
      ``for`` loops over a literal or a module-level name: ``REACHABLE =
      Status(...)``, ``for n in NAMES: Color(n)``), or in a function only
      import-time code calls (``init_shaders()``, a script's ``main()``),
      outside loops and nested functions there;
    - as a lazy singleton: assigned to a module global under a test of that
      global (``global _dir; if _dir is None: _dir = TempDir()``), or to the
      class's own singleton attribute (``cls._instance = cls()``).

    A class also made anywhere else in the module (in a function, a loop) is
    not made once.
    """
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    if not classes:
        return frozenset()
    calls: Dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in classes:
            calls[node.func.id] = calls.get(node.func.id, 0) + 1
    once: Dict[str, int] = {}
    for name in [*_called_at_import(tree, set(classes)), *_made_into_singleton_slots(tree, set(classes))]:
        once[name] = once.get(name, 0) + 1
    found = {name for name, count in once.items() if calls.get(name) == count}
    found |= {name for name, cls in classes.items() if _keeps_its_instance(cls)}
    return frozenset(found)


def _keeps_its_instance(cls: ast.ClassDef) -> bool:
    """``cls._instance = cls()`` / ``Agent._instance = self`` in the class's
    own methods: the class hands out one instance."""
    for node in ast.walk(cls):
        if isinstance(node, ast.Assign) and any(_own_singleton_attribute(t, cls.name) for t in node.targets):
            return True
    return False


def _own_singleton_attribute(target: ast.expr, class_name: str) -> bool:
    return (
        isinstance(target, ast.Attribute)
        and target.attr in _SINGLETON_ATTRIBUTES
        and isinstance(target.value, ast.Name)
        and target.value.id in ("cls", class_name)
    )


def _called_at_import(tree: ast.Module, classes: Set[str]) -> Iterator[str]:
    """One name per call of a class in code that runs once, at import."""
    yield from _calls_run_once(tree.body, classes)
    at_import = import_time_functions(tree, decorators=False)
    for function in tree.body:
        if isinstance(function, FUNCTIONS) and id(function) in at_import:
            yield from _calls_run_once(function.body, classes)


def _calls_run_once(body: List[ast.stmt], classes: Set[str]) -> Iterator[str]:
    """Calls of ``classes`` in ``body`` outside nested functions and loops
    (a ``for`` over a literal or a module-level name runs a fixed number of times)."""
    stack: List[ast.AST] = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in classes:
            yield node.func.id
        if isinstance(node, FUNCTIONS):
            stack.extend(node.decorator_list)
            stack.extend(d for d in [*node.args.defaults, *node.args.kw_defaults] if d is not None)
        elif isinstance(node, ast.While) or (isinstance(node, ast.For) and not _fixed_iteration(node.iter)):
            continue
        elif not isinstance(node, ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))


def _fixed_iteration(iterable: ast.expr) -> bool:
    if isinstance(iterable, (ast.List, ast.Tuple, ast.Set, ast.Dict, ast.Name)):
        return True
    return (  # ``NAMES.items()``
        isinstance(iterable, ast.Call)
        and isinstance(iterable.func, ast.Attribute)
        and iterable.func.attr in ("items", "keys", "values")
        and isinstance(iterable.func.value, ast.Name)
    )


# Class attributes that hold a class's single instance.
_SINGLETON_ATTRIBUTES = frozenset({"_instance", "__instance", "_singleton", "instance", "_INSTANCE"})


def _made_into_singleton_slots(tree: ast.Module, classes: Set[str]) -> Iterator[str]:
    """One name per call of a class assigned, in a function, to a module
    global under a test of it, or to a class's own singleton attribute."""
    for function in ast.walk(tree):
        if not isinstance(function, FUNCTIONS):
            continue
        declared = {name for g in ast.walk(function) if isinstance(g, ast.Global) for name in g.names}
        for test in ast.walk(function):
            if not isinstance(test, ast.If):
                continue
            tested = {n.id for n in ast.walk(test.test) if isinstance(n, ast.Name)} & declared
            for statement in test.body:
                if (
                    isinstance(statement, ast.Assign)
                    and isinstance(statement.value, ast.Call)
                    and isinstance(statement.value.func, ast.Name)
                    and statement.value.func.id in classes
                    and all(
                        (isinstance(t, ast.Name) and t.id in tested)
                        or _own_singleton_attribute(t, statement.value.func.id)
                        for t in statement.targets
                    )
                ):
                    yield statement.value.func.id


def singleton_by_base(cls: ast.ClassDef, index: ModuleIndex, names: NameResolver) -> bool:
    """Whether ``cls`` derives, directly or through classes of its module,
    from a class a framework makes once per process (a traitlets
    ``Application``, IPython's ``Magics``: ``catalog.caches``) or from a
    plugin base (``class Discogs(MetadataSourcePlugin[T])``)."""
    local = {node.name: node for node in index.classes}
    stack, seen = [cls], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for base in current.bases:
            dotted = ast_dotted_name(base.value if isinstance(base, ast.Subscript) else base)  # Base[T]
            if dotted is None:
                continue
            if dotted.rpartition(".")[2].endswith(PLUGIN_BASE_SUFFIXES):
                return True
            if dotted in local:
                stack.append(local[dotted])
            elif names.resolve_dotted(dotted) in PROCESS_SINGLETON_BASES:
                return True
    return False


def kept_until_exit(cls: ast.ClassDef, index: ModuleIndex, names: NameResolver, text: str) -> bool:
    """``atexit.register(self._terminate)`` among the statements of
    ``__init__`` (not under a condition), never undone in the module: every
    instance is kept until exit anyway (indico's reloader)."""
    if "unregister" in text:
        return False
    for function in index.class_functions(cls):
        if function.name != "__init__" or not function.args.args:
            continue
        own = function.args.args[0].arg
        for statement in function.body:
            call = statement.value if isinstance(statement, ast.Expr) else None
            if (
                isinstance(call, ast.Call)
                and names.resolve_dotted(ast_dotted_name(call.func) or "") == "atexit.register"
                and call.args
                and isinstance(call.args[0], ast.Attribute)
                and isinstance(call.args[0].value, ast.Name)
                and call.args[0].value.id == own
            ):
                return True
    return False
