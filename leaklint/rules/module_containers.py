"""LL101 and LL102: module-level containers that only grow."""

from __future__ import annotations

import ast
from typing import Dict, Iterator, Mapping, Optional, Tuple

from leaklint.analysis.containers import (
    DEFINITION_PARAMETERS,
    Container,
    Growth,
    local_names,
    per_call_key,
    registers,
)
from leaklint.analysis.module_index import statements_before
from leaklint.analysis.names import ast_dotted_name
from leaklint.context import FileFacts
from leaklint.rule import CandidateRule

Findings = Dict[Tuple[int, int], Mapping[str, object]]


def _holds_instances(growth: Growth) -> bool:
    """``registry.append(self)`` is LL105's, ``tasks.add(create_task(...))`` LL109's."""
    value = growth.value
    if isinstance(value, ast.Call):
        callee = ast_dotted_name(value.func) or ""
        return callee.endswith(("create_task", "ensure_future"))
    return value is not None and getattr(value, "id", None) == "self"


def _first_runtime_growth(container: Container, cache: bool) -> Optional[Growth]:
    """The first growth on a call path; for a ``cache``, a write with a
    per-call key in a function that also looks entries up (a registry filled
    on request is not a cache)."""
    for growth in container.runtime_growths():
        if _holds_instances(growth):
            return None
        if (
            registers(growth.function)
            or _only_rewrites(container, growth)
            or _announces_once(container, growth)
            or _adds_a_fixed_member(container, growth)
            or _refuses_duplicates(container, growth)
        ):
            continue
        if cache and not (
            per_call_key(growth.key, growth.function) and id(growth.function) in container.looked_up_in
        ):
            continue
        return growth
    return None


def _membership_tests(container: Container, function: ast.AST) -> Iterator[Tuple[ast.Compare, ast.If]]:
    """``x in container`` / ``x not in container`` tests of ``if`` statements in ``function``."""
    for node in ast.walk(function):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Compare) and len(node.test.ops) == 1:
            test = node.test
            if isinstance(test.ops[0], (ast.In, ast.NotIn)) and ast_dotted_name(test.comparators[0]) == container.name:
                yield test, node


def _only_rewrites(container: Container, growth: Growth) -> bool:
    """``if key in table: table[key] = value`` replaces an entry, it adds none."""
    if growth.key is None or growth.function is None:
        return False
    key = ast.dump(growth.key)
    return any(
        isinstance(test.ops[0], ast.In)
        and ast.dump(test.left) == key
        and any(growth.node is n for statement in statement_if.body for n in ast.walk(statement))
        for test, statement_if in _membership_tests(container, growth.function)
    )


def _refuses_duplicates(container: Container, growth: Growth) -> bool:
    """``assert name not in table`` (or ``if name in table: raise``) at the
    top of a function that files a function or class under its name
    (``_exposed[name] = function``): a registry of definitions, each taken
    once, not a cache. A table of sessions refusing a duplicate id is still
    a table of sessions."""
    function, key = growth.function, growth.key
    if function is None or key is None or not _files_a_definition(growth):
        return False
    for statement in statements_before(function, growth.node):
        test = statement.test if isinstance(statement, (ast.Assert, ast.If)) else None
        refused = isinstance(statement, ast.Assert) or (
            isinstance(statement, ast.If) and isinstance(statement.body[0], ast.Raise)
        )
        if (
            refused
            and isinstance(test, ast.Compare)
            and len(test.ops) == 1
            and isinstance(test.ops[0], ast.NotIn if isinstance(statement, ast.Assert) else ast.In)
            and ast.dump(test.left) == ast.dump(key)
            and ast_dotted_name(test.comparators[0]) == container.name
        ):
            return True
    return False


def _files_a_definition(growth: Growth) -> bool:
    """The value written is a parameter named for a function or class
    (``function``, ``fn``, ``cls``...), or the key is its ``__name__``."""
    value, key = growth.value, growth.key
    if isinstance(value, ast.Name) and value.id in DEFINITION_PARAMETERS:
        return True
    return isinstance(key, ast.Attribute) and key.attr in ("__name__", "__qualname__")


