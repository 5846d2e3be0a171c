"""Which names and attributes of a file hold locks, from its ``ast``."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import FrozenSet

from leaklint.analysis.names import NameResolver, ast_dotted_name
from leaklint.catalog.descriptors import LOCK_CONSTRUCTORS


@dataclass(frozen=True)
class Locks:
    module_names: FrozenSet[str]  # ``_lock = threading.Lock()`` at module level
    self_attributes: FrozenSet[str]  # ``self._lock = threading.RLock()`` in any method
    # Acquired in ``__init__``: a baton passed between threads or methods, not
    # a mutex that one function takes and gives back.
    batons: FrozenSet[str] = frozenset()

    def holds_lock(self, dotted: str) -> bool:
        """Whether ``_lock`` or ``self._lock`` names one of the file's mutexes."""
        if dotted.startswith("self.") and dotted.count(".") == 1:
            return dotted[5:] in self.self_attributes and dotted[5:] not in self.batons
        return "." not in dotted and dotted in self.module_names


def find_locks(tree: ast.Module, names: NameResolver) -> Locks:
    module_level = {id(node) for node in tree.body}
    module_names, attributes, batons = set(), set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "__init__":
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Attribute)
                    and inner.func.attr == "acquire"
                    and isinstance(inner.func.value, ast.Attribute)
                    and isinstance(inner.func.value.value, ast.Name)
                    and inner.func.value.value.id == "self"
                ):
                    batons.add(inner.func.value.attr)
            continue
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        dotted = ast_dotted_name(node.value.func)
        # Imports are module-level in practice: resolve against the module scope.
        if dotted is None or names.resolve_dotted(dotted) not in LOCK_CONSTRUCTORS:
            continue
        for target in node.targets:
            if isinstance(target, ast.Name) and id(node) in module_level:
                module_names.add(target.id)
            elif (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
            ):
                attributes.add(target.attr)
    return Locks(frozenset(module_names), frozenset(attributes), frozenset(batons))
