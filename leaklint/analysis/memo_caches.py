"""Memoizing caches a module empties on demand (``f.cache_clear()``)."""

from __future__ import annotations

import ast
from typing import FrozenSet

from leaklint.analysis.module_index import ModuleIndex
from leaklint.analysis.names import ast_dotted_name


def cleared_caches(index: ModuleIndex) -> FrozenSet[str]:
    """What the module's functions call ``.cache_clear()`` on, as dotted
    names (``parse``, ``self.links_for``, ``Menu.links_for``). Not from
    ``__del__``: a cache keyed on the instance keeps that from ever running."""
    cleared = set()
    for function in index.functions:
        if function.name == "__del__":
            continue
        for node in index.own_nodes(function):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "cache_clear":
                receiver = ast_dotted_name(node.func.value)
                if receiver:
                    cleared.add(receiver)
    return frozenset(cleared)
