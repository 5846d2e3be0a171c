"""LL110: a handler or hook registered again every time code runs."""

from __future__ import annotations

import ast
from typing import Iterator, List, Optional, Sequence, Set, Tuple

import leaklint.watch as watch
from leaklint.syntax.lazy import libcst as cst

from leaklint.catalog.registrations import PROCESS_WIDE_REGISTRATIONS
from leaklint.core.rule import Rule

_REGISTER_ONCE = "register once (at import or behind a guard) or remove it when done"
# A registration of a callback holding ``self``: LL201's, unless the method
# runs again on the same object.
_HOLDS_SELF = "<holds self>"


class HandlerAddedRepeatedly(Rule):
    """
    ## What it finds
    `logger.addHandler(<new handler>)`, `logger.addFilter(<new filter>)`,
    `atexit.register(...)` or `sys.addaudithook(...)` with a freshly made
    object (made in the call, or bound just before in the same function;
    not a handler kept on the object, which reads it), in
    code that runs many times (a loop body; `__init__` or a method
    `__init__` calls, once per instance; a public method that another
    method calls again after ending the object, as `graceful()` calls
    `self.stop()` then `self.start()`; a method that runs once behind a
    flag, `if cls._initialized: return`, that another method clears
    again, as a `_reset()` for tests does) with no matching
    `removeHandler`/`removeFilter`/`atexit.unregister` in the module and no
    guard (`if not logger.handlers:`) around it (a test of whether the
    handler was made, `if handler is not None:`, guards nothing); and
    `warnings.filterwarnings()` with a message built from a function's
    parameters. A callback holding `self` is left to LL201, unless the
    method registers it again on the same object.

    Warning filters are reported in any function, with a message or module
    pattern formatted from the function's parameters (`f"{name} is
    deprecated"`), outside `with warnings.catch_warnings():`. Identical
    filters replace each other; one whose text changes from call to call is
    added again every time. A wrapper whose action is a parameter too, and
    a module that restores the filters (`warnings.filters[:] = saved`,
    `resetwarnings()`), are left alone.

    ## Limitations
    A `logging.Logger` subclass adding to its own handlers
    (`self.addHandler(...)`) stays clean: they die with the object; so does
    a logger named, in the same function, after the call's arguments
    (`getLogger(f"app.{appid}")`): one handler for each; not when the name
    is a parameter as given that defaults to a string (`namespace="main"`)
    or that the module passes a fixed one (`name=__name__`).

    ## Why it leaks
    Each of these appends to a list that lives as long as the process: the
    logger's handlers, the exit hooks, the audit hooks, the warning filters.
    Every pass adds one more entry, and each entry keeps alive what it refers
    to (a handler's stream, the instance behind a bound method). Logged lines
    also start to appear once per handler, and every warning is matched
    against every filter.

    ## Example
    ```python
    import logging

    class Job:
        def __init__(self, name):
            self.log = logging.getLogger("jobs")
            self.log.addHandler(logging.StreamHandler())
    ```

    ## Fix
    ```python
    import logging

    logging.getLogger("jobs").addHandler(logging.StreamHandler())  # once, at import

    class Job:
        def __init__(self, name):
            self.log = logging.getLogger("jobs")
    ```
    """

    code = "LL110"
    summary_text = "A handler, filter, atexit or audit hook added again on every call"
    checks_test_modules = False
    # Opt-in until precise: over nine corpora (17M lines), 2 of its 4 findings
    # add a hook per object; the other 2 are objects made once per CLI process
    # (metaflow's running jobs), which the source alone does not show.
    default_enabled = False
    name = "handler-added-repeatedly"
    message = (
        "{what} runs {where} and adds a new entry each time, never removed; {advice}"
    )
    triggers = frozenset({"addHandler", "addFilter", "register", "addaudithook", "filterwarnings"})

    VALID = (
        "import logging\nlogging.getLogger('a').addHandler(logging.StreamHandler())\n",
        "import logging\nclass A:\n    def __init__(self):\n        log = logging.getLogger('a')\n"
        "        if not log.handlers:\n            log.addHandler(logging.StreamHandler())\n",
        "import logging\ndef setup():\n    logging.getLogger('a').addHandler(logging.StreamHandler())\n",
    )
    INVALID = (
        "import logging\nclass A:\n    def __init__(self):\n"
        "        logging.getLogger('a').addHandler(logging.StreamHandler())  # expect: LL110\n",
        "import atexit\ndef f(items):\n    for item in items:\n"
        "        atexit.register(item.close)  # expect: LL110\n",
    )

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        called = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", None)
        if called == "filterwarnings":
            if self.context.qualified_name(func) == "warnings.filterwarnings":
                self._check_filter(node)
            return
        what = self._registration(node)
        if what is None:
            return
        where = _repeating_context(self.context.ancestors, _registered_name(node))
        again = None if where is not None else _method_run_again(self.context.ancestors, self.context.facts.tree)
        if where is None and again is None:
            where = _rearmed_once(self.context.ancestors, self.context.facts.tree)
        if where is None and again is None:
            return
        if what == _HOLDS_SELF:
            if again is None or not again[1]:
                return  # a callback keeping the object alive, registered once per object: LL201 says so
            what = f"{self.context.qualified_name(node.func)}()"
        where = where or (again[0] if again is not None else None)
        if where == "in a loop" and isinstance(node.func, cst.Attribute) and _varies_with_loop(
            node.func.value, self.context.ancestors
        ):
            return  # ``for name in names: get_logger(name).addHandler(...)``: one handler per logger
        if isinstance(node.func, cst.Attribute) and self._logger_named_per_call(node.func.value):
            return  # ``self.log = getLogger(f"app.{appid}")``: one handler for each logger
        self.report(node, watch=_registry_watched(what), what=what, where=where, advice=_REGISTER_ONCE)

    def _check_filter(self, node: cst.Call) -> None:
        """``warnings.filterwarnings("ignore", message=f"...{name}...")`` in a
        function: identical filters replace each other, so only a message
        (or module) that formats what the call was given into new text adds
        a new filter every time. A wrapper whose action is a parameter too
        (spaCy's ``filter_warning(action, error_msg)``) sets what its
        callers ask for, and a module that saves and restores the filters
        (``warnings.filters[:] = saved``, ``resetwarnings()``) undoes them."""
        function = next((n for n in reversed(self.context.ancestors) if isinstance(n, cst.FunctionDef)), None)
        if function is None or self._restores_filters() or _resets_filters(self.context.facts.text):
            return
        params = function.params
        given = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                given.add(star.name.value)
        given -= {"self", "cls"}
        action = _argument(node, 0, "action")
        if isinstance(action, cst.Name) and action.value in given:
            return  # a wrapper: it sets the filter its callers ask for
        for position, keyword in ((1, "message"), (3, "module")):
            text = _argument(node, position, keyword)
            used = sorted(_formatted_in(text) & given) if text is not None else []
            if used:
                self.report(
                    node,
                    what=f"warnings.filterwarnings() with a {keyword} built from '{used[0]}'",
                    where=f"on every call of {function.name.value}()",
                    advice="change the filters inside 'with warnings.catch_warnings():', which puts them back",
                    watch=watch.registry(watch.WARNING_FILTERS),
                )
                return

    def _restores_filters(self) -> bool:
        """Inside ``with warnings.catch_warnings():``, which restores the filters."""
        return any(
            isinstance(n, cst.With)
            and any(
                isinstance(item.item, cst.Call)
                and self.context.qualified_name(item.item.func) == "warnings.catch_warnings"
                for item in n.items
            )
            for n in self.context.ancestors
        )

    def _in_logger_class(self) -> bool:
        """Inside a class whose bases are named like a logger (``logging.Logger``,
        ``LoggerAdapter``, a project's ``BaseLogger``)."""
        cls = next((n for n in reversed(self.context.ancestors) if isinstance(n, cst.ClassDef)), None)
        if cls is None:
            return False
        for base in cls.bases:
            value = base.value
            name = value.attr.value if isinstance(value, cst.Attribute) else getattr(value, "value", "")
            if isinstance(name, str) and ("Logger" in name):
                return True
        return False

    def _logger_named_per_call(self, receiver: cst.BaseExpression) -> bool:
        """``receiver`` is bound, in the same function, to ``getLogger`` of a
        name built from the function's parameters (on any path): each call
        gets a logger of its own, and adds one handler to it."""
        function = next((n for n in reversed(self.context.ancestors) if isinstance(n, cst.FunctionDef)), None)
        if function is None:
            return False
        parameters = {p.name.value for p in function.params.params} - {"self", "cls"}
        for n in _names(function.body):
            if not (isinstance(n, cst.Assign) and isinstance(n.value, cst.Call) and n.value.args):
                continue
            if not any(t.target.deep_equals(receiver) for t in n.targets):
                continue
            if self.context.qualified_name(n.value.func) != "logging.getLogger":
                continue
            name = n.value.args[0].value
            if isinstance(name, cst.Name) and name.value in parameters:
                if not self._shared_name(function, name.value):
                    return True
            elif any(isinstance(m, cst.Name) and m.value in parameters for m in _names(name)):
                return True
        return False

    def _shared_name(self, function: cst.FunctionDef, parameter: str) -> bool:
        """The logger's name is ``parameter`` as given, and callers often give
        the same one: it defaults to a string (``namespace="main"``), or the
        module passes a fixed one (``name=__name__``). Each new object then
        adds another handler to the same logger."""
        for param in function.params.params:
            if param.name.value == parameter and isinstance(param.default, (cst.SimpleString, cst.ConcatenatedString)):
                return True
        return any(
            isinstance(n, ast.keyword)
            and n.arg == parameter
            and (
                (isinstance(n.value, ast.Constant) and isinstance(n.value.value, str))
                or (isinstance(n.value, ast.Name) and n.value.id == "__name__")
            )
            for n in ast.walk(self.context.facts.tree)
        )

    def _new_object(self, argument: cst.BaseExpression) -> bool:
        """``ClusterFilter(...)``, or a name the same function has just bound
        to a call (``self.logger_filter = ClusterFilter(tag)``)."""
        if isinstance(argument, cst.Call):
            return True
        if not isinstance(argument, (cst.Name, cst.Attribute)):
            return False
        function = next((n for n in reversed(self.context.ancestors) if isinstance(n, cst.FunctionDef)), None)
        if function is None:
            return False
        target = cst.Module([]).code_for_node(argument)
        # The segment linted may hold only this statement: read the function from the module.
        return any(
            isinstance(definition, (ast.FunctionDef, ast.AsyncFunctionDef))
            and definition.name == function.name.value
            and any(
                isinstance(statement, ast.Assign)
                and isinstance(statement.value, ast.Call)
                and any(ast.unparse(t) == target for t in statement.targets)
                for statement in ast.walk(definition)
            )
            for definition in ast.walk(self.context.facts.tree)
        )

    def _registration(self, node: cst.Call) -> Optional[str]:
        func = node.func
        if not node.args:
            return None
        text = self.context.facts.text
        if isinstance(func, cst.Attribute) and func.attr.value == "addHandler":
            handler = node.args[0].value
            if "removeHandler" in text or isinstance(handler, cst.Attribute) or not self._new_object(handler):
                # Removed somewhere, made once elsewhere, or kept on the object, which
                # reads it (a MemoryHandler's buffer served to a UI): the owner's one handler.
                return None
            if isinstance(func.value, cst.Name) and func.value.value == "self" and self._in_logger_class():
                return None  # a Logger subclass's own handler list: it dies with the object
            return "addHandler() with a new handler"
        if isinstance(func, cst.Attribute) and func.attr.value == "addFilter":
            # A filter object added to a logger's (or a handler's) filter list.
            if "removeFilter" in text or not self._new_object(node.args[0].value):
                return None
            if isinstance(func.value, cst.Name) and func.value.value == "self":
                return None  # a Logger/Handler subclass's own filters: they die with the object
            return "addFilter() with a new filter"
        qualified = self.context.qualified_name(func)
        if qualified in PROCESS_WIDE_REGISTRATIONS:
            undo = PROCESS_WIDE_REGISTRATIONS[qualified]
            if undo is not None and undo.rsplit(".", 1)[-1] in text:
                return None
            return _HOLDS_SELF if _holds_self(node) else f"{qualified}()"
        return None


