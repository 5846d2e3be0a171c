"""Per-class field metadata cached in a WeakKeyDictionary whose values (tuples of strings) do not refer back to the class, so entries vanish with their class."""
import dataclasses
import weakref

_FIELDS_CACHE = weakref.WeakKeyDictionary()


def field_names(cls):
    names = _FIELDS_CACHE.get(cls)
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(cls) if not f.name.startswith("_"))
        _FIELDS_CACHE[cls] = names
    return names


def as_row(obj):
    return tuple(getattr(obj, name) for name in field_names(type(obj)))


def make_record_type(name, columns):
    """Record types are built at run time for ad-hoc queries and dropped afterwards."""
    return dataclasses.make_dataclass(name, [(c, object) for c in columns])
