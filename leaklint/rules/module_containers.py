"""LL101 and LL102: module-level containers that only grow."""

from __future__ import annotations

import ast
from typing import Dict, Iterator, Optional, Tuple

from leaklint.analysis.containers import (
    DEFINITION_PARAMETERS,
    Container,
    Growth,
    local_names,
    per_call_key,
    registers,
)
from leaklint.analysis.companions import forgotten_entries
from leaklint.analysis.module_index import FUNCTIONS, Function, statements_before
from leaklint.analysis.names import ast_dotted_name
from leaklint.core.context import FileFacts, Findings, ast_position
from leaklint.core.rule import WATCH_FIELD, CandidateRule



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
        if cache and growth.deferred and not _holds_what_was_passed(growth):
            continue
        return growth
    return None


def _holds_what_was_passed(growth: Growth) -> bool:
    """A wrapper's or closure's key holds what its caller passed: a
    parameter, whole or sliced (``cache[args]``, ``(self, func, args)``,
    ``args[:n]``), not a value read from it (``compressor.cachekey``):
    a memoizer keyed so keeps every argument alive, and as many entries as
    there were calls with new objects."""
    function = growth.function
    key = growth.key
    if function is None or key is None:
        return False
    function = _innermost(function, growth.node)
    parameters = {arg.arg for arg in ast.walk(function.args) if isinstance(arg, ast.arg)} - {"cls"}
    aliases: Dict[str, ast.expr] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            aliases.setdefault(node.targets[0].id, node.value)

    def holds(expression: ast.expr, seen: int) -> bool:
        if isinstance(expression, ast.Name):
            if expression.id in parameters:
                return True
            alias = aliases.get(expression.id)
            return alias is not None and seen < 4 and holds(alias, seen + 1)
        if isinstance(expression, (ast.Tuple, ast.List)):
            return any(holds(element, seen) for element in expression.elts)
        if isinstance(expression, ast.Subscript):
            return holds(expression.value, seen)
        if isinstance(expression, ast.Starred):
            return holds(expression.value, seen)
        return False

    return holds(key, 0)


def _read_from_a_passed_object(growth: Growth) -> bool:
    """The key carries a value read from an object the call was given
    (``(self.name, settings.registry_key)``): one entry per such object
    ever seen. A class's cache keyed by the argument itself (a prefix
    length, a dtype, an errno) takes few values, as many as the callers use."""
    function, key = growth.function, growth.key
    if function is None or key is None:
        return False
    parameters = {arg.arg for arg in ast.walk(function.args) if isinstance(arg, ast.arg)} - {"self", "cls"}
    aliases: Dict[str, ast.expr] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            aliases.setdefault(node.targets[0].id, node.value)
    pending, seen = [key], 0
    while pending and seen < 8:
        seen += 1
        expression = pending.pop()
        for node in ast.walk(expression):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in parameters:
                return True
            if isinstance(node, ast.Name) and node.id in aliases:
                pending.append(aliases.pop(node.id))  # ``key = (...)``: what it was bound to
    return False


