"""The fix for a mutable default that the function adds to: a fresh one per
call, made when the caller gives none.

    def add(item, items=[]):          def add(item, items=None):
        items.append(item)     →          if items is None:
                                              items = []
                                          items.append(item)

Unsafe: callers that relied on the default accumulating across calls (a
memo, a registry) now start empty each time, and a caller passing ``None``
on purpose gets a new container instead of ``None``.
"""

from __future__ import annotations

import ast
from typing import Optional

from leaklint.analysis.module_index import Function
from leaklint.core.context import FileFacts
from leaklint.fixes import Edit, Fix, indent_unit


def none_default_fix(facts: FileFacts, function: Function, parameter: str, default: ast.expr) -> Optional[Fix]:
    body = getattr(function, "body", None)
    made = ast.get_source_segment(facts.text, default)
    if not body or made is None or "\n" in made:
        return None
    first = body[0]
    docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)
    if first.lineno == function.lineno:
        return None  # ``def f(x=[]): x.append(1)``: a body on the def's line
    following = body[1] if docstring and len(body) > 1 else (None if docstring else first)
    indent = facts.indentation(following.lineno if following is not None else first.lineno)
    unit = indent_unit(indent)
    line_break = facts.line_break
    guard = f"{indent}if {parameter} is None:{line_break}{indent}{unit}{parameter} = {made}{line_break}"
    if following is not None:
        line = min([following.lineno, *(d.lineno for d in getattr(following, "decorator_list", []))])
        insert = Edit(line, 1, line, 1, guard)
    else:  # only a docstring: after it
        end = (first.end_lineno or first.lineno) + 1
        insert = Edit(end, 1, end, 1, guard)
    place = facts.place(default)
    replace = Edit(place.line, place.column + 1, place.end_line, place.end_column + 1, "None")
    return Fix(f"Default to None and make a new {made} on each call that gives none", False, (replace, insert))
