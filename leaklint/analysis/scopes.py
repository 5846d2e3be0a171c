"""Where a node stands: read off the traversal's ancestor path."""

from __future__ import annotations

import ast
from typing import FrozenSet, List, Optional, Sequence, Set

from leaklint.lazy import libcst as cst

from leaklint.analysis.names import QualifiedName, ast_dotted_name, dotted_name
from leaklint.analysis.visiting import NodeVisitor, walk
from leaklint.catalog.test_doubles import MOCKING_FIXTURES, MOCKING_SCOPES


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
    for index in range(len(ancestors) - 2, 0, -1):
        line = ancestors[index]
        if isinstance(line, cst.SimpleStatementLine):
            after = _after(line.body, ancestors[index + 1])
            if after is not None:
                return after
            return _after(getattr(ancestors[index - 1], "body", ()), line)
    return None


def _after(nodes: Sequence[cst.CSTNode], node: cst.CSTNode) -> Optional[cst.CSTNode]:
    positions = [position for position, other in enumerate(nodes) if other is node]
    if positions and positions[0] + 1 < len(nodes):
        return nodes[positions[0] + 1]
    return None


def method_class_name(ancestors: Sequence[cst.CSTNode]) -> Optional[str]:
    cls = method_class(ancestors)
    return cls.name.value if cls is not None else None


# ``with self.assertRaises(E):`` and friends: code in the block is expected to fail.
_EXPECTING_METHODS = frozenset({"assertRaises", "assertRaisesRegex", "assertRaisesRegexp"})
_EXPECTING_FUNCTIONS = frozenset({"pytest.raises"})


def expects_failure(expr: cst.BaseExpression, qualified_name: QualifiedName) -> bool:
    """Whether ``expr`` is ``self.assertRaises(E)``, ``pytest.raises(E)`` or the like."""
    if not isinstance(expr, cst.Call):
        return False
    func = expr.func
    if isinstance(func, cst.Attribute) and func.attr.value in _EXPECTING_METHODS:
        return True
    return qualified_name(func) in _EXPECTING_FUNCTIONS


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


def stubbed_modules(definition: ast.AST) -> FrozenSet[str]:
    """Names of modules that a test class or function (``definition``, from
    the whole file's ``ast``: libcst may see only part of a class) replaces
    parts of: ``psycopg2._connect = stub`` in ``setUp``,
    ``monkeypatch.setattr(socket, "socket", Fake)``, or a test double of the
    catalog (``def test_get(httpx_mock):``, ``@responses.activate``). Calls
    into them there may reach the stub, not the real thing."""
    found: Set[str] = set()
    for node in ast.walk(definition):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # ``def test_get(httpx_mock):``, ``@responses.activate``: a double answers.
            arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            found.update(MOCKING_FIXTURES[arg.arg] for arg in arguments if arg.arg in MOCKING_FIXTURES)
            found.update(_mocked_by(decorator) for decorator in node.decorator_list if _mocked_by(decorator))
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            found.update(_mocked_by(item.context_expr) for item in node.items if _mocked_by(item.context_expr))
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                    if target.value.id not in ("self", "cls"):
                        found.add(target.value.id)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "setattr":
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Name):
                found.add(first.id)
            elif isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.add(first.value.split(".")[0])  # ``setattr("psycopg2._connect", stub)``
    return frozenset(found)


def _mocked_by(expr: ast.expr) -> Optional[str]:
    """The module ``expr`` (a decorator or a ``with`` item) mocks, if any."""
    target = expr.func if isinstance(expr, ast.Call) else expr
    return MOCKING_SCOPES.get(ast_dotted_name(target) or "")


def calls_stub(call: cst.Call, stubbed: FrozenSet[str], qualified_name: QualifiedName) -> bool:
    """``psycopg2.connect()`` (or ``AsyncClient()`` from httpx) where the
    module is one of the ``stubbed``."""
    if not stubbed:
        return False
    names = (qualified_name(call.func), dotted_name(call.func))
    return any(name is not None and "." in name and name.split(".")[0] in stubbed for name in names)


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