def _adds_a_fixed_member(container: Container, growth: Growth) -> bool:
    """``RETRYABLE.add(Status.WARN)``: a set given a member of a class or a
    module constant holds it once, however often the call runs. Anything
    else the call reads (``request.remote_addr``, a thread-local, the
    exception it caught) may differ on every call."""
    if container.shape != "set" or growth.method not in ("add", "|=") or growth.function is None:
        return False
    value = growth.value
    if isinstance(value, ast.Set) and len(value.elts) == 1:
        value = value.elts[0]  # ``known |= {Status.WARN}``
    if isinstance(value, ast.Constant):
        return True
    if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name):
        root = value.value.id  # ``Status.WARN``: a class's member
    elif isinstance(value, ast.Name) and value.id.isupper():
        root = value.id  # ``DEFAULT_STATUS``: a module constant
    else:
        return False
    return root[:1].isupper() and root not in local_names(growth.function)


def _announces_once(container: Container, growth: Growth) -> bool:
    """A warn-once set: the function asks whether it has already warned of
    something, remembers it and warns. Bounded by the messages and code sites
    that warn, not by the traffic."""
    function = growth.function
    if function is None or growth.method not in ("add", "append"):
        return False
    if not any(True for _ in _membership_tests(container, function)):
        return False
    if "warn" in function.name.lower() or "deprecat" in function.name.lower():
        return True
    return any(
        isinstance(node, ast.Call) and "warn" in (ast_dotted_name(node.func) or "").rsplit(".", 1)[-1].lower()
        for node in ast.walk(function)
    )


class UnboundedModuleCache(CandidateRule):
    """
    ## What it finds
    A module-level dict (or `defaultdict`, `OrderedDict`, `Counter`) used as
    a cache: a function looks a key up in it and writes it with a key that
    changes from call to call, and nothing in the module ever evicts from
    it: no `pop`, `popitem`, `del`, `clear`, re-binding, or size check.
    Registries filled at import time or by `register()`-style functions are
    not caches.

    ## Why it leaks
    A module lives as long as the process. Every new key adds an entry that
    stays until the process exits, and so does everything the value refers
    to: a cache keyed by request, user or URL grows without end in a
    long-running service.

    ## Example
    ```python
    _responses = {}

    def fetch(url):
        if url not in _responses:
            _responses[url] = download(url)
        return _responses[url]
    ```

    ## Fix
    ```python
    import functools

    @functools.lru_cache(maxsize=1024)
    def fetch(url):
        return download(url)
    ```
    Or bound the dict yourself (`if len(_responses) > 1024: _responses.clear()`),
    or use `cachetools.LRUCache`/`TTLCache`; when the keys are objects, a
    `weakref.WeakKeyDictionary` lets entries go with them.
    """

    code = "LL101"
    checks_test_modules = False
    # Opt-in until precise: on three fresh corpora (7.5M lines) 17 of 92
    # findings were leaks; most keys come from a small fixed set (names from
    # configuration, schemas, plugins) that the source does not show.
    default_enabled = False
    name = "unbounded-module-cache"
    message = (
        "module-level {constructor} '{container}' caches an entry per distinct key {where}(line {line}) and "
        "nothing evicts them; bound it (functools.lru_cache, cachetools) or remove entries{hint}"
    )

    VALID = (
        "import functools\n@functools.lru_cache(maxsize=256)\ndef f(x): return x\n",
        "_cache = {}\ndef f(k):\n    if len(_cache) > 100:\n        _cache.clear()\n    _cache[k] = 1\n",
        "_registry = {}\ndef register(name):\n    def deco(fn):\n        _registry[name] = fn\n        return fn\n"
        "    return deco\n@register('a')\ndef a(): pass\n",
        "import weakref\n_cache = weakref.WeakValueDictionary()\ndef f(k, v):\n    _cache[k] = v\n",
        "_by_type = {}\ndef f(obj):\n    _by_type[type(obj)] = 1\n",
    )
    INVALID = (
        "_cache = {}  # expect: LL101\ndef get(url):\n    _cache[url] = url.upper()\n    return _cache[url]\n",
    )

    @classmethod
    def findings(cls, facts: FileFacts) -> Findings:
        found: Findings = {}
        for container in facts.containers.module.values():
            if container.shape != "mapping" or not container.unbounded:
                continue
            growth = _first_runtime_growth(container, cache=True)
            if growth is None:
                continue
            key = growth.key
            objects = key is not None and getattr(key, "id", None) in ("self", "obj", "instance")
            found[facts.place(container.binding)] = {
                "constructor": container.constructor,
                "container": container.display,
                "line": growth.node.lineno,
                "where": _where(growth, facts),
                "hint": "; keyed by objects, a weakref.WeakKeyDictionary lets entries go with them" if objects else "",
            }
        return found


