"""The fix for a task kept in a set that nothing takes it out of: the task
takes itself out when it is done.

    _tasks.add(task)                  _tasks.add(task)
                               →      task.add_done_callback(_tasks.discard)

and ``_tasks.add(asyncio.create_task(job()))`` is first split so the task
has a name. Safe: a task leaves the set only once it is done, and what
waits for the set's tasks (``gather`` at shutdown) waits for those not done.
"""

from __future__ import annotations

import ast
import re
from typing import Optional

from leaklint.core.context import FileFacts
from leaklint.fixes import Edit, Fix

_TITLE = "Take each task out of '{container}' when it is done: task.add_done_callback({container}.discard)"


def done_callback_fix(facts: FileFacts, function: ast.AST, call: ast.Call, container: str) -> Optional[Fix]:
    """The fix for ``container.add(...)`` (``call``), a statement of its own in ``function``."""
    if not (isinstance(call.func, ast.Attribute) and call.func.attr == "add" and len(call.args) == 1):
        return None
    statement = next(
        (node for node in ast.walk(function) if isinstance(node, ast.Expr) and node.value is call), None
    )
    if statement is None or not facts.alone_on_its_lines(statement):
        return None
    place = facts.place(statement)
    indent = facts.indentation(place.line)
    line_break = facts.line_break
    argument = call.args[0]
    callback = f"add_done_callback({container}.discard)"
    title = _TITLE.format(container=container)
    if isinstance(argument, ast.Name):
        # After the line, and the comment that ends it.
        end_of_line = len(facts.line_text(place.end_line)) + 1
        code = f"{line_break}{indent}{argument.id}.{callback}"
        return Fix(title, True, (Edit(place.end_line, end_of_line, place.end_line, end_of_line, code),))
    name = "task"
    if re.search(rf"\b{name}\b", facts.text):
        return None  # the name a split would need is taken
    made = ast.get_source_segment(facts.text, argument)
    if made is None or "\n" in made:
        return None
    code = f"{name} = {made}{line_break}{indent}{container}.add({name}){line_break}{indent}{name}.{callback}"
    return Fix(title, True, (Edit(place.line, place.column + 1, place.end_line, place.end_column + 1, code),))

