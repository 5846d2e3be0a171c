"""Which codes are enabled: select/ignore by code or prefix, the more specific wins."""

from __future__ import annotations

from dataclasses import dataclass
from typing import FrozenSet, Iterable, Optional, Sequence, Tuple

from leaklint.core.registry import all_rules
from leaklint.syntax.diagnostics import FILE_DIAGNOSTICS

# Codes are "LL" followed by three digits; a selector is any prefix of one.
_FAMILY = "LL"


def known_prefix(selector: str) -> bool:
    """Whether ``selector`` is a code or a prefix of at least one rule's code."""
    return any(rule.code.startswith(selector) for rule in all_rules())


def _longest(code: str, selectors: Iterable[str]) -> int:
    return max((len(s) for s in selectors if code.startswith(s)), default=-1)


@dataclass(frozen=True)
class Selection:
    """select/extend-select/ignore/extend-ignore, already merged from config and flags."""

    select: Optional[Tuple[str, ...]] = None  # None: the default-enabled rules
    extend_select: Tuple[str, ...] = ()
    ignore: Tuple[str, ...] = ()
    extend_ignore: Tuple[str, ...] = ()

    def enabled(self, extra_ignores: Sequence[str] = ()) -> FrozenSet[str]:
        """Codes to report; ``extra_ignores`` are per-file ignores."""
        ignores = (*self.ignore, *self.extend_ignore, *extra_ignores)
        codes = set()
        for rule in all_rules():
            ignored = _longest(rule.code, ignores)
            if rule.code in FILE_DIAGNOSTICS:
                # Parse and internal errors are shown unless ignored outright.
                selected = len(rule.code) if ignored < 0 else _longest(rule.code, self._selectors())
            elif self.select is None and rule.default_enabled:
                selected = max(len(_FAMILY), _longest(rule.code, self.extend_select))
            else:
                selected = _longest(rule.code, self._selectors())
            if selected >= 0 and selected > ignored:
                codes.add(rule.code)
        return frozenset(codes)

    def _selectors(self) -> Tuple[str, ...]:
        return (*(self.select or ()), *self.extend_select)