def _registry_watched(what: str) -> Optional[str]:
    """The interpreter's registry a registration adds to, for the run-time
    watch; None for audit hooks, which cannot be counted."""
    if what.startswith(("addHandler", "addFilter")):
        return watch.registry(watch.HANDLERS)
    if what.startswith("atexit."):
        return watch.registry(watch.ATEXIT)
    return None


def _argument(call: cst.Call, position: int, keyword: str) -> Optional[cst.BaseExpression]:
    """The argument given at ``position`` or as ``keyword=``."""
    for index, arg in enumerate(call.args):
        if (arg.keyword is None and not arg.star and index == position) or (
            arg.keyword is not None and arg.keyword.value == keyword
        ):
            return arg.value
    return None


def _resets_filters(text: str) -> bool:
    """The module puts saved filters back or resets them."""
    return "resetwarnings(" in text or "filters[:]" in text or "warnings.filters =" in text


def _loaded_names(node: cst.CSTNode) -> Iterator[str]:
    """Names read in ``node``: not attribute names (``config.level``) nor keywords."""
    if isinstance(node, cst.Name):
        yield node.value
        return
    if isinstance(node, cst.Attribute):
        yield from _loaded_names(node.value)
        return
    if isinstance(node, cst.Arg):
        yield from _loaded_names(node.value)
        return
    for child in node.children:
        yield from _loaded_names(child)


