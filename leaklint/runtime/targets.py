"""Find a watch target in the modules already imported, and measure it.

Nothing is imported and no code of the watched program runs: modules are
looked up in ``sys.modules`` by their file, attributes are read with
``inspect.getattr_static`` (no properties, no ``__getattr__``), sizes are
taken only of built-in containers and ``functools`` caches. Nothing is kept:
each sample finds the object again.
"""

from __future__ import annotations

import collections
import functools
import inspect
import os
import sys
import types
from typing import Any, Dict, Optional

from leaklint.watch import ATTRIBUTE, CACHE, DEFAULTS, LOGGERS, REGISTRY, WatchTarget

_MISSING = object()
# Containers whose len() is their own C code.
_SIZED = (dict, list, set, frozenset, collections.deque)


class LoadedModules:
    """The imported modules by their real file path, refreshed when
    ``sys.modules`` changes."""

    def __init__(self) -> None:
        self._count = -1
        self._by_path: Dict[str, types.ModuleType] = {}

    def module_of(self, path: str) -> Optional[types.ModuleType]:
        if len(sys.modules) != self._count:
            self._refresh()
        return self._by_path.get(os.path.realpath(path))

    def _refresh(self) -> None:
        by_path = {}
        for module in list(sys.modules.values()):
            filename = getattr(module, "__file__", None) if isinstance(module, types.ModuleType) else None
            if isinstance(filename, str):
                by_path[os.path.realpath(filename)] = module
        self._by_path = by_path
        self._count = len(sys.modules)


def measure(target: WatchTarget, module: types.ModuleType) -> Optional[int]:
    """The size of the target's object in ``module`` now, or None if it
    cannot be found or measured."""
    if target.kind == REGISTRY:
        return _registry_size(target.name)
    found = _lookup(module, target.name)
    if found is _MISSING:
        return None
    if target.kind == ATTRIBUTE:
        return _size(found)
    if target.kind == CACHE:
        return _cache_size(found)
    if target.kind == DEFAULTS and target.parameter is not None:
        return _size(_default(found, target.parameter))
    return None


def _registry_size(name: str) -> Optional[int]:
    """The interpreter's registries, from modules already imported."""
    logging = sys.modules.get("logging")
    if name == LOGGERS and logging is not None:
        return _size(logging.Logger.manager.loggerDict)
    return None


def _lookup(root: Any, dotted: str) -> Any:
    found = root
    for part in dotted.split("."):
        try:
            found = inspect.getattr_static(found, part)
        except AttributeError:
            return _MISSING
    return found


def _unwrap(value: Any) -> Any:
    """The function under ``staticmethod``/``classmethod``/``property``."""
    if isinstance(value, (staticmethod, classmethod)):
        return value.__func__
    if isinstance(value, property):
        return value.fget
    return value


def _size(value: Any) -> Optional[int]:
    return len(value) if isinstance(value, _SIZED) else None


def _cache_size(value: Any) -> Optional[int]:
    value = _unwrap(value)
    if isinstance(value, functools._lru_cache_wrapper):  # type: ignore[attr-defined]
        return value.cache_info().currsize
    return None


def _default(value: Any, parameter: str) -> Any:
    function = _unwrap(value)
    code = getattr(function, "__code__", None)
    if code is None:
        return _MISSING
    keyword_defaults = getattr(function, "__kwdefaults__", None) or {}
    if parameter in keyword_defaults:
        return keyword_defaults[parameter]
    defaults = getattr(function, "__defaults__", None) or ()
    positional = code.co_varnames[: code.co_argcount]
    with_default = positional[len(positional) - len(defaults):]
    if parameter in with_default:
        return defaults[with_default.index(parameter)]
    return _MISSING
