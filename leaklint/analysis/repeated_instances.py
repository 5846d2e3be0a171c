"""Classes a module instantiates over and over, read from the ``ast``.

``for inst in instances: client = Client(inst)`` makes a new object on every
pass, and drops the last one: whatever keeps a bounded number of them (an
``lru_cache`` on a method) then holds that many dead objects. Used by LL104.
"""

from __future__ import annotations

import ast
from typing import FrozenSet

_LOOPS = (ast.For, ast.AsyncFor, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def made_in_loops(tree: ast.Module) -> FrozenSet[str]:
    """Names called as ``Name(...)`` inside a loop or comprehension anywhere in the module."""
    made = set()
    for loop in ast.walk(tree):
        if isinstance(loop, _LOOPS):
            body = loop.body + loop.orelse if isinstance(loop, (ast.For, ast.AsyncFor, ast.While)) else [loop]
            for statement in body:
                for node in ast.walk(statement):
                    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                        made.add(node.func.id)
    return frozenset(made)