def _formatted_in(expression: cst.BaseExpression) -> Set[str]:
    """Names formatted into a string: ``f"{x} ..."``, ``"%s ..." % x``,
    ``"... " + x``, ``"{} ...".format(x)``."""
    strings = (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)
    parts: List[cst.CSTNode] = []
    if isinstance(expression, cst.FormattedString):
        parts = [p.expression for p in expression.parts if isinstance(p, cst.FormattedStringExpression)]
    elif isinstance(expression, cst.BinaryOperation) and isinstance(expression.operator, (cst.Modulo, cst.Add)):
        if isinstance(expression.left, strings) or isinstance(expression.right, strings):
            parts = [expression.left, expression.right]
    elif (
        isinstance(expression, cst.Call)
        and isinstance(expression.func, cst.Attribute)
        and expression.func.attr.value == "format"
        and isinstance(expression.func.value, strings)
    ):
        parts = [arg.value for arg in expression.args]
    return {name for part in parts for name in _loaded_names(part)}


def _holds_self(call: cst.Call) -> bool:
    """``atexit.register(self.flush)``, ``atexit.register(lambda: self.x())``."""
    return any(
        isinstance(n, cst.Name) and n.value == "self"
        for arg in call.args
        for n in _names(arg.value)
    )


def _names(node: cst.CSTNode):
    yield node
    for child in node.children:
        yield from _names(child)


