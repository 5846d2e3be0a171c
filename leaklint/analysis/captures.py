"""What an expression keeps a strong reference to, read from the ``ast``.

A callback keeps its object alive when it is a bound method of it, a lambda
or nested function whose body uses it, or a ``functools.partial`` over one
of those. Shared by the rules about callbacks, finalizers and cycles.
"""

from __future__ import annotations

import ast
from typing import Dict, Optional, Set

from leaklint.analysis.module_index import Function
from leaklint.analysis.names import NameResolver, ast_dotted_name
from leaklint.catalog.decorators import PARTIALS
from leaklint.catalog.registrations import WEAK_WRAPPERS


def is_name(value: ast.expr, name: str) -> bool:
    return isinstance(value, ast.Name) and value.id == name


def uses_name(node: ast.AST, name: str) -> bool:
    """Whether ``name`` is read anywhere inside ``node`` (nested scopes included)."""
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


def reference_to(
    expr: ast.expr,
    name: str,
    methods: Optional[Set[str]],
    nested: Dict[str, Function],
    names: NameResolver,
    *,
    bare: bool = False,
) -> Optional[str]:
    """How ``expr`` keeps a strong reference to the object called ``name``
    (``self``, ``obj``), described for a message; None if it keeps none.

    ``methods`` are the method names of the object's class (``self.close``
    is a bound method, ``self.config`` an attribute), None when unknown (any
    attribute may be a method); ``bare`` counts the
    object itself (``register(self)``).
    """
    if isinstance(expr, ast.Name):
        if expr.id == name:
            return f"'{name}' itself" if bare else None
        function = nested.get(expr.id)
        if function is not None and uses_name(function, name):
            return f"nested function '{expr.id}' using '{name}'"
        return None
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id == name:
        return f"bound method '{name}.{expr.attr}'" if methods is None or expr.attr in methods else None
    if isinstance(expr, ast.Lambda):
        return f"a lambda using '{name}'" if uses_name(expr.body, name) else None
    if isinstance(expr, ast.Call):
        called = ast_dotted_name(expr.func)
        qualified = names.resolve_dotted(called) if called else None
        if qualified in WEAK_WRAPPERS:
            return None
        if qualified in PARTIALS and expr.args:
            inner = [reference_to(a, name, methods, nested, names, bare=True) for a in expr.args]
            inner += [reference_to(k.value, name, methods, nested, names, bare=True) for k in expr.keywords]
            found = next((i for i in inner if i), None)
            return f"functools.partial over {found}" if found else None
    return None