def _innermost(function: Function, node: ast.AST) -> Function:
    for child in ast.walk(function):
        if child is not function and isinstance(child, FUNCTIONS):
            if any(part is node for part in ast.walk(child)):
                return _innermost(child, node)
    return function


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
    A module-level or class-level dict (or `defaultdict`, `OrderedDict`,
    `Counter`) used as a cache: a function looks a key up in it and writes
    it with a key that changes from call to call (for a class-level dict, a
    key carrying a value read from an object the call was given, such as
    `settings.registry_key`), and nothing in the module
    ever evicts from it: no `pop`, `popitem`, `del`, `clear`, re-binding, or
    size check. A `del cache[key]` that only drops the entry the same
    function writes again (an expired hit) evicts nothing that is not asked
    for again. Registries filled at import time or by `register()`-style
    functions are not caches.

    Memoizers count too: a decorator's wrapper writing such a dict, a dict
    handed to a memoizing function of the module (`f = memoize(f, _cache)`),
    and a decorator's own local dict that the wrapper it returns keeps
    (`def memoize(f): cache = {}; ...; return wrapper`), when the key holds
    the call's arguments themselves (`cache[args]`, `(self, func, args)`);
    so does a dict local to an app factory that the handlers it registers
    (`@app.post(...)`) fill.

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
    summary_text = "A module- or class-level dict used as a cache that nothing ever evicts from"
    checks_test_modules = False
    # Opt-in until precise: on three fresh corpora (7.5M lines) 17 of 92
    # findings were leaks; most keys come from a small fixed set (names from
    # configuration, schemas, plugins) that the source does not show.
    default_enabled = False
    name = "unbounded-module-cache"
    message = (
        "{scope}{constructor} '{container}' caches an entry per distinct key {where}(line {line}) and "
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
        containers = facts.containers
        for container in (*containers.module.values(), *containers.attributes.values(), *containers.enclosed):
            if container.shape != "mapping" or not container.unbounded:
                continue
            growth = _first_runtime_growth(container, cache=True)
            if growth is None:
                continue
            if container.owner is not None and not _read_from_a_passed_object(growth):
                continue  # ``cls._netmask_cache[prefixlen]``: most class caches take a few values
            key = growth.key
            objects = key is not None and getattr(key, "id", None) in ("self", "obj", "instance")
            found[facts.place(container.binding)] = {
                "scope": container.where_bound,
                "constructor": container.constructor,
                "container": container.display,
                "line": ast_position(growth.node)[0],
                "where": _where(growth, facts),
                "hint": "; keyed by objects, a weakref.WeakKeyDictionary lets entries go with them" if objects else "",
                WATCH_FIELD: container.watch,
            }
        return found


class GrowingModuleContainer(CandidateRule):
    """
    ## What it finds
    A module-level list, set or `deque` without `maxlen` that functions add
    to (`append`, `extend`, `insert`, `add`, `update`, `+=`) and that nothing
    in the module ever takes anything out of: no `pop`, `remove`, `discard`,
    `clear`, `del`, re-binding or size check. Growth in the wrapper a
    decorator returns runs on every call; so does growth of a list local to
    a decorator or an app factory by the wrapper it returns or the handlers
    it registers (`@app.post(...)`).

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
    summary_text = "A module-level list, set or deque that functions add to and nothing empties"
    checks_test_modules = False
    # Opt-in until precise: on three fresh corpora (7.5M lines) 4 of 35
    # findings were leaks; most are filled at startup or registration in ways
    # the source does not show.
    default_enabled = False
    name = "growing-module-container"
    message = "{what}; {fix}"

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
        for container in (*facts.containers.module.values(), *facts.containers.enclosed):
            if container.shape not in ("sequence", "set") or not container.unbounded:
                continue
            growth = _first_runtime_growth(container, cache=False)
            if growth is None:
                continue
            found[facts.place(container.binding)] = {
                "what": f"{container.where_bound}{container.constructor} '{container.display}' grows on calls "
                f"{_where(growth, facts)}(line {ast_position(growth.node)[0]}) and nothing empties it",
                "fix": "bound it (collections.deque(maxlen=...)) or remove what is done with",
                WATCH_FIELD: container.watch,
            }
        if "self." in facts.text:
            for entry in forgotten_entries(facts.tree):
                owner = facts.index.class_of(entry.forgetting)
                method = f"{owner.name}.{entry.forgetting.name}" if owner is not None else entry.forgetting.name
                found[facts.place(entry.addition)] = {
                    "what": f"what is added to 'self.{entry.kept_in}' goes into 'self.{entry.companion}' too, "
                    f"and leaves 'self.{entry.kept_in}' only when taken out of 'self.{entry.companion}' "
                    f"one way; {method}() takes it out another way and leaves it here",
                    "fix": f"remove it from 'self.{entry.kept_in}' there too",
                }
        return found


def _where(growth: Growth, facts: FileFacts) -> str:
    """``"in get_user() "``, ``"in Repo.get() "``: the function that grows the container."""
    function = growth.function
    if function is None:
        return ""
    owner = facts.index.class_of(function)
    return f"in {owner.name}.{function.name}() " if owner is not None else f"in {function.name}() "

