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
import gc
import inspect
import os
import sys
import types
from typing import Any, Dict, Iterable, List, Optional, Tuple

from leaklint.watch import (
    ATEXIT,
    ATTRIBUTE,
    CACHE,
    DEFAULTS,
    HANDLERS,
    INSTANCE_ATTRIBUTE,
    INSTANCES,
    LOGGERS,
    REGISTRY,
    WARNING_FILTERS,
    WatchTarget,
)

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
    if name == ATEXIT:
        import atexit  # built in: importing it runs nothing

        return atexit._ncallbacks()
    if name == WARNING_FILTERS:
        warnings = sys.modules.get("warnings")
        return _size(getattr(warnings, "filters", None))
    logging = sys.modules.get("logging")
    if logging is None:
        return None
    if name == LOGGERS:
        return _size(logging.Logger.manager.loggerDict)
    if name == HANDLERS:
        loggers = [logging.root, *logging.Logger.manager.loggerDict.values()]
        return sum(
            len(logger.handlers) + len(logger.filters) for logger in loggers if isinstance(logger, logging.Logger)
        )
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
    if isinstance(value, functools._lru_cache_wrapper):
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


class Census:
    """Counts, in one walk over the heap, the live instances of the classes
    that ``instances`` and ``instance-attribute`` targets name, and the
    entries of the named containers in their ``__dict__``.

    The walk costs about 0.1 µs per object the collector tracks (40 ms for
    400,000), so it is taken only when the time since the last one is at
    least ``1 / budget`` times what the last one cost: at most ``budget`` of
    the run. The heap is not collected first: that would run finalizers
    earlier than the program does. Nothing found is kept.
    """

    budget = 0.05

    def __init__(self) -> None:
        self.cost = 0.0  # seconds the last walk took
        self.last = float("-inf")  # when it ended (time.perf_counter())

    def due(self, now: float) -> bool:
        return now - self.last >= self.cost / self.budget

    def take(self, wanted: Iterable[Tuple[WatchTarget, type]], now_function: Any) -> List[Optional[int]]:
        """For each (target, class), the target's size now, in order."""
        start = now_function()
        wanted = list(wanted)
        classes = {cls for _, cls in wanted}
        attributes = {(cls, target.name.rsplit(".", 1)[-1]) for target, cls in wanted if target.kind == INSTANCE_ATTRIBUTE}
        counted: Dict[type, int] = dict.fromkeys(classes, 0)
        entries: Dict[Tuple[type, str], int] = dict.fromkeys(attributes, 0)
        # Each type of the heap is looked up once: which watched classes it is.
        matches: Dict[type, Tuple[type, ...]] = {}
        objects = gc.get_objects()
        try:
            counts = collections.Counter(map(type, objects))
            for kind, number in counts.items():
                matches[kind] = tuple(cls for cls in classes if _is_subclass(kind, cls))
                for cls in matches[kind]:
                    counted[cls] += number
            if attributes:
                for candidate in objects:
                    for cls in matches.get(type(candidate), ()):
                        for key in attributes:
                            if key[0] is cls:
                                entries[key] += _instance_entries(candidate, key[1])
        finally:
            del objects
        self.last = now_function()
        self.cost = self.last - start
        return [
            counted[cls] if target.kind == INSTANCES else entries[(cls, target.name.rsplit(".", 1)[-1])]
            for target, cls in wanted
        ]


def census_class(target: WatchTarget, module: types.ModuleType) -> Optional[type]:
    """The class a census target counts, if the module has it."""
    name = target.name if target.kind == INSTANCES else target.name.rsplit(".", 1)[0]
    found = _lookup(module, name)
    return found if isinstance(found, type) else None


def _is_subclass(kind: type, cls: type) -> bool:
    try:
        return cls in kind.__mro__
    except Exception:  # a metaclass that makes ``__mro__`` fail
        return False


def _instance_entries(instance: Any, attribute: str) -> int:
    """The entries of a container in the instance's own ``__dict__`` (no
    properties, no ``__getattr__``), or 0."""
    try:
        namespace = object.__getattribute__(instance, "__dict__")
    except AttributeError:
        return 0
    value = namespace.get(attribute) if isinstance(namespace, dict) else None
    return len(value) if isinstance(value, _SIZED) else 0
