"""A module's import block, as fixes need it: how the module already names
something it imported, and where a new ``import`` goes if it does not."""

from __future__ import annotations

import ast
from typing import List, Optional

from leaklint.fixes import Edit
from leaklint.syntax.source import LINE_BREAK, text_lines



def imported_as(tree: ast.Module, module: str, name: str) -> Optional[str]:
    """How the module's top level lets code write ``module.name``: ``"Path"``
    after ``from pathlib import Path``, ``"pathlib.Path"`` after ``import
    pathlib``, ``"pl.Path"`` after ``import pathlib as pl``; None when it
    imports neither."""
    found = None
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == module and node.level == 0:
            for alias in node.names:
                if alias.name == name:
                    return alias.asname or name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == module and found is None:
                    found = f"{alias.asname or module}.{name}"
    return found


def import_insertion(tree: ast.Module, text: str, module: str) -> Edit:
    """An edit adding ``import module`` to the import block: after the last
    import at the top of the module (after its docstring and ``__future__``
    imports when it has no other; before its first statement when it has
    none of those, so after a shebang, a coding cookie and a licence), with
    the file's own line break."""
    line_break = match.group() if (match := LINE_BREAK.search(text)) else "\n"
    statement = f"import {module}"
    after: Optional[ast.stmt] = None
    for index, node in enumerate(tree.body):
        docstring = index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if isinstance(node, (ast.Import, ast.ImportFrom)) or docstring:
            after = node
        else:
            break
    lines = text_lines(text)
    if after is None:
        if not tree.body:
            return _at_end(lines, line_break, statement)
        first = tree.body[0]
        line = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", []))])
        return Edit(line, 1, line, 1, statement + line_break)
    end = after.end_lineno or after.lineno
    if end < len(lines):
        return Edit(end + 1, 1, end + 1, 1, statement + line_break)
    return _at_end(lines, line_break, statement)


def _at_end(lines: List[str], line_break: str, statement: str) -> Edit:
    """After the last line, which has no line break (or is empty)."""
    last = len(lines)
    if lines[-1] == "":
        return Edit(last, 1, last, 1, statement + line_break)
    return Edit(last, len(lines[-1]) + 1, last, len(lines[-1]) + 1, line_break + statement)


def name_insertion(tree: ast.Module, text: str, module: str, name: str) -> Optional[Edit]:
    """An edit adding ``name`` to the module's top-level ``from module import
    ...`` (``from functools import cache`` → ``from functools import cache,
    lru_cache``), the style the module already uses; None when it has none
    (or only ``import *``)."""
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == module and node.level == 0:
            last = node.names[-1]
            if last.name == "*" or getattr(last, "end_lineno", None) is None:
                continue
            line = last.end_lineno
            if line is None or last.end_col_offset is None:
                continue
            lines = text_lines(text)
            column = len(lines[line - 1].encode("utf-8")[: last.end_col_offset].decode("utf-8", "replace")) + 1
            return Edit(line, column, line, column, f", {name}")
    return None
