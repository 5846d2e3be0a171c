"""What the classes of a file do with the resources stored on their instances.

Read from the ``ast`` of the whole file, so that a class parsed by libcst on
its own can still be checked against its bases and the rest of the module.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from typing import DefaultDict, Dict, FrozenSet, List, Optional, Set

# Python's own names for "the object's attributes, dynamically": a class that
# uses them may release attributes leaklint cannot see by name.
_DYNAMIC_ACCESS = frozenset({"getattr", "vars", "__dict__", "delattr"})


class ClassOwnership:
    """Per class name: the ``self`` attributes its methods release or hand over."""

    def __init__(self, tree: ast.Module) -> None:
        self.classes: Dict[str, List[ast.ClassDef]] = defaultdict(list)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                self.classes[node.name].append(node)
        # ``anything.attr.close()`` anywhere: someone outside may close it.
        self.closed_anywhere: DefaultDict[str, Set[str]] = defaultdict(set)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Attribute)
            ):
                self.closed_anywhere[node.func.value.attr].add(node.func.attr)

    def released_attributes(self, class_name: str, release_methods: FrozenSet[str]) -> Optional[Set[str]]:
        """Attributes of ``self`` the class (or a base defined in this file)
        releases or hands over; None when that cannot be known (dynamic access,
        a base class from elsewhere)."""
        return self._released(class_name, release_methods, set())

    def _released(self, class_name: str, methods: FrozenSet[str], seen: Set[str]) -> Optional[Set[str]]:
        if class_name in seen:
            return set()
        seen.add(class_name)
        definitions = self.classes.get(class_name)
        if not definitions:
            return None
        released: Set[str] = set()
        for definition in definitions:
            for base in definition.bases:
                if isinstance(base, ast.Name) and base.id in ("object", "Exception", "Protocol", "Generic"):
                    continue
                name = base.id if isinstance(base, ast.Name) else None
                inherited = self._released(name, methods, seen) if name else None
                if inherited is None:
                    return None
                released |= inherited
            found = _released_in_class(definition, methods)
            if found is None:
                return None
            released |= found
        return released


def _released_in_class(definition: ast.ClassDef, methods: FrozenSet[str]) -> Optional[Set[str]]:
    released: Set[str] = set()
    for node in ast.walk(definition):
        if (isinstance(node, ast.Name) and node.id in _DYNAMIC_ACCESS) or (
            isinstance(node, ast.Attribute) and node.attr == "__dict__"
        ):
            return None
        if isinstance(node, ast.Call):
            func = node.func
            # self.x.close()
            if isinstance(func, ast.Attribute) and func.attr in methods:
                attribute = _self_attribute(func.value)
                if attribute:
                    released.add(attribute)
            # helper(self.x), stack.callback(self.x.close)
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                attribute = _self_attribute(arg) or (
                    _self_attribute(arg.value) if isinstance(arg, ast.Attribute) else None
                )
                if attribute:
                    released.add(attribute)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                attribute = _self_attribute(item.context_expr)
                if attribute:
                    released.add(attribute)
        elif isinstance(node, (ast.Return, ast.Yield, ast.YieldFrom)) and node.value is not None:
            attribute = _self_attribute(node.value)
            if attribute:
                released.add(attribute)
        elif isinstance(node, ast.Assign):
            # ``sock = self.sock`` (then closed through the alias), or stored elsewhere
            attribute = _self_attribute(node.value)
            if attribute:
                released.add(attribute)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                attribute = _self_attribute(target)
                if attribute:
                    released.add(attribute)
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            for element in node.elts:
                attribute = _self_attribute(element)
                if attribute:
                    released.add(attribute)
    return released


def _self_attribute(node: ast.AST) -> Optional[str]:
    """``x`` for ``self.x``."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return node.attr
    return None
