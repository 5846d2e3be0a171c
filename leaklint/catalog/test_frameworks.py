"""pytest's and unittest's own names: their modules, fixtures, and the calls that end or expect a failure.

Test doubles (what a test puts in place of a library) are in ``test_doubles``.
"""

from __future__ import annotations

# Top-level modules whose import makes a module test code.
TEST_FRAMEWORKS = frozenset({"pytest", "unittest", "_pytest"})
# ``@pytest.fixture``, ``@pytest_asyncio.fixture``, ``@fixture``: set-up code of
# tests, by the last part of the decorator's name.
FIXTURE_DECORATORS = frozenset({"fixture", "yield_fixture"})
# A test's way of failing or skipping: it raises, and nothing in the test catches it.
TEST_STOPS = frozenset({"pytest.fail", "pytest.skip"})
# The same, as methods of a ``unittest.TestCase``: ``self.fail(msg)``.
TEST_STOPPING_METHODS = frozenset({"fail", "skipTest"})
# ``with self.assertRaises(E):`` and friends: code in the block is expected to fail.
EXPECTING_FAILURE_METHODS = frozenset({"assertRaises", "assertRaisesRegex", "assertRaisesRegexp"})
# ``with pytest.raises(E):``, by qualified name.
EXPECTING_FAILURE_FUNCTIONS = frozenset({"pytest.raises"})
