"""LL103: an unbounded memoizing cache on a module-level function."""

from __future__ import annotations

from typing import Optional

from leaklint.syntax.lazy import libcst as cst

import leaklint.watch as watch
from leaklint.catalog.caches import BOUNDED_ANNOTATIONS, UNBOUNDED_MEMOIZERS
from leaklint.fixers.bounded_cache import bounded_cache_fix
from leaklint.core.rule import Rule


class UnboundedFunctionCache(Rule):
    """
    ## What it finds
    `functools.cache`, or `functools.lru_cache(maxsize=None)`, on a
    module-level function that takes arguments other than `bool`s,
    `Literal[...]` values or classes (`type[...]`), and whose `cache_clear()`
    the module never calls: every distinct argument adds an entry that is
    never evicted. Off by default: many such caches are keyed by a small set
    of values that the source does not show.

    ## Why it leaks
    The cache lives as long as the module, and keeps every argument and
    every result it has seen. Keyed by request data, paths or objects, it
    grows for the life of the process.

    ## Example
    ```python
    import functools

    @functools.cache
    def render(template_text, user_name):
        return template_text.format(user=user_name)
    ```

    ## Fix
    ```python
    import functools

    @functools.lru_cache(maxsize=1024)
    def render(template_text, user_name):
        return template_text.format(user=user_name)
    ```
    `leaklint --fix --unsafe-fixes` bounds it to 128 entries
    (`functools.lru_cache(maxsize=128)`, the default of `lru_cache`). Unsafe:
    evicted entries are computed again, which repeats a function's side
    effects and returns new objects where callers may have counted on the
    same one; choose the bound that fits.
    """

    code = "LL103"
    summary_text = "`functools.cache` or an unbounded `lru_cache` on a function with open-ended arguments"
    checks_test_modules = False
    name = "unbounded-function-cache"
    default_enabled = False
    message = "{decorator} on {function}() keeps every distinct argument and result; give it a maxsize"
    triggers = frozenset({"cache", "lru_cache"})

    VALID = (
        "import functools\n@functools.lru_cache(maxsize=128)\ndef f(x): return x\n",
        "import functools\n@functools.lru_cache(typed=True)\ndef f(x): return x\n",
        "import functools\n@functools.cache\ndef settings(): return {}\n",
        "import functools\n@functools.cache\ndef f(flag: bool): return flag\n",
    )
    INVALID = (
        "import functools\n@functools.cache  # expect: LL103\ndef f(path): return path.upper()\n",
        "from functools import lru_cache\n@lru_cache(maxsize=None)  # expect: LL103\ndef f(x): return x\n",
    )
    FIXES = (
        (
            "import functools\n@functools.cache\ndef f(path): return path.upper()\n",
            "import functools\n@functools.lru_cache(maxsize=128)\ndef f(path): return path.upper()\n",
        ),
        (
            "from functools import cache\n@cache\ndef f(path): return path.upper()\n",
            "from functools import cache, lru_cache\n@lru_cache(maxsize=128)\ndef f(path): return path.upper()\n",
        ),
        (
            "from functools import lru_cache\n@lru_cache(maxsize=None, typed=True)\ndef f(x): return x\n",
            "from functools import lru_cache\n@lru_cache(maxsize=128, typed=True)\ndef f(x): return x\n",
        ),
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if len(self.context.ancestors) > 2:
            return  # methods are LL104's; nested functions get a fresh cache per call
        params = [*node.params.posonly_params, *node.params.params, *node.params.kwonly_params]
        if not params or all(self._bounded(param) for param in params):
            return
        name = node.name.value
        if any(r == name or r.endswith(f".{name}") for r in self.context.facts.cleared_caches):
            return  # emptied on demand (``purge_cached_app()``)
        for decorator in node.decorators:
            name = self._unbounded_memoizer(decorator.decorator)
            if name is not None:
                fix = bounded_cache_fix(decorator.decorator, self.context.qualified_name, self.context.facts.tree)
                self.report(
                    decorator, watch=watch.cache(node.name.value), fix=fix, decorator=name, function=node.name.value
                )

    def _unbounded_memoizer(self, expression: cst.BaseExpression) -> Optional[str]:
        if isinstance(expression, cst.Call):
            if self.context.qualified_name(expression.func) != "functools.lru_cache":
                return None
            # Only an explicit maxsize=None is unbounded: lru_cache(typed=True)
            # keeps the default bound of 128.
            maxsize = next(
                (arg.value for arg in expression.args if arg.keyword is None or arg.keyword.value == "maxsize"),
                None,
            )
            if isinstance(maxsize, cst.Name) and maxsize.value == "None":
                return "functools.lru_cache(maxsize=None)"
            return None
        qualified = self.context.qualified_name(expression)
        return qualified if qualified in UNBOUNDED_MEMOIZERS else None

    def _bounded(self, param: cst.Param) -> bool:
        if param.annotation is None:
            return False
        annotation = param.annotation.annotation
        target = annotation.value if isinstance(annotation, cst.Subscript) else annotation
        return (self.context.qualified_name(target) or "") in BOUNDED_ANNOTATIONS
