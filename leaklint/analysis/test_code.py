"""Which files are test code.

A test runs once per test session: what it adds to a module-level table, a
logger it names per call, an object its ``__del__`` resurrects on purpose
(the interpreter's own finalization tests) is bounded by the number of tests.
The rules about growth and lifetimes over a long-running process therefore
skip test modules; the resource rules do not (an unclosed file in a test is
still a warning and a leaked descriptor).
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import PurePath
from typing import Optional

TEST_FILE_PATTERNS = ("test_*.py", "*_test.py", "tests.py", "conftest.py")
# ``testing/``: the test harness a package ships (numpy.testing, alembic.testing).
TEST_DIRECTORIES = frozenset({"test", "tests", "testing"})


def is_test_module(path: str) -> bool:
    """``path`` names a test file (``test_x.py``, ``x_test.py``, ``conftest.py``)
    or lies in a ``test``, ``tests`` or ``testing`` folder. Folders are read
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
