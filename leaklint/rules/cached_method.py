"""LL104: a memoizing decorator on an instance method."""

from __future__ import annotations

from typing import FrozenSet, Optional

from leaklint.syntax.lazy import libcst as cst

from leaklint.analysis.repeated_instances import made_in_loops
from leaklint.analysis.scopes import owning_class
from leaklint.analysis.singletons import kept_until_exit, singleton_by_base
from leaklint.catalog.caches import (
    ABSTRACT_METHODS,
    IMMORTAL_INSTANCE_BASES,
    IMPLICIT_NON_INSTANCE_METHODS,
    MEMOIZERS,
    NOT_INSTANCE_METHODS,
)
import leaklint.watch as watch
from leaklint.fixers.bounded_cache import bounded_cache_fix
from leaklint.core.rule import Rule


class CachedInstanceMethod(Rule):
    """
    ## What it finds
    An unbounded memoizing decorator on an instance method: `functools.cache`,
    `functools.lru_cache(maxsize=None)` in any spelling or alias, the same
    with `maxsize=None` from `async_lru` or `cachetools.func` (unless its
    entries expire: `ttl_cache`, a `ttl=`), or `cachetools.cached` with a
    plain dict and keyed on `self`, on a sync or async method; or a bounded
    one (`lru_cache(maxsize=128)`) on a class the module makes on every pass
    of a loop.

    ## Limitations
    Not reported: static, class and abstract methods, `__new__`, and methods
    of objects that live for the whole process anyway: enum members,
    loggers, classes the module itself makes once (at import, or a private
    class made into a global), classes a framework makes once per process
    (traitlets applications and singletons, IPython magics) and plugins
    (classes derived from a base named `...Plugin` or `...Addon`: a plugin
    loader makes one of each), or whose `__init__` registers a bound method
    with `atexit` (kept until exit anyway). Nor is a cache the module
    empties with `cache_clear()`.

    A bounded cache (`lru_cache()`, `lru_cache(maxsize=128)`) keeps at most
    that many instances past their time, which delays their collection but
    does not grow (pylint's `method-cache-max-size-none` draws the same line;
    flake8-bugbear's B019 reports both). It is reported only when the module
    makes the class on every pass of a loop (`for inst in instances: client
    = Client(inst)`): then each pass drops an object that the cache keeps, up
    to its size, with everything it holds. A cache of one entry is a single
    slot, never reported.

    ## Why it leaks
    The cache belongs to the function, which lives as long as the class, and
    its keys include `self`. Every instance the method was called on stays
    reachable from the cache, with everything it references; with `cache` or
    `lru_cache(maxsize=None)` no entry is ever evicted.

    ## Example
    ```python
    import functools

    class Report:
        @functools.lru_cache(maxsize=None)
        def totals(self):
            return sum(row.amount for row in self.rows)
    ```

    ## Fix
    Cache on the instance, so the cache dies with it: `functools.cached_property`
    for methods without arguments, or a dictionary attribute set in `__init__`.
    Or move the computation to a module-level function of hashable values.
    ```python
    import functools

    class Report:
        @functools.cached_property
        def totals(self):
            return sum(row.amount for row in self.rows)
    ```
    `leaklint --fix --unsafe-fixes` only bounds an unbounded `functools`
    cache to 128 entries, which caps how many instances it keeps alive
    without freeing them sooner; moving the cache onto the instance changes
    how the method is called, so that is left to you. Unsafe for the reasons
    LL103 gives.
    """

    code = "LL104"
    summary_text = "An unbounded memoizing decorator on a method: the cache keeps every `self`"
    checks_test_modules = False
    # Opt-in. Its claim is true of every instance the method is called on, but whether that
    # is a leak depends on how many instances a process makes, which the file rarely shows:
    # on five fresh corpora (36M lines) 13 of the 45 findings judged were leaks (H, I, J:
    # 11/27; K: 1/10; L: 1/8, beside 42 more of meson's, whose objects live for the whole
    # one-shot run). flake8-bugbear's B019 and pylint's W1518 report the decorator for those
    # who want it (benchmarks/precision/2026-12-06.md and 2026-12-06-K-Q.md).
    default_enabled = False
    name = "cached-instance-method"
    message = (
        "{bound} {decorator} on method '{method}' keeps {kept} alive; "
        "use functools.cached_property or a cache stored on the instance"
    )
    triggers = frozenset({"cache", "lru_cache", "alru_cache", "cached", "ttl_cache", "lfu_cache",
                          "fifo_cache", "rr_cache", "mru_cache"})

    VALID = (
        "import functools\n@functools.lru_cache\ndef f(x): return x\n",
        "from functools import cache\nclass A:\n    @staticmethod\n    @cache\n    def f(x): return x\n",
        "from functools import cache\nclass A:\n    @classmethod\n    @cache\n    def f(cls, x): return x\n",
        "import enum, functools\nclass Color(enum.Enum):\n    RED = 1\n"
        "    @functools.cache\n    def label(self): return self.name.title()\n",
        "def cache(f): return f\nclass A:\n    @cache\n    def f(self): return 1\n",
        "import functools\nclass A:\n    @functools.cached_property\n    def f(self): return 1\n",
        "import cachetools\nclass A:\n    @cachetools.cached({}, key=lambda self, x: x)\n"
        "    def f(self, x): return x\n",
        "import functools\nclass A:\n    @functools.lru_cache(maxsize=64)\n    def f(self, x): return x\n",
        "import functools\nclass A:\n    @functools.lru_cache(maxsize=1)\n    def f(self): return 1\n"
        "for i in range(9):\n    A().f()\n",
        "from cachetools.func import ttl_cache\nclass A:\n    @ttl_cache(maxsize=None, ttl=10)\n"
        "    def f(self): return 1\n",
    )
    INVALID = (
        "import functools\nclass A:\n    @functools.lru_cache(maxsize=None)  # expect: LL104\n"
        "    def f(self, x): return x\n",
        "from functools import lru_cache as memo\nclass A:\n    @memo(None)  # expect: LL104\n"
        "    def f(self): return 1\n",
        "from functools import cache\nclass A:\n    @property\n    @cache  # expect: LL104\n"
        "    def f(self): return 1\n",
        "from async_lru import alru_cache\nclass A:\n    @alru_cache(maxsize=None)  # expect: LL104\n"
        "    async def f(self): return 1\n",
        "import functools\nclass A:\n    @functools.lru_cache(maxsize=64)  # expect: LL104\n"
        "    def f(self, x): return x\nfor i in range(9):\n    A().f(i)\n",
    )

    _loop_made: Optional[FrozenSet[str]] = None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if not node.decorators or not (node.params.posonly_params or node.params.params):
            return
        if node.name.value in IMPLICIT_NON_INSTANCE_METHODS:
            return
        cls = owning_class(self.context.ancestors)
        if cls is None:
            return
        memoizer: Optional[cst.Decorator] = None
        memoizer_name = ""
        for decorator in node.decorators:
            expression = decorator.decorator
            call = expression if isinstance(expression, cst.Call) else None
            qualified = self.context.qualified_name(call.func if call else expression)
            if qualified in NOT_INSTANCE_METHODS or qualified in ABSTRACT_METHODS:
                return  # no instance passed, or a body subclasses replace: the cache never fills
            if qualified in MEMOIZERS and not (qualified == "cachetools.cached" and _has_key(call)):
                memoizer, memoizer_name = decorator, qualified
        if memoizer is None or self._not_per_instance(cls, node.name.value):
            return
        kept = _instances_kept(memoizer_name, memoizer)
        if kept is None or (kept != _EVERY_INSTANCE and cls.name.value not in self._made_in_loops()):
            # A bounded cache holds dead objects only once more of them were made than it
            # keeps: shown by the class made on every pass of a loop (a client per item).
            return
        method = node.name.value
        if {f"self.{method}", f"cls.{method}", f"{cls.name.value}.{method}"} & self.context.facts.cleared_caches:
            return  # emptied on demand
        if self._lives_for_the_process(cls):
            return
        bound = "unbounded" if kept == _EVERY_INSTANCE else "bounded"
        # A class of the module's top level can be found again at run time.
        top_level = len(self.context.ancestors) > 1 and self.context.ancestors[1] is cls
        self.report(
            memoizer,
            watch=watch.cache(f"{cls.name.value}.{method}") if top_level else None,
            fix=bounded_cache_fix(memoizer.decorator, self.context.qualified_name, self.context.facts.tree)
            if kept == _EVERY_INSTANCE
            else None,
            bound=bound,
            decorator=memoizer_name,
            method=f"{cls.name.value}.{method}",
            kept=kept,
        )

    def _made_in_loops(self) -> FrozenSet[str]:
        if self._loop_made is None:
            self._loop_made = made_in_loops(self.context.facts.tree)
        return self._loop_made

    def _not_per_instance(self, cls: cst.ClassDef, method: str) -> bool:
        """A cache that does not hold instances made and dropped over time:
        the method re-bound in the class body (``f = classmethod(f)``), or a
        class the module itself instantiates as constants or a singleton."""
        for statement in cls.body.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.Assign) and any(
                        isinstance(t.target, cst.Name) and t.target.value == method for t in small.targets
                    ):
                        return True
        return cls.name.value in self.context.facts.made_once

    def _lives_for_the_process(self, cls: cst.ClassDef) -> bool:
        """Enum members, loggers: immortal; a framework's singletons, plugins
        and objects registered with atexit from ``__init__``: kept until exit
        (``analysis.singletons``)."""
        # The class's own bases are resolved in the scope around the class.
        ancestors = self.context.ancestors
        depth = max(i for i, node in enumerate(ancestors) if node is cls)
        outer = ancestors[: depth + 1]
        for base in cls.bases:
            if self.context.names.qualified_name(base.value, outer) in IMMORTAL_INSTANCE_BASES:
                return True
        facts = self.context.facts
        same_name = [node for node in facts.index.classes if node.name == cls.name.value]
        index, names = facts.index, facts.names
        return bool(same_name) and all(
            singleton_by_base(node, index, names) or kept_until_exit(node, index, names, facts.text) for node in same_name
        )


