"""The fix for a state switched off and on again by two statements of one
block, with nothing to switch it back if an exception comes between them:

    gc.disable()                      gc.disable()
    data = parse(path)         →      try:
    gc.enable()                           data = parse(path)
                                      finally:
                                          gc.enable()

Safe: on the path without an exception nothing changes; on the others the
state is now restored, which is the point. Only for statements alone on
their lines, with at least one between them, and no string over several
lines among them (indenting its lines would change the string).
"""

from __future__ import annotations

import ast
from typing import Callable, Optional, Sequence, Tuple

from leaklint.core.context import FileFacts
from leaklint.fixes import Edit, Fix, indent_unit


def try_finally_fix(
    facts: FileFacts, scope: ast.AST, first: ast.AST, is_last: Callable[[ast.stmt], bool], title: str
) -> Optional[Fix]:
    """Wrap what follows the statement holding ``first`` (a call), up to the
    next statement of the same block for which ``is_last(statement)`` is
    true, in ``try:``, and that statement in ``finally:``."""
    found = _block_of(scope, first)
    if found is None:
        return None
    block, position = found
    start = block[position]
    end_position = next((i for i in range(position + 1, len(block)) if is_last(block[i])), None)
    if end_position is None or end_position == position + 1:
        return None
    end, between = block[end_position], block[position + 1 : end_position]
    last_line = between[-1].end_lineno or between[-1].lineno
    if not all(facts.alone_on_its_lines(statement) for statement in (start, end)):
        return None
    if facts.strings_across_lines(start.lineno + 1, last_line):
        return None  # indenting a string's own lines would change the string
    indent = facts.indentation(start.lineno)
    unit = indent_unit(indent)
    line_break = facts.line_break
    decorators = [d.lineno for statement in between for d in getattr(statement, "decorator_list", [])]
    first_line = min([between[0].lineno, *decorators])
    # ``try:`` above the first statement; every line up to the last one a
    # level deeper (comments too); ``finally:`` above the closing statement.
    edits = [Edit(first_line, 1, first_line, 1, f"{indent}try:{line_break}{unit}")]
    edits.extend(
        Edit(line, 1, line, 1, unit) for line in range(first_line + 1, end.lineno) if facts.line_text(line).strip()
    )
    edits.append(Edit(end.lineno, 1, end.lineno, 1, f"{indent}finally:{line_break}{unit}"))
    return Fix(title, True, tuple(edits))


def _block_of(scope: ast.AST, node: ast.AST) -> Optional[Tuple[Sequence[ast.stmt], int]]:
    """The statement list holding the statement ``node`` is the value of, and its position."""
    for parent in ast.walk(scope):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(parent, field, None)
            if not isinstance(block, list):
                continue
            for position, statement in enumerate(block):
                if isinstance(statement, ast.Expr) and statement.value is node:
                    return block, position
    return None

