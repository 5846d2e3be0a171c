"""Watch targets: where the object a growth finding names lives at run time.

The static rules know which object would grow: a module's dict, a class's
list, a function's ``functools`` cache, a mutable default. A finding carries
that as a short spec (``Finding.watch``), and the run-time faces (the pytest
plugin) find the object in the module the tests have already imported, by
the finding's file, and measure it. Nothing here imports or runs anything.

| spec | the object | its size |
|---|---|---|
| ``attribute:_sessions``, ``attribute:Store.cache`` | a module global, a class attribute | ``len()`` |
| ``cache:lookup``, ``cache:Service.lookup`` | a function or method wrapped by ``functools.lru_cache``/``cache`` | ``cache_info().currsize`` |
| ``defaults:append:items`` | the default value of a parameter | ``len()`` |
| ``registry:loggers`` | ``logging``'s loggers (``Logger.manager.loggerDict``) | ``len()`` |

A registry is the interpreter's, not the module's: it is measured once the
finding's module is loaded, and grows with any code that adds to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Optional

ATTRIBUTE = "attribute"
CACHE = "cache"
DEFAULTS = "defaults"
REGISTRY = "registry"
KINDS = (ATTRIBUTE, CACHE, DEFAULTS, REGISTRY)
LOGGERS = "loggers"


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
        if parts[0] in (ATTRIBUTE, CACHE, REGISTRY) and len(parts) == 2:
            return cls(parts[0], parts[1])
        return None

    def as_dict(self) -> Dict[str, Optional[str]]:
        """For ``--format json`` and the API."""
        return {"kind": self.kind, "name": self.name, "parameter": self.parameter}


def attribute(name: str) -> str:
    return str(WatchTarget(ATTRIBUTE, name))


def cache(qualified_name: str) -> str:
    return str(WatchTarget(CACHE, qualified_name))


def defaults(function: str, parameter: str) -> str:
    return str(WatchTarget(DEFAULTS, function, parameter))


def registry(name: str) -> str:
    return str(WatchTarget(REGISTRY, name))
