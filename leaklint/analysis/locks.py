"""Locks a class takes in ``__init__``, from the file's ``ast``."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import FrozenSet


@dataclass(frozen=True)
class Locks:
    # ``self._lock`` acquired in ``__init__``: a baton passed between threads
    # or methods, not a mutex that one function takes and gives back.
    batons: FrozenSet[str] = frozenset()

    def is_baton(self, dotted: str) -> bool:
        """Whether ``self._lock`` is acquired in ``__init__`` (see ``batons``)."""
        return dotted.startswith("self.") and dotted.count(".") == 1 and dotted[5:] in self.batons


def find_locks(tree: ast.Module) -> Locks:
    batons = set()
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
    return Locks(frozenset(batons))
