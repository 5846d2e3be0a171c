"""The fix for an unbounded ``functools`` cache: bound it to 128 entries,
``functools.lru_cache``'s own default. ``@functools.cache`` and
``@lru_cache(maxsize=None)`` become ``lru_cache(maxsize=128)``.

Unsafe: entries are now evicted, so a call may compute its result again
(twice the side effects of a function that has some; a new object where
callers relied on getting the same one), and on a method the cache still
keeps up to 128 instances alive. A reviewer decides whether 128 fits.
"""

from __future__ import annotations

import ast
from typing import Callable, Optional

from leaklint.syntax.lazy import libcst as cst

from leaklint.analysis.import_block import imported_as
from leaklint.core.context import ProposedFix

BOUND = 128
_TITLE = f"Bound the cache to {BOUND} entries: functools.lru_cache(maxsize={BOUND})"


def bounded_cache_fix(
    expression: cst.BaseExpression, qualified_name: Callable[[cst.BaseExpression], Optional[str]], tree: object
) -> Optional[ProposedFix]:
    """The fix for a decorator's ``expression``, if it is a ``functools`` cache."""
    if isinstance(expression, cst.Call):
        if qualified_name(expression.func) != "functools.lru_cache":
            return None
        maxsize = next(
            (arg.value for arg in expression.args if arg.keyword is None or arg.keyword.value == "maxsize"), None
        )
        if not (isinstance(maxsize, cst.Name) and maxsize.value == "None"):
            return None
        return ProposedFix(_TITLE, safe=False, replacements=((maxsize, str(BOUND)),))
    if qualified_name(expression) != "functools.cache":
        return None
    spelled = imported_as(tree, "functools", "lru_cache")  # type: ignore[arg-type]
    if spelled is None and any(
        isinstance(node, ast.ImportFrom) and node.module == "functools" for node in tree.body  # type: ignore[attr-defined]
    ):
        # ``from functools import cache``: the same import gets ``lru_cache``.
        return ProposedFix(
            _TITLE,
            safe=False,
            replacements=((expression, f"lru_cache(maxsize={BOUND})"),),
            names=(("functools", "lru_cache"),),
        )
    return ProposedFix(
        _TITLE,
        safe=False,
        replacements=((expression, f"{spelled or 'functools.lru_cache'}(maxsize={BOUND})"),),
        imports=() if spelled else ("functools",),
    )
