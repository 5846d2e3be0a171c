"""Which files are test code.

A test runs once per test session: what it adds to a module-level table, a
logger it names per call, an object its ``__del__`` resurrects on purpose
(the interpreter's own finalization tests) is bounded by the number of tests.
The rules about growth and lifetimes over a long-running process therefore
skip test modules; the resource rules do not (an unclosed file in a test is
still a warning and a leaked descriptor), except on the path where the test
fails: a failing test is reported already, and its process ends soon.

Test code is found by where it lives (``tests/``, ``test_*.py``, ...) and by
what it is, in any module: a ``unittest.TestCase`` subclass, and in a module
that imports pytest or unittest, pytest's test functions and classes;
pytest fixtures anywhere. And what a test replaces (a module's function, an
HTTP library's transport) is known here too: calls into it reach a stub.
"""

from __future__ import annotations

import ast
import fnmatch
import os
from pathlib import PurePath
from typing import FrozenSet, Optional, Sequence, Set

from leaklint.syntax.lazy import libcst as cst

from leaklint.analysis.names import QualifiedName, ast_dotted_name, dotted_name
from leaklint.catalog.test_doubles import MOCKING_FIXTURES, MOCKING_SCOPES
from leaklint.catalog.test_frameworks import FIXTURE_DECORATORS, TEST_FRAMEWORKS

TEST_FILE_PATTERNS = ("test_*.py", "*_test.py", "tests.py", "conftest.py")
# ``testing/``: the test harness a package ships (numpy.testing, alembic.testing);
# ``t/``: Perl's habit, kept by some Python projects.
TEST_DIRECTORIES = frozenset({"test", "tests", "testing", "t"})


def is_test_module(path: str) -> bool:
    """``path`` names a test file (``test_x.py``, ``x_test.py``, ``conftest.py``)
    or lies in a ``test``, ``tests``, ``testing`` or ``t`` folder. Folders are read
    from the path relative to the working directory, so a checkout that
    itself lives in ``~/tests/`` is not all test code; for a file outside the
    working directory only its name counts."""
    relative = _relative(path)
    parts = PurePath(relative if relative is not None else os.path.basename(path)).parts
    if not parts:
        return False
    name = parts[-1]
    if any(fnmatch.fnmatchcase(name, pattern) for pattern in TEST_FILE_PATTERNS):
        return True
    return any(part in TEST_DIRECTORIES for part in parts[:-1])


def _relative(path: str) -> Optional[str]:
    """``path`` relative to the working directory; None when it lies outside."""
    if not os.path.isabs(path):
        return path
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return None
    return None if relative.startswith(os.pardir) else relative


def imports_test_framework(tree: ast.Module) -> bool:
    """The module imports pytest or unittest at its top level."""
    for node in tree.body:
        if isinstance(node, ast.Import):
            if any(alias.name.split(".")[0] in TEST_FRAMEWORKS for alias in node.names):
                return True
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] in TEST_FRAMEWORKS:
                return True
    return False


def in_test_code(scopes: Sequence[cst.CSTNode], imports_framework: bool) -> bool:
    """Whether the innermost of ``scopes`` (the traversal's ancestors, ending
    with a function) is test code in a module that is not a test module by
    its path: a method of a ``TestCase`` subclass, a pytest fixture, and,
    where the module imports a test framework, a ``test*`` function or a
    method of a ``Test*`` class (pytest's names). Outside such modules those
    names are common in library code (``test_connection()``, ``TestClient``)."""
    for node in scopes:
        if isinstance(node, cst.ClassDef):
            if any(_names_test_case(base.value) for base in node.bases):
                return True
            if imports_framework and node.name.value.startswith("Test"):
                return True
        elif isinstance(node, cst.FunctionDef):
            if any(_is_fixture(decorator.decorator) for decorator in node.decorators):
                return True
            if imports_framework and node.name.value.startswith("test"):
                return True
    return False


def _names_test_case(base: cst.BaseExpression) -> bool:
    """``unittest.TestCase``, ``IsolatedAsyncioTestCase``, Django's
    ``TransactionTestCase``, Tornado's ``AsyncTestCase``, a project's ``BaseTestCase``."""
    name = dotted_name(base)
    return name is not None and name.rsplit(".", 1)[-1].endswith("TestCase")


def _is_fixture(decorator: cst.BaseExpression) -> bool:
    target = decorator.func if isinstance(decorator, cst.Call) else decorator
    name = dotted_name(target)
    return name is not None and name.rsplit(".", 1)[-1] in FIXTURE_DECORATORS


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
            found.update(filter(None, map(_mocked_by, node.decorator_list)))
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            found.update(filter(None, (_mocked_by(item.context_expr) for item in node.items)))
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
