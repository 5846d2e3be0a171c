"""The fix for a finalizer given a bound method of its own object, when that
method only hands the release on: ``weakref.finalize(self, self.close)``
with ``def close(self): self.handle.release()`` becomes
``weakref.finalize(self, self.handle.release)``, which keeps the handle,
not the object.

Unsafe: the handle is now taken when the finalizer is made, so one set on
the object later is not the one released; and whatever else ``close()``
comes to do is no longer done at collection.
"""

from __future__ import annotations

import ast
from typing import Optional

from leaklint.core.context import FileFacts
from leaklint.fixes import Edit, Fix


def delegated_release_fix(
    facts: FileFacts, call: ast.Call, cls: Optional[ast.ClassDef], function: ast.AST
) -> Optional[Fix]:
    """For ``weakref.finalize(self, self.method)`` (``call``) in ``function``, a method of ``cls``."""
    callback = call.args[1] if len(call.args) == 2 and not call.keywords else None
    if cls is None or not (
        isinstance(callback, ast.Attribute) and isinstance(callback.value, ast.Name) and callback.value.id == "self"
    ):
        return None
    method = next(
        (node for node in cls.body if isinstance(node, ast.FunctionDef) and node.name == callback.attr), None
    )
    delegated = _only_delegates(method) if method is not None else None
    if delegated is None or not _set_before(function, delegated.split(".")[1], call):
        return None  # the handle must exist when the finalizer is made
    place = facts.place(callback)
    edit = Edit(place.line, place.column + 1, place.end_line, place.end_column + 1, delegated)
    return Fix(f"Give the finalizer {delegated}, which {callback.attr}() calls, instead of the object's method", False, (edit,))


def _set_before(function: ast.AST, attribute: str, call: ast.Call) -> bool:
    """``self.attribute = ...`` in ``function`` on a line before ``call``."""
    return any(
        isinstance(node, ast.Assign)
        and node.lineno < call.lineno
        and any(
            isinstance(t, ast.Attribute) and t.attr == attribute and isinstance(t.value, ast.Name) and t.value.id == "self"
            for t in node.targets
        )
        for node in ast.walk(function)
    )


def _only_delegates(method: ast.FunctionDef) -> Optional[str]:
    """``self.handle.release`` for a method whose body (a docstring aside) is
    only ``self.handle.release()``, and which takes nothing but ``self``."""
    arguments = method.args
    if len(arguments.args) != 1 or arguments.vararg or arguments.kwarg or arguments.kwonlyargs or method.decorator_list:
        return None
    body = [
        statement
        for statement in method.body
        if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant))
    ]
    if len(body) != 1 or not isinstance(body[0], ast.Expr) or not isinstance(body[0].value, ast.Call):
        return None
    call = body[0].value
    if call.args or call.keywords or not isinstance(call.func, ast.Attribute):
        return None
    receiver = call.func.value
    self_name = arguments.args[0].arg
    if not (isinstance(receiver, ast.Attribute) and isinstance(receiver.value, ast.Name) and receiver.value.id == self_name):
        return None
    return f"self.{receiver.attr}.{call.func.attr}"
