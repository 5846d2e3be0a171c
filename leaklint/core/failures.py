"""Findings about what went wrong while linting a file: a rule or the engine
that failed (LL002), a part of it libcst could not take (LL003). Shared by
the engine and the runners, so that every failure reads the same."""

from __future__ import annotations

import traceback

from leaklint.core.finding import Finding
from leaklint.syntax.diagnostics import INTERNAL_ERROR
from leaklint.syntax.parsing import ParseFailure

BUG_REPORT_HINT = "please report this to the leaklint issue tracker"


def failure_finding(failure: ParseFailure, line_offset: int = 0) -> Finding:
    line = failure.line + line_offset
    return Finding(line, failure.column, failure.code, failure.message, line, failure.column)


def internal_error(subject: str, exc: BaseException, line: int = 1) -> Finding:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" at {where.name}:{where.lineno}" if where else ""
    detail = f"{type(exc).__name__}: {exc}".strip().splitlines()[0][:200]
    message = f"{subject} failed on this file ({detail}{at}); {BUG_REPORT_HINT}"
    return Finding(line, 1, INTERNAL_ERROR, message, line, 1)


def engine_failure(exc: BaseException) -> Finding:
    """LL002 for a failure outside any rule (the caller goes on with other files)."""
    return internal_error("leaklint's engine", exc)
