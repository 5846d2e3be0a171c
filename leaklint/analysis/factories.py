"""The file's own functions and methods that hand back a fresh resource.

``def connect(): return socket.create_connection(a)`` makes ``s = connect()``
an acquisition at the call site. Read from the ``ast``: a function counts when
every ``return`` in it returns a catalogued allocating call, or a name bound to
one in the function; generators never count.
"""

from __future__ import annotations

import ast
import bisect
import re
from functools import lru_cache
from typing import Callable, Dict, FrozenSet, List, Optional, Set, Tuple

from leaklint.analysis.module_index import FUNCTIONS, Function
from leaklint.analysis.names import NameResolver, ast_dotted_name, descendants_in_scope, self_attribute
from leaklint.catalog.resources import IN_MEMORY_BUFFERS, PIPED_PROCESS, PROCESS, RESOURCE_CALLS, ResourceKind

_RELEASING_METHODS = frozenset().union(*(kind.release for kind in RESOURCE_CALLS.values()))
_ALLOCATING_WORDS = frozenset(name.rsplit(".", 1)[-1] for name in RESOURCE_CALLS)


class Factories:
    def __init__(
        self,
        tree: Callable[[], ast.Module],
        names: Callable[[], NameResolver],
        imported: Optional[Dict[str, ResourceKind]] = None,
        text: Optional[str] = None,
    ) -> None:
        """``tree`` and ``names`` are asked for only if needed: the module's
        ``text``, when given, rules out most modules and functions by a look
        at the lines that call something named like an allocation."""
        self.functions: Dict[str, ResourceKind] = {}  # module-level functions
        # functions of the project's other modules, by qualified name as this file refers to them
        self.imported: Dict[str, ResourceKind] = dict(imported or {})
        # methods, called as self.name() from the same class: (class, method)
        self.methods: Dict[Tuple[str, str], ResourceKind] = {}
        # classes whose instances open a resource when made and close it in a method
        self.classes: Dict[str, ResourceKind] = {}
        call_lines = None if text is None else _allocating_call_lines(text)
        if call_lines == []:
            return

        def may_allocate(function: Function) -> bool:
            if call_lines is not None:
                first = bisect.bisect_left(call_lines, function.lineno)
                if first == len(call_lines) or call_lines[first] > (function.end_lineno or function.lineno):
                    return False
            return _may_allocate(function)

        for node in tree().body:
            if isinstance(node, FUNCTIONS):
                kind = _returned_kind(node, names, (node.name,)) if may_allocate(node) else None
                if kind is not None:
                    self.functions[node.name] = kind
            elif isinstance(node, ast.ClassDef):
                kind = _owning_kind(node, names, may_allocate)
                if kind is not None:
                    self.classes[node.name] = kind
                for item in node.body:
                    if isinstance(item, FUNCTIONS):
                        kind = (
                            _returned_kind(item, names, (node.name, item.name)) if may_allocate(item) else None
                        )
                        if kind is not None:
                            self.methods[(node.name, item.name)] = kind


# Methods by which an object lets go of what it holds.
# Methods by which an object lets go of what it holds (not ``stop()`` or
# ``shutdown()``: on a service they often only end a loop).
_OWNER_RELEASES = ("close", "aclose", "release")


def _owning_kind(
    cls: ast.ClassDef, names: Callable[[], NameResolver], may_allocate: Callable[[Function], bool]
) -> Optional[ResourceKind]:
    """``class Driver: def __init__(self): self.session = aiohttp.ClientSession()
    ... def close(self): self.session.close()``: making one opens a resource,
    and a method of the class lets go of it. What it holds is a resource of
    the catalog, made in ``__init__`` (possibly only when the caller gives
    none), and the release method touches that attribute."""
    methods = {item.name: item for item in cls.body if isinstance(item, FUNCTIONS)}
    initializer = methods.get("__init__")
    if initializer is None or not may_allocate(initializer):
        return None
    held, attributes = None, set()
    for node in descendants_in_scope(initializer):
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and self_attribute(node.targets[0]) is not None):
            continue
        values = [node.value.body, node.value.orelse] if isinstance(node.value, ast.IfExp) else [node.value]
        for value in values:
            if isinstance(value, ast.Call):
                dotted = ast_dotted_name(value.func)
                resolved = names().resolve_dotted(dotted, (cls.name, "__init__")) if dotted else None
                kind = RESOURCE_CALLS.get(resolved or "")
                if kind is not None:
                    held = held or kind
                    attributes.add(node.targets[0].attr)  # type: ignore[attr-defined]
    releases = [name for name in _OWNER_RELEASES if name in methods and _touches(methods[name], attributes)]
    if held is None or not releases:
        return None
    exits = {"__exit__", "__aexit__"} & set(methods)
    return ResourceKind(
        f"{cls.name} (holding a {held.noun})",
        "created by",
        frozenset({*releases, *exits, "__del__"}),
        f"call its {releases[0]}() when done" + (", or use it in 'with'" if exits else ""),
        # Whatever ``__exit__`` it has, its own or a base's, is taken to release it.
        exit_releases=True,
    )