def _varies_with_loop(receiver: cst.BaseExpression, ancestors: Sequence[cst.CSTNode]) -> bool:
    """Whether ``receiver`` is named by the innermost loop's target, or by a
    name the loop binds: each pass then registers on another object."""
    loop = next((node for node in reversed(ancestors) if isinstance(node, (cst.For, cst.While))), None)
    if loop is None:
        return False
    bound: Set[str] = set()
    if isinstance(loop, cst.For):
        bound.update(n.value for n in _names(loop.target) if isinstance(n, cst.Name))
    for n in _names(loop.body):
        if isinstance(n, cst.AssignTarget):
            bound.update(t.value for t in _names(n.target) if isinstance(t, cst.Name))
    return any(isinstance(n, cst.Name) and n.value in bound for n in _names(receiver))


def _method_run_again(ancestors: Sequence[cst.CSTNode], tree: ast.Module) -> Optional[Tuple[str, bool]]:
    """Where a method's registration repeats because its class calls the
    method itself: from ``__init__`` (a helper such as ``null_logger()``:
    once per instance), or, for a public method, from another method
    (``graceful()`` calling ``self.start()``: callers start the object, and
    the class starts it again). With whether it repeats on the same object.
    None when the call may be guarded, or the method is not called so."""
    function: Optional[cst.FunctionDef] = None
    owner: Optional[cst.ClassDef] = None
    for node in reversed(ancestors[:-1]):
        if function is None:
            if isinstance(node, (cst.If, cst.IfExp, cst.Try, cst.With, cst.Lambda, cst.For, cst.While)):
                return None
            if isinstance(node, cst.FunctionDef):
                function = node
            continue
        if isinstance(node, cst.ClassDef):
            owner = node
            break
        if not isinstance(node, cst.IndentedBlock):
            return None  # nested in another function: not a method
    if function is None or owner is None:
        return None
    # The segment linted holds only part of the class: read its methods from the module.
    name = function.name.value
    cls = next(
        (
            node
            for node in ast.walk(tree)
            if isinstance(node, ast.ClassDef)
            and node.name == owner.name.value
            and any(isinstance(item, ast.FunctionDef) and item.name == name for item in node.body)
        ),
        None,
    )
    if cls is None:
        return None
    receivers = {"self", "cls", cls.name}
    for method in cls.body:
        if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)) or method.name == name:
            continue
        calls = any(
            isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr == name
            and isinstance(n.func.value, ast.Name)
            and n.func.value.id in receivers
            for n in ast.walk(method)
        )
        if not calls:
            continue
        if method.name == "__init__":
            return f"in {name}(), which __init__ calls: once per instance", False
        if not name.startswith("_") and _restarts(method, name, receivers):
            return f"in {name}(), which {method.name}() calls again on the same object", True
    return None


