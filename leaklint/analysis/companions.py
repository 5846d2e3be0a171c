"""Containers of an object kept in step with another, and a path that forgets one.

An object often files the same entry in two of its containers: a heap of
scheduled tasks and a set of pending ones, a queue and an index. When one
container is emptied only of entries taken out of the other (``task =
heappop(self._scheduled); ...; self._pending.discard(task)``), any other way
out of that other container (``unschedule()`` filtering ``self._scheduled``)
leaves the entry in the first one for good. Read from the ``ast``; LL102
asks it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Dict, Iterator, List, Set, Tuple

from leaklint.analysis.module_index import FUNCTIONS, Function
from leaklint.analysis.names import ast_dotted_name, descendants_in_scope, self_attribute
from leaklint.catalog.containers import ADDING_METHODS, REMOVING_METHODS, TAKING_METHODS


@dataclass
class ForgottenEntry:
    addition: ast.Call  # ``self._pending.add(task)``
    kept_in: str  # ``_pending``: the container left holding the entry
    companion: str  # ``_scheduled``: the container it also goes into
    forgetting: Function  # the method taking it out of ``companion`` alone


def forgotten_entries(tree: ast.Module) -> Iterator[ForgottenEntry]:
    for cls in ast.walk(tree):
        if isinstance(cls, ast.ClassDef):
            yield from _in_class(cls)


def _in_class(cls: ast.ClassDef) -> Iterator[ForgottenEntry]:
    methods = [node for node in cls.body if isinstance(node, FUNCTIONS)]
    for method in methods:
        for addition, kept_in, companion in _filed_twice(method):
            removals = [(m, call) for m in methods for call in _removals_from(m, kept_in)]
            if not removals or not all(_taken_from(m, call, companion) for m, call in removals):
                continue  # emptied some other way too: by key, wholesale, or of anything
            emptying = {id(m) for m, _ in removals}
            for other in methods:
                if id(other) not in emptying and other.name != "__init__" and _takes_out(other, companion):
                    yield ForgottenEntry(addition, kept_in, companion, other)
                    break


def _filed_twice(method: Function) -> Iterator[Tuple[ast.Call, str, str]]:
    """``self.S.add(x)`` where ``x``, a local, also goes into ``self.Q``
    (``self.Q.append(x)``, ``heapq.heappush(self.Q, (when, x))``)."""
    added: Dict[str, List[Tuple[ast.Call, str]]] = {}
    filed: Dict[str, Set[str]] = {}
    for node in descendants_in_scope(method):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ADDING_METHODS and len(node.args) == 1:
            holder = self_attribute(func.value)
            added_entry = node.args[0]
            if holder and isinstance(added_entry, ast.Name):
                added.setdefault(added_entry.id, []).append((node, holder))
                filed.setdefault(added_entry.id, set()).add(holder)
        elif (ast_dotted_name(func) or "").rsplit(".", 1)[-1] == "heappush" and len(node.args) == 2:
            holder = self_attribute(node.args[0])
            if holder:
                for part in ast.walk(node.args[1]):
                    if isinstance(part, ast.Name):
                        filed.setdefault(part.id, set()).add(holder)
    for entry, additions in added.items():
        for addition, holder in additions:
            for companion in sorted(filed.get(entry, set()) - {holder}):
                yield addition, holder, companion


def _removals_from(method: Function, container: str) -> Iterator[ast.AST]:
    """What takes entries out of ``self.<container>`` in ``method``: a
    removing call, a ``del``, or re-binding it (outside ``__init__``)."""
    for node in descendants_in_scope(method):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in REMOVING_METHODS:
            if self_attribute(node.func.value) == container:
                yield node
        elif isinstance(node, ast.Delete) and any(
            isinstance(t, ast.Subscript) and self_attribute(t.value) == container for t in node.targets
        ):
            yield node
        elif isinstance(node, (ast.Assign, ast.AugAssign)) and method.name != "__init__":
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(self_attribute(t) == container for t in targets):
                yield node


def _taken_from(method: Function, removal: ast.AST, companion: str) -> bool:
    """``removal`` is ``self.S.discard(y)`` of a ``y`` that ``method`` took
    out of ``self.<companion>`` (``_, _, y = heapq.heappop(self.Q)``)."""
    if not (isinstance(removal, ast.Call) and len(removal.args) == 1 and isinstance(removal.args[0], ast.Name)):
        return False
    entry = removal.args[0].id
    for node in descendants_in_scope(method):
        if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Call):
            continue
        bound = {n.id for t in node.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        if entry in bound and _takes_from(node.value, companion):
            return True
    return False


def _takes_from(call: ast.Call, companion: str) -> bool:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in TAKING_METHODS and self_attribute(func.value) == companion:
        return True  # ``self.Q.pop()``
    name = (ast_dotted_name(func) or "").rsplit(".", 1)[-1]
    return name in TAKING_METHODS and bool(call.args) and self_attribute(call.args[0]) == companion


def _takes_out(method: Function, companion: str) -> bool:
    """``method`` takes entries out of ``self.<companion>`` some other way:
    re-binds it to what it held, filtered (``self.Q = [e for e in self.Q if
    ...]``), or removes a given entry (``self.Q.remove(entry)``)."""
    for node in descendants_in_scope(method):
        if isinstance(node, ast.Assign) and any(self_attribute(t) == companion for t in node.targets):
            if any(self_attribute(n) == companion for n in ast.walk(node.value)):
                return True
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "remove":
            if self_attribute(node.func.value) == companion:
                return True
    return False
