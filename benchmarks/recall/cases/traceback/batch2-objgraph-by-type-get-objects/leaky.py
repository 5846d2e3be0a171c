"""Object-graph helpers for hunting memory leaks."""
import gc
from collections import Counter


def _short_typename(obj) -> str:
    return type(obj).__name__


def _long_typename(obj) -> str:
    objtype = type(obj)
    module = getattr(objtype, "__module__", None)
    return objtype.__name__ if module in (None, "builtins") else f"{module}.{objtype.__name__}"


def by_type(typename: str, objects=None) -> list:
    """Return the objects tracked by the collector whose type is ``typename``."""
    if objects is None:
        objects = gc.get_objects()  # leak
    if "." in typename:
        return [o for o in objects if _long_typename(o) == typename]
    return [o for o in objects if _short_typename(o) == typename]


def typestats(objects=None, shortnames: bool = True) -> dict:
    """Count tracked objects per type name."""
    if objects is None:
        objects = gc.get_objects()  # leak
    typename = _short_typename if shortnames else _long_typename
    return dict(Counter(typename(o) for o in objects))
