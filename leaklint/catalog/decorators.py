"""Decorators and wrappers of functions, by what they make of the function they wrap.

Names are qualified (``contextlib.contextmanager``) where the analysis
resolves imports, and bare (``property``) where it reads the decorator as
written, which each table says.
"""

from __future__ import annotations

# Decorators that make a generator a context manager whose ``with`` block
# runs at the ``yield`` (not ``pytest.fixture``: a test's failure is not
# thrown into its fixtures).
GENERATOR_CONTEXT_MANAGERS = frozenset({"contextlib.contextmanager", "contextlib.asynccontextmanager"})

# The same decorators by the last part of their name, as written (``@contextmanager``).
CONTEXT_MANAGER_DECORATORS = ("contextmanager", "asynccontextmanager")

# Decorators, by the last part of their name, after which ``self.name``
# reads a value or a function that holds no instance, not a bound method:
# properties and their cached kinds, static and class methods.
NOT_BOUND_DECORATORS = frozenset(
    {"property", "cached_property", "abstractproperty", "lazy_property", "reify", "staticmethod", "classmethod"}
)

# Wrappers that keep a strong reference to the callable (and arguments) they wrap.
PARTIALS = frozenset({"functools.partial", "functools.partialmethod"})
