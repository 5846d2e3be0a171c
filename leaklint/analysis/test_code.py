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
pytest fixtures anywhere.
"""

from __future__ import annotations

import ast
import fnmatch
import os
from pathlib import PurePath
from typing import Optional, Sequence

from leaklint.lazy import libcst as cst

from leaklint.analysis.names import dotted_name

TEST_FILE_PATTERNS = ("test_*.py", "*_test.py", "tests.py", "conftest.py")
# ``testing/``: the test harness a package ships (numpy.testing, alembic.testing);
# ``t/``: Perl's habit, kept by some Python projects.
TEST_DIRECTORIES = frozenset({"test", "tests", "testing", "t"})
TEST_FRAMEWORKS = frozenset({"pytest", "unittest", "_pytest"})
# ``@pytest.fixture``, ``@pytest_asyncio.fixture``, ``@fixture``: set-up code of tests.
_FIXTURE_DECORATORS = frozenset({"fixture", "yield_fixture"})


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
    return name is not None and name.rsplit(".", 1)[-1] in _FIXTURE_DECORATORS
