"""leaklint: find memory and resource leaks in Python source, without running it.

The Python API (``lint_source``, ``lint_paths``, ``LintFinding``,
``ConfigError``, ``ReadError``) lives in :mod:`leaklint.api` and is loaded on
first use, so that ``import leaklint`` and ``leaklint --version`` stay cheap.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["ConfigError", "LintFinding", "ReadError", "__version__", "lint_paths", "lint_source"]

_API = ("ConfigError", "LintFinding", "ReadError", "lint_paths", "lint_source")

TYPE_CHECKING = False  # not imported from typing: importing typing costs more than the rest of this file
if TYPE_CHECKING:
    from leaklint.api import ConfigError, LintFinding, ReadError, lint_paths, lint_source


def __getattr__(name: str) -> object:
    if name in _API:
        from leaklint import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
