"""Finds every rule class (and file diagnostic) under ``leaklint.rules``; the one list of them."""

from __future__ import annotations

import functools
import importlib
import pkgutil
from typing import Dict, List, Type

from leaklint.core.rule import Documented


@functools.lru_cache(maxsize=1)
def _discover() -> Dict[str, Type[Documented]]:
    import leaklint.rules as package

    found: Dict[str, Type[Documented]] = {}
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Documented)
                and value.__module__ == module.__name__
                and "code" in vars(value)
            ):
                if value.code in found:
                    raise RuntimeError(f"rule code {value.code} is defined twice")
                found[value.code] = value
    return dict(sorted(found.items()))


def all_rules() -> List[Type[Documented]]:
    """Every rule, sorted by code."""
    return list(_discover().values())


def rule_for_code(code: str) -> Type[Documented]:
    """The rule with this exact code (case-insensitive); KeyError if none."""
    return _discover()[code.upper()]


def rules_matching(query: str) -> List[Type[Documented]]:
    """The rules a user means by ``query``: an exact code or name
    (``LL303``, ``resource-discarded``), else every rule whose code starts
    with it (``LL3``), case-insensitive; empty if none."""
    rules = _discover()
    wanted = query.strip().lower()
    exact = [rule for rule in rules.values() if wanted in (rule.code.lower(), rule.name.lower())]
    return exact or [rule for code, rule in rules.items() if code.lower().startswith(wanted) and wanted]


def all_codes() -> List[str]:
    return list(_discover())