_EVERY_INSTANCE = "every instance it is called on"
# The size lru_cache and its relatives default to.
_DEFAULT_MAXSIZE = 128


def _instances_kept(memoizer: str, decorator: cst.Decorator) -> Optional[str]:
    """How many instances the cache keeps: every one (``functools.cache``,
    ``maxsize=None`` as first positional or keyword, ``cachetools.cached``
    over a plain dict), up to ``maxsize`` (bare ``lru_cache`` and its
    relatives hold 128); None when it keeps none past their time: entries
    that expire, a cache of one entry (a single slot), or a store of the
    caller's own (``cachetools.cached(cache)``)."""
    if memoizer == "functools.cache":
        return _EVERY_INSTANCE
    if memoizer == "cachetools.func.ttl_cache" or _has_ttl(decorator):
        return None  # entries expire: it holds what was used in the last ``ttl`` seconds
    call = decorator.decorator
    if memoizer == "cachetools.cached":
        if not isinstance(call, cst.Call):
            return None
        store = next((a.value for a in call.args if a.keyword is None or a.keyword.value == "cache"), None)
        unbounded = isinstance(store, cst.Dict) or (
            isinstance(store, cst.Call) and isinstance(store.func, cst.Name) and store.func.value == "dict"
        )
        return _EVERY_INSTANCE if unbounded else None
    size: Optional[cst.BaseExpression] = None
    for position, arg in enumerate(call.args if isinstance(call, cst.Call) else ()):
        if (arg.keyword is None and position == 0) or (arg.keyword is not None and arg.keyword.value == "maxsize"):
            size = arg.value
    if isinstance(size, cst.Name) and size.value == "None":
        return _EVERY_INSTANCE
    if size is None or (isinstance(call, cst.Call) and isinstance(size, cst.Name) and size.value in ("True", "False")):
        return f"up to {_DEFAULT_MAXSIZE} of the instances it is called on"
    if isinstance(size, cst.Integer):
        count = int(size.value.replace("_", ""), 0)
        return None if count <= 1 else f"up to {count} of the instances it is called on"
    return "up to maxsize of the instances it is called on"


def _has_key(call: Optional[cst.Call]) -> bool:
    return call is not None and any(arg.keyword and arg.keyword.value == "key" for arg in call.args)


def _has_ttl(decorator: cst.Decorator) -> bool:
    """``alru_cache(maxsize=None, ttl=10)``: entries expire."""
    call = decorator.decorator
    return isinstance(call, cst.Call) and any(
        arg.keyword is not None and arg.keyword.value == "ttl"
        and not (isinstance(arg.value, cst.Name) and arg.value.value == "None")
        for arg in call.args
    )