def _rearmed_once(ancestors: Sequence[cst.CSTNode], tree: ast.Module) -> Optional[str]:
    """``initialize()`` returns early once a flag of its class is set
    (``if cls._initialized: return``) and sets it, but another method
    clears the flag again (a ``_reset()`` for tests) without undoing the
    registration: each reset and new start registers once more."""
    function: Optional[cst.FunctionDef] = None
    for node in reversed(ancestors[:-1]):
        if isinstance(node, (cst.If, cst.IfExp, cst.Try, cst.With, cst.Lambda, cst.For, cst.While)):
            return None
        if isinstance(node, cst.FunctionDef):
            function = node
            break
    owner = next((n for n in reversed(ancestors) if isinstance(n, cst.ClassDef)), None)
    if function is None or owner is None:
        return None
    cls = next(
        (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == owner.name.value),
        None,
    )
    method = next(
        (m for m in (cls.body if cls else []) if isinstance(m, ast.FunctionDef) and m.name == function.name.value),
        None,
    )
    if cls is None or method is None:
        return None
    receivers = {"self", "cls", cls.name}
    flags = set()
    for statement in method.body:
        if (
            isinstance(statement, ast.If)
            and isinstance(statement.test, ast.Attribute)
            and isinstance(statement.test.value, ast.Name)
            and statement.test.value.id in receivers
            and len(statement.body) == 1
            and isinstance(statement.body[0], ast.Return)
        ):
            flags.add(statement.test.attr)
    if not flags:
        return None
    for other in cls.body:
        if not isinstance(other, (ast.FunctionDef, ast.AsyncFunctionDef)) or other is method:
            continue
        for node in ast.walk(other):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and node.value.value is False
                and any(
                    isinstance(t, ast.Attribute)
                    and t.attr in flags
                    and isinstance(t.value, ast.Name)
                    and t.value.id in receivers
                    for t in node.targets
                )
            ):
                return f"in {method.name}(), which runs again once {other.name}() clears its once-only flag,"
    return None


# Methods that end what ``start()`` began: calling one, then the starting
# method again, restarts the object.
_ENDING_METHODS = frozenset({"stop", "close", "shutdown", "exit", "terminate", "teardown", "disconnect", "cleanup"})


def _restarts(method: ast.AST, name: str, receivers: Set[str]) -> bool:
    """``method`` ends the object, then calls ``name`` on it again
    (``def graceful(self): self.stop(); self.start()``)."""
    found = [
        n
        for n in ast.walk(method)
        if isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and isinstance(n.func.value, ast.Name)
        and n.func.value.id in receivers
    ]
    calls = [n.func.attr for n in sorted(found, key=lambda n: (n.lineno, n.col_offset))]  # type: ignore[attr-defined]
    return name in calls and any(c.lstrip("_") in _ENDING_METHODS for c in calls[: calls.index(name)])


def _registered_name(call: cst.Call) -> Optional[str]:
    """The name given to the registration (``handler`` in ``addHandler(handler)``)."""
    if call.args and isinstance(call.args[0].value, cst.Name):
        return call.args[0].value.value
    return None


def _tests_only(test: cst.BaseExpression, name: Optional[str]) -> bool:
    """``if handler is not None:``, ``if handler:``: a test of whether the
    object to register was made, which guards nothing against repeats."""
    if name is None:
        return False
    if isinstance(test, cst.Name):
        return test.value == name
    return (
        isinstance(test, cst.Comparison)
        and isinstance(test.left, cst.Name)
        and test.left.value == name
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].operator, cst.IsNot)
        and isinstance(test.comparisons[0].comparator, cst.Name)
        and test.comparisons[0].comparator.value == "None"
    )


def _repeating_context(ancestors: Sequence[cst.CSTNode], registered: Optional[str] = None) -> Optional[str]:
    """Where the call repeats: in a loop, or in ``__init__``; None when it
    runs once, or under a test that may guard it (not one of whether the
    object ``registered`` was made at all)."""
    in_loop = False
    for node in reversed(ancestors[:-1]):
        if isinstance(node, cst.If) and _tests_only(node.test, registered):
            continue
        if isinstance(node, (cst.If, cst.IfExp, cst.Try, cst.With)):
            return None  # ``if not log.handlers:``, ``try: ... except: register``: may be guarded
        if isinstance(node, (cst.For, cst.While)):
            in_loop = True
        if isinstance(node, cst.Lambda):
            return None
        if isinstance(node, cst.FunctionDef):
            if in_loop:
                return "in a loop"
            return "in __init__, once per instance" if node.name.value == "__init__" else None
    return None  # module level: once
