"""Containers and what their methods do to them."""

from __future__ import annotations

from typing import Mapping

# Qualified constructor -> shape ("mapping", "sequence", "set", or "weak",
# which holds nothing alive and never counts as growing).
CONTAINER_CONSTRUCTORS: Mapping[str, str] = {
    "builtins.dict": "mapping",
    "builtins.list": "sequence",
    "builtins.set": "set",
    "collections.defaultdict": "mapping",
    "collections.OrderedDict": "mapping",
    "collections.Counter": "mapping",
    "collections.deque": "sequence",
    "typing.OrderedDict": "mapping",
    "weakref.WeakValueDictionary": "weak",
    "weakref.WeakKeyDictionary": "weak",
    "weakref.WeakSet": "weak",
}

GROWING_METHODS = frozenset(
    {"append", "appendleft", "extend", "extendleft", "insert", "add", "update", "setdefault", "__setitem__"}
)
# Methods that put their argument into the container (queues' ``put`` too).
STORING_METHODS = GROWING_METHODS | frozenset({"put", "put_nowait"})
SHRINKING_METHODS = frozenset({"pop", "popitem", "popleft", "clear", "discard", "remove", "__delitem__"})

# Calls that read a container and keep no reference to it.
READERS = frozenset(
    {
        "builtins.len",
        "builtins.list",
        "builtins.tuple",
        "builtins.sorted",
        "builtins.set",
        "builtins.frozenset",
        "builtins.dict",
        "builtins.iter",
        "builtins.enumerate",
        "builtins.reversed",
        "builtins.isinstance",
        "builtins.print",
        "builtins.repr",
        "builtins.str",
        "builtins.any",
        "builtins.all",
        "builtins.sum",
        "builtins.min",
        "builtins.max",
        "builtins.bool",
        "builtins.id",
        "builtins.zip",
        "builtins.map",
        "builtins.filter",
        "json.dumps",
        "copy.copy",
        "copy.deepcopy",
    }
)

# Methods of a list or deque that only read it.
READ_METHODS = frozenset({"index", "count", "copy"})

# Methods that put one entry into a set, list or deque.
ADDING_METHODS = frozenset({"add", "append", "appendleft"})
# Methods (and ``heapq.heappop``) that take an entry out and hand it back.
TAKING_METHODS = frozenset({"pop", "popleft", "heappop", "popitem"})
# Methods that take entries out of a set, list, deque or dict.
REMOVING_METHODS = frozenset({"discard", "remove", "pop", "popleft", "popitem", "clear"})

# Exceptions that end iteration over something finite, not a failure (as
# written or by qualified name): an iterator, a file, a list, a dict or a
# queue run out.
END_OF_ITERATION = frozenset(
    {"StopIteration", "StopAsyncIteration", "EOFError", "IndexError", "KeyError", "queue.Empty", "Empty"}
)
