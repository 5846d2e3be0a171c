"""Where a node stands: read off the traversal's ancestor path."""

from __future__ import annotations

from typing import FrozenSet, List, Optional, Sequence, Set, Tuple

from leaklint.syntax.lazy import libcst as cst

from leaklint.analysis.names import QualifiedName, dotted_name
from leaklint.analysis.visiting import NodeVisitor, walk
from leaklint.catalog.test_frameworks import EXPECTING_FAILURE_FUNCTIONS, EXPECTING_FAILURE_METHODS


def owning_class(ancestors: Sequence[cst.CSTNode]) -> Optional[cst.ClassDef]:
    """The class whose body directly defines the last node of ``ancestors``.

    Statements such as ``if``/``try`` between the class and the node do not
    matter; a function in between does (then the node is not a class member).
    """
    for node in reversed(ancestors[:-1]):
        if isinstance(node, cst.ClassDef):
            return node
        if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.Module)):
            return None
    return None


def method_class(ancestors: Sequence[cst.CSTNode]) -> Optional[cst.ClassDef]:
    """The class whose method (the innermost function) holds the end of ``ancestors``."""
    for index in range(len(ancestors) - 1, -1, -1):
        if isinstance(ancestors[index], cst.FunctionDef):
            return owning_class(ancestors[: index + 1])
    return None


def next_statement(ancestors: Sequence[cst.CSTNode]) -> Optional[cst.CSTNode]:
    """The statement that runs after the innermost simple statement of
    ``ancestors``: the next one on its line, else the next one in its block."""
    siblings = _siblings(ancestors)
    if siblings is None:
        return None
    (on_line, at), (in_block, line_at) = siblings
    if at + 1 < len(on_line):
        return on_line[at + 1]
    return in_block[line_at + 1] if 0 <= line_at and line_at + 1 < len(in_block) else None


def earlier_statements(ancestors: Sequence[cst.CSTNode]) -> List[cst.CSTNode]:
    """The small statements that run before the innermost simple statement
    of ``ancestors`` in its block: earlier ones on its line and on the lines above."""
    siblings = _siblings(ancestors)
    if siblings is None:
        return []
    (on_line, at), (in_block, line_at) = siblings
    above = [
        small
        for statement in in_block[: max(line_at, 0)]
        if isinstance(statement, cst.SimpleStatementLine)
        for small in statement.body
    ]
    return [*above, *on_line[:at]]


def _siblings(
    ancestors: Sequence[cst.CSTNode],
) -> Optional[Tuple[Tuple[Sequence[cst.CSTNode], int], Tuple[Sequence[cst.CSTNode], int]]]:
    """The innermost simple statement line's small statements with the
    position of the one in ``ancestors``, and its block's statements with
    the line's position (-1 when the block cannot be read)."""
    for index in range(len(ancestors) - 2, 0, -1):
        line = ancestors[index]
        if isinstance(line, cst.SimpleStatementLine):
            in_block = getattr(ancestors[index - 1], "body", ())
            in_block = in_block if isinstance(in_block, (list, tuple)) else ()
            return (line.body, _position(line.body, ancestors[index + 1])), (in_block, _position(in_block, line))
    return None


def _position(nodes: Sequence[cst.CSTNode], node: cst.CSTNode) -> int:
    """Where ``node`` itself (not an equal node) is in ``nodes``, or -1."""
    return next((position for position, other in enumerate(nodes) if other is node), -1)


def method_class_name(ancestors: Sequence[cst.CSTNode]) -> Optional[str]:
    cls = method_class(ancestors)
    return cls.name.value if cls is not None else None


def expects_failure(expr: cst.BaseExpression, qualified_name: QualifiedName) -> bool:
    """Whether ``expr`` is ``self.assertRaises(E)``, ``pytest.raises(E)`` or the like."""
    if not isinstance(expr, cst.Call):
        return False
    func = expr.func
    if isinstance(func, cst.Attribute) and func.attr.value in EXPECTING_FAILURE_METHODS:
        return True
    return qualified_name(func) in EXPECTING_FAILURE_FUNCTIONS


def expects_exception(ancestors: Sequence[cst.CSTNode], qualified_name: QualifiedName) -> bool:
    """Whether the last node of ``ancestors`` runs in a block that expects an exception.

    A resource whose creation is expected to raise is never created.
    """
    for node in reversed(ancestors[:-1]):
        if isinstance(node, (cst.FunctionDef, cst.Lambda)):
            return False
        if isinstance(node, cst.With) and any(expects_failure(item.item, qualified_name) for item in node.items):
            return True
    return False


def directly_in_guarded_try(ancestors: Sequence[cst.CSTNode]) -> bool:
    """Whether the statement at the end of ``ancestors`` sits in a ``try`` body
    that has ``except`` handlers (a probe: "does this raise?")."""
    for node, child in zip(reversed(ancestors[:-1]), reversed(ancestors[1:])):
        if isinstance(node, cst.Try):
            return child is node.body and bool(node.handlers)
        if isinstance(node, cst.TryStar):
            return child is node.body
        if not isinstance(node, (cst.IndentedBlock, cst.SimpleStatementLine, cst.SimpleStatementSuite,
                                 cst.Expr)):
            return False
    return False


def is_mock_patch(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, cst.Call):
        expr = expr.func
    dotted = dotted_name(expr) or ""
    parts = dotted.split(".")
    return "patch" in parts


def under_mock_patch(ancestors: Sequence[cst.CSTNode]) -> bool:
    """Whether the last node runs while ``mock.patch`` replaces something (a
    ``with patch(...)`` block, or a function decorated with ``@patch``)."""
    for node in reversed(ancestors[:-1]):
        if isinstance(node, cst.With) and any(is_mock_patch(item.item) for item in node.items):
            return True
        if isinstance(node, cst.FunctionDef) and any(is_mock_patch(d.decorator) for d in node.decorators):
            return True
    return False


def statements_never_run(body: cst.CSTNode, false_constants: FrozenSet[str]) -> Set[int]:
    """Small statements under ``if DEBUG:`` where ``DEBUG`` is only ever
    bound to False (or 0, or None): code that runs once someone edits the
    source, not code that leaks today."""
    if not false_constants:
        return set()
    found: Set[int] = set()

    class _Guards(NodeVisitor):
        def visit_If(self, node: cst.If) -> None:
            if is_false_guard(node.test, false_constants):
                found.update(id(small) for small in _small_statements(node.body))

    walk(body, _Guards())
    return found


def is_false_guard(test: cst.BaseExpression, false_constants: FrozenSet[str]) -> bool:
    return isinstance(test, cst.Name) and test.value in false_constants


def under_false_guard(ancestors: Sequence[cst.CSTNode], false_constants: FrozenSet[str]) -> bool:
    """Whether the node under ``ancestors`` is in the body of ``if DEBUG:``."""
    for parent, child in zip(ancestors, ancestors[1:]):
        if isinstance(parent, cst.If) and child is parent.body and is_false_guard(parent.test, false_constants):
            return True
    return False


def _small_statements(node: cst.CSTNode) -> List[cst.CSTNode]:
    found: List[cst.CSTNode] = []

    class _Collect(NodeVisitor):
        def visit_SimpleStatementLine(self, line: cst.SimpleStatementLine) -> None:
            found.extend(line.body)

        def visit_SimpleStatementSuite(self, suite: cst.SimpleStatementSuite) -> None:
            found.extend(suite.body)

    walk(node, _Collect())
    return found
