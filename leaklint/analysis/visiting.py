"""Cheaper libcst traversals for the engine and the analyses' small walks.

``CSTNode.visit`` rebuilds every node it passes (and validates it) even for
a read-only visitor, and stops at every comma and space on the way. ``walk``
reads the children in place, in the order libcst visits them, skipping the
whitespace and punctuation that no rule looks at: four times faster, and
without recursion, so a deep tree cannot exhaust the stack.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import textwrap
from typing import Dict, List, Optional, Sequence, Tuple, Type

from leaklint.syntax.lazy import libcst as cst

# Fields that only hold whitespace, comments, brackets, separators or operator tokens.
_TOKEN_FIELDS = frozenset(
    {
        "lpar", "rpar", "lbracket", "rbracket", "lbrace", "rbrace", "comma", "dot", "colon", "semicolon",
        "equal", "first_colon", "second_colon", "walrus", "arrow", "star", "operator", "asynchronous",
        "header", "footer", "leading_lines", "lines_after_decorators", "leading_whitespace",
        "trailing_whitespace",
    }
)  # fmt: skip

_FIELDS: Dict[Type[cst.CSTNode], Optional[Tuple[str, ...]]] = {}


def _syntax_fields(cls: Type[cst.CSTNode]) -> Optional[Tuple[str, ...]]:
    """The fields of ``cls`` that may hold syntax nodes, in libcst's visiting
    order: the order of the keywords in its ``_visit_and_replace_children``.
    None when that cannot be read (then libcst's ``children`` is asked)."""
    if cls in _FIELDS:
        return _FIELDS[cls]
    names = {field.name for field in dataclasses.fields(cls)}
    try:
        source = textwrap.dedent(inspect.getsource(cls._visit_and_replace_children))
        keywords = sorted(
            (node.value.lineno, node.value.col_offset, node.arg)
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.keyword) and node.arg in names
        )
    except (OSError, TypeError, SyntaxError):
        fields = None
    else:
        fields = tuple(
            name
            for name in dict.fromkeys(name for *_, name in keywords)
            if name not in _TOKEN_FIELDS and not name.startswith("whitespace")
        )
    _FIELDS[cls] = fields
    return fields


def child_nodes(node: cst.CSTNode) -> Sequence[cst.CSTNode]:
    """``node``'s syntax children, in source order."""
    fields = _syntax_fields(type(node))
    if fields is None:
        return node.children
    found: List[cst.CSTNode] = []
    for name in fields:
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            found.extend(item for item in value if isinstance(item, cst.CSTNode))
    return found


def walk(root: cst.CSTNode, visitor: "NodeVisitor") -> None:
    """Visit ``root`` and its syntax descendants with ``visitor``'s
    ``on_visit``/``on_leave``, as ``root.visit(visitor)`` would (children are
    skipped when ``on_visit`` returns False), without rebuilding anything."""
    stack: List[Tuple[cst.CSTNode, bool]] = [(root, False)]
    pop, push = stack.pop, stack.append
    while stack:
        node, leaving = pop()
        if leaving:
            visitor.on_leave(node)
        elif visitor.on_visit(node):
            push((node, True))
            for child in reversed(child_nodes(node)):
                push((child, False))
        else:
            visitor.on_leave(node)


class NodeVisitor:
    """A read-only visitor for ``walk``: ``visit_<Type>(node)`` (returning
    False skips the node's children) and ``leave_<Type>(node)``, as with
    libcst's ``CSTVisitor``, without its per-field callbacks."""

    def on_visit(self, node: cst.CSTNode) -> bool:
        visit = getattr(self, "visit_" + type(node).__name__, None)
        return visit is None or visit(node) is not False

    def on_leave(self, node: cst.CSTNode) -> None:
        leave = getattr(self, "leave_" + type(node).__name__, None)
        if leave is not None:
            leave(node)