def _touches(method: ast.AST, attributes: "set[str]") -> bool:
    """Whether ``method`` reads one of ``self.<attributes>``."""
    return any(
        isinstance(node, ast.Attribute) and node.attr in attributes and self_attribute(node) is not None for node in ast.walk(method)
    )


def _allocating_call_lines(text: str) -> List[int]:
    """Sorted line numbers (1-based) on which something named like a
    catalogued allocation is called."""
    present = frozenset(word for word in _ALLOCATING_WORDS if word in text)
    if not present:
        return []
    lines, line, position = [], 1, 0
    for match in _calls_of(present).finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        lines.append(line)
    return lines


@lru_cache(maxsize=64)
def _calls_of(words: FrozenSet[str]) -> "re.Pattern[str]":
    # Built from the words the text holds: a regex of all 55 costs more than the walk it saves.
    return re.compile(r"\b(?:%s)\s*\(" % "|".join(sorted(map(re.escape, words))))


def _may_allocate(function: ast.AST) -> bool:
    """Cheap look before names are resolved: calls something named like a
    catalogued allocation."""
    for node in descendants_in_scope(function):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
            if name in _ALLOCATING_WORDS:
                return True
    return False


def _returned_kind(
    function: "ast.FunctionDef | ast.AsyncFunctionDef", names: Callable[[], NameResolver], path: Tuple[str, ...]
) -> Optional[ResourceKind]:
    def resolve(node: ast.expr) -> Optional[str]:
        dotted = ast_dotted_name(node)
        return names().resolve_dotted(dotted, path) if dotted else None

    def in_memory(value: ast.expr) -> bool:
        """``io.BytesIO(data)``, or a name the function bound to one."""
        if isinstance(value, ast.Name):
            value = buffers.get(value.id, value)
        return isinstance(value, ast.Call) and resolve(value.func) in IN_MEMORY_BUFFERS

    def kind_of_call(value: ast.expr) -> Optional[ResourceKind]:
        if not isinstance(value, ast.Call):
            return None
        if any(in_memory(arg) for arg in [*value.args, *(keyword.value for keyword in value.keywords)]):
            return None  # ``Image.open(BytesIO(data))``: nothing but memory is held
        dotted = ast_dotted_name(value.func)
        kind = RESOURCE_CALLS.get(names().resolve_dotted(dotted, path) or "") if dotted else None
        if kind is PROCESS and any(
            keyword.arg in ("stdin", "stdout", "stderr")
            and names().resolve_dotted(ast_dotted_name(keyword.value) or "", path) == "subprocess.PIPE"
            for keyword in value.keywords
        ):
            return PIPED_PROCESS  # as ``analysis.resources`` says of the call itself
        return kind

    buffers: Dict[str, ast.expr] = {
        node.targets[0].id: node.value
        for node in descendants_in_scope(function)
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
    }
    returns: List[ast.expr] = []
    assigned: Dict[str, ResourceKind] = {}
    released: Set[str] = set()
    kept: Set[str] = set()
    for node in descendants_in_scope(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            # ``self._pool.append(conn)`` before ``return conn``: the function keeps it too
            kept.update(arg.id for arg in node.args if isinstance(arg, ast.Name))
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
            if any(isinstance(target, (ast.Attribute, ast.Subscript)) for target in node.targets):
                kept.add(node.value.id)
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return None
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.attr in _RELEASING_METHODS
        ):
            released.add(node.func.value.id)  # ``proc.communicate()`` before ``return proc``
        if isinstance(node, ast.Return):
            if node.value is None:
                return None  # a bare ``return``: not always a resource
            returns.append(node.value)
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            kind = kind_of_call(node.value)
            if kind is not None:
                assigned[node.targets[0].id] = kind
    if not returns:
        return None
    kinds = []
    for value in returns:
        kind = kind_of_call(value) or (
            assigned.get(value.id) if isinstance(value, ast.Name) and value.id not in released | kept else None
        )
        if kind is None:
            return None
        kinds.append(kind)
    return kinds[0]


def module_allocations(tree: ast.Module, names: NameResolver) -> FrozenSet[str]:
    """Names the module binds at import to a catalogued allocating call
    (``SESSION = requests.Session()``)."""
    found = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if isinstance(node.value, ast.Call):
                dotted = ast_dotted_name(node.value.func)
                if dotted and names.resolve_dotted(dotted) in RESOURCE_CALLS:
                    found.add(node.targets[0].id)
    return frozenset(found)
