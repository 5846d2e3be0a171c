"""The one value every part of leaklint exchanges: a finding at a place in a file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True, order=True)
class Finding:
    """A reported problem. Lines and columns are 1-based; end is exclusive."""

    line: int
    column: int
    code: str
    message: str
    end_line: int
    end_column: int
    fix: Optional[str] = None
    # How to find the growing object at run time, for the growth and
    # retention rules (``leaklint.watch``): "attribute:_sessions",
    # "cache:Service.lookup", "defaults:append:items". None for the others.
    watch: Optional[str] = None

    def sort_key(self) -> tuple[int, int, str]:
        return (self.line, self.column, self.code)