class GrowingModuleContainer(CandidateRule):
    """
    ## What it finds
    A module-level list, set or `deque` without `maxlen` that functions add
    to (`append`, `extend`, `insert`, `add`, `update`, `+=`) and that nothing
    in the module ever takes anything out of: no `pop`, `remove`, `discard`,
    `clear`, `del`, re-binding or size check.

    ## Why it leaks
    Whatever is added stays reachable from the module, for the life of the
    process: a list of handled requests, seen ids or pending results grows by
    one entry per call, and keeps every object those entries refer to.

    ## Example
    ```python
    _history = []

    def handle(request):
        _history.append(request)
        return respond(request)
    ```

    ## Fix
    ```python
    import collections

    _history = collections.deque(maxlen=1000)

    def handle(request):
        _history.append(request)
        return respond(request)
    ```
    """

    code = "LL102"
    checks_test_modules = False
    # Opt-in until precise: on three fresh corpora (7.5M lines) 4 of 35
    # findings were leaks; most are filled at startup or registration in ways
    # the source does not show.
    default_enabled = False
    name = "growing-module-container"
    message = (
        "module-level {constructor} '{container}' grows on calls {where}(line {line}) and nothing empties it; "
        "bound it (collections.deque(maxlen=...)) or remove what is done with"
    )

    VALID = (
        "import collections\n_seen = collections.deque(maxlen=100)\ndef f(x):\n    _seen.append(x)\n",
        "_queue = []\ndef put(x):\n    _queue.append(x)\ndef work():\n    return _queue.pop(0)\n",
        "_hooks = []\n_hooks.append(print)\n",
        "_plugins = []\ndef plugin(fn):\n    _plugins.append(fn)\n    return fn\n@plugin\ndef a(): pass\n",
        "import enum\nclass Status(enum.Enum):\n    WARN = 1\n_retryable = set()\n"
        "def configure(strict):\n    if strict:\n        _retryable.add(Status.WARN)\n",
    )
    INVALID = (
        "_seen = []  # expect: LL102\ndef handle(request):\n    _seen.append(request)\n",
    )

    @classmethod
    def findings(cls, facts: FileFacts) -> Findings:
        found: Findings = {}
        for container in facts.containers.module.values():
            if container.shape not in ("sequence", "set") or not container.unbounded:
                continue
            growth = _first_runtime_growth(container, cache=False)
            if growth is None:
                continue
            found[facts.place(container.binding)] = {
                "constructor": container.constructor,
                "container": container.display,
                "line": growth.node.lineno,
                "where": _where(growth, facts),
            }
        return found


def _where(growth: Growth, facts: FileFacts) -> str:
    """``"in get_user() "``, ``"in Repo.get() "``: the function that grows the container."""
    function = growth.function
    if function is None:
        return ""
    owner = facts.index.class_of(function)
    return f"in {owner.name}.{function.name}() " if owner is not None else f"in {function.name}() "
