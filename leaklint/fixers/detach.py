"""The fix for a tensor kept with its autograd graph: keep ``value.detach()``,
the same numbers without the graph.

Unsafe: what is kept no longer carries gradients, so code that later calls
``backward()`` through it, or counts on ``requires_grad``, behaves
differently; and ``.item()`` (a Python number) may be what the code wants.
"""

from __future__ import annotations

import ast
from typing import Optional

from leaklint.analysis.names import ast_dotted_name
from leaklint.core.context import FileFacts
from leaklint.fixes import Edit, Fix


def detach_fix(facts: FileFacts, statement: ast.AST, value: str) -> Optional[Fix]:
    """Replace the one occurrence of ``value`` in what ``statement`` keeps."""
    if isinstance(statement, ast.Call):  # ``losses.append(loss)``: what it is given
        kept = [*statement.args, *(keyword.value for keyword in statement.keywords)]
    elif isinstance(getattr(statement, "value", None), ast.AST):  # ``total += loss``, ``self.last = out``
        kept = [statement.value]  # type: ignore[attr-defined]
    else:
        return None
    found = [
        node
        for root in kept
        for node in ast.walk(root)
        if isinstance(node, (ast.Name, ast.Attribute)) and ast_dotted_name(node) == value
    ]
    if len(found) != 1:
        return None
    place = facts.place(found[0])
    edit = Edit(place.line, place.column + 1, place.end_line, place.end_column + 1, f"{value}.detach()")
    return Fix(f"Keep {value}.detach(), without its autograd graph", False, (edit,))
