"""Watch targets: where the object a growth finding names lives at run time.

The static rules know which object would grow: a module's dict, a class's
list, a function's ``functools`` cache, a mutable default, the instances of
a class that something keeps alive. A finding carries that as a short spec
(``Finding.watch``), and the run-time faces (``pytest --leaklint``,
``leaklint run``) find the object in the module the program has already
imported, by the finding's file, and measure it. Nothing here imports or
runs anything.

| spec | the object | its size |
|---|---|---|
| ``attribute:_sessions``, ``attribute:Store.cache`` | a module global, a class attribute | ``len()`` |
| ``cache:lookup``, ``cache:Service.lookup`` | a function or method wrapped by ``functools.lru_cache``/``cache`` | ``cache_info().currsize`` |
| ``defaults:append:items`` | the default value of a parameter | ``len()`` |
| ``instances:Session`` | the live instances of a class (and its subclasses) | how many |
| ``instance-attribute:Worker.errors`` | a container each instance keeps in its ``__dict__`` | ``len()``, summed over the instances |
| ``registry:loggers`` | ``logging``'s loggers (``Logger.manager.loggerDict``) | ``len()`` |
| ``registry:handlers`` | the handlers and filters of every logger | how many |
| ``registry:atexit`` | the functions ``atexit`` will call | how many |
| ``registry:warning-filters`` | ``warnings.filters`` | ``len()`` |

A registry is the interpreter's, not the module's: it is measured once the
finding's module is loaded, and grows with any code that adds to it.
Instances are counted by walking the heap (``gc.get_objects()``), so less
often than the rest (``leaklint.runtime.targets.Census``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import AbstractSet, Dict, Optional

ATTRIBUTE = "attribute"
CACHE = "cache"
DEFAULTS = "defaults"
INSTANCES = "instances"
INSTANCE_ATTRIBUTE = "instance-attribute"
REGISTRY = "registry"
KINDS = (ATTRIBUTE, CACHE, DEFAULTS, INSTANCES, INSTANCE_ATTRIBUTE, REGISTRY)
# Kinds measured by a walk over the heap.
CENSUS_KINDS = (INSTANCES, INSTANCE_ATTRIBUTE)

LOGGERS = "loggers"
HANDLERS = "handlers"
ATEXIT = "atexit"
WARNING_FILTERS = "warning-filters"


@dataclass(frozen=True)
class WatchTarget:
    kind: str
    name: str  # a dotted path inside the module: "_cache", "Store.cache", "Service.lookup"
    parameter: Optional[str] = None  # for DEFAULTS

    def __str__(self) -> str:
        parts = [self.kind, self.name] + ([self.parameter] if self.parameter else [])
        return ":".join(parts)

    @classmethod
    def parse(cls, spec: Optional[str]) -> Optional["WatchTarget"]:
        """The target a spec names, or None for None or a spec this version does not know."""
        if not spec:
            return None
        parts = spec.split(":")
        if parts[0] == DEFAULTS and len(parts) == 3:
            return cls(DEFAULTS, parts[1], parts[2])
        if parts[0] in KINDS and parts[0] != DEFAULTS and len(parts) == 2:
            return cls(parts[0], parts[1])
        return None

    @property
    def needs_census(self) -> bool:
        return self.kind in CENSUS_KINDS

    def as_dict(self) -> Dict[str, Optional[str]]:
        """For ``--format json`` and the API."""
        return {"kind": self.kind, "name": self.name, "parameter": self.parameter}


def attribute(name: str) -> str:
    return str(WatchTarget(ATTRIBUTE, name))


def cache(qualified_name: str) -> str:
    return str(WatchTarget(CACHE, qualified_name))


def defaults(function: str, parameter: str) -> str:
    return str(WatchTarget(DEFAULTS, function, parameter))


def instances(class_name: str) -> str:
    return str(WatchTarget(INSTANCES, class_name))


def registry(name: str) -> str:
    return str(WatchTarget(REGISTRY, name))


def container(dotted: str, owner: Optional[str], module_names: AbstractSet[str]) -> Optional[str]:
    """The target of a container a finding names by its dotted name:
    ``self.tasks`` (an instance's, ``owner`` being its class as the module
    names it), ``cls.tasks`` or ``Cls.tasks`` (a class's), ``_tasks`` (the
    module's); None for anything else (``self.server.tasks``, a local)."""
    parts = dotted.split(".")
    if len(parts) == 2 and parts[0] == "self":
        return str(WatchTarget(INSTANCE_ATTRIBUTE, f"{owner}.{parts[1]}")) if owner else None
    if len(parts) == 2 and parts[0] == "cls":
        return attribute(f"{owner}.{parts[1]}") if owner else None
    if parts[0] in module_names and len(parts) <= 2:
        return attribute(dotted)
    return None
