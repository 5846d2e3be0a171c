"""LL201: a callback holding ``self`` registered where it outlives the object."""

from __future__ import annotations

import ast
import functools
import re
from typing import Dict, FrozenSet, List, Mapping, Optional, Set, Tuple

import leaklint.watch as watch
from leaklint.analysis.captures import reference_to
from leaklint.analysis.names import LOCAL_MODULE, NameResolver, ast_dotted_name, name_words
from leaklint.analysis.registries import keeping_functions
from leaklint.catalog.registrations import (
    FLASK_SIGNALS,
    HANDLE_UNDOERS,
    REGISTRATION_FUNCTIONS,
    WEAK_BY_DEFAULT,
    registration_methods,
)
from leaklint.analysis.singletons import singleton_by_base
from leaklint.analysis.module_index import Function, ModuleIndex, defined_functions, method_names
from leaklint.core.context import FileFacts, Findings
from leaklint.core.rule import WATCH_FIELD, CandidateRule

# Words of calls that take a callback back: ``reset_listeners(event, self.f)``.
_UNDOING_WORDS = frozenset(
    {"remove", "reset", "unregister", "unsubscribe", "disconnect", "detach", "unwatch", "discard", "off", "unbind"}
)


class CallbackKeepsObjectAlive(CandidateRule):
    """
    ## What it finds
    A bound method of `self`, a lambda or nested function using `self`, or a
    `functools.partial` over one, registered as a callback on something that
    outlives the object: `atexit.register`, `signal.signal`,
    `os.register_at_fork`, a function of the module that adds what it is
    given to a module-level list, set or dict nothing takes anything out of
    (`def on_shutdown(f): _handlers.append(f)`), or a
    `.connect`/`.subscribe`/`.add_listener`/`.on`/`.bind`/`.register`/
    `.add_callback`/`.add_observer`/`.addHandler`/`.trace_add`... call on a
    module-level object (an event bus, a signal, a registry of an imported
    module), or on an attribute of `self` that a method other than
    `__init__` re-binds to what its caller gives it (a property setter:
    `self._data = source; self._data.add_listener(self._impl)` leaves the
    listener on every previous source).

    ## Limitations
    Not reported when the class also unregisters (`disconnect`,
    `unsubscribe`, `remove_listener`, `atexit.unregister`..., a call named
    for undoing given the same callback, `remove()`/`disable()` of the
    handle the registration returned, or that handle, kept on `self` alone or
    in a list, given to a call named for undoing), when the callback is
    wrapped in `weakref.WeakMethod`/`weakref.ref`, for
    registries held by `self`, passed in or made on the spot
    (`Element("q-color").on(...)`: most often the object's owner or its own
    widgets, which live no longer than it), and for Django and blinker
    signals (flask's too), which hold receivers weakly unless `weak=False`,
    nor for kivy's event bindings (`bind(on_press=self.f)`, kept as weak
    methods; property bindings such as `bind(size=self.f)` are strong).
    `signal.signal` counts only when the class also keeps the handler it
    replaces (`signal.getsignal`), chaining every object's handler to the
    next: otherwise each new handler frees the one before it. Static and
    class methods hold no instance, and objects made once per process
    outlive nothing: classes the module makes at import or as a lazy
    singleton (`global _manager`, `cls._instance = cls()`), and framework
    singletons (traitlets applications, IPython magics). More
    registration methods: `callback-registries` in the configuration.

    ## Why it leaks
    A registry keeps its callbacks, and a callback bound to an object keeps
    the object, with everything it references, for as long as the registry
    lives: until the process exits for `atexit`, signals and module-level
    event buses. One such registration per request, connection or window is
    one object per request that is never freed, and its callback still runs.

    ## Example
    ```python
    import atexit
    from app.events import bus

    class Session:
        def __init__(self):
            bus.subscribe("reload", self.on_reload)
            atexit.register(self.flush)

        def on_reload(self, event): ...

        def flush(self): ...
    ```

    ## Fix
    Undo the registration when the object is done with, or register a weak
    reference:
    ```python
    import atexit
    from app.events import bus

    class Session:
        def __init__(self):
            bus.subscribe("reload", self.on_reload)
            atexit.register(self.flush)

        def on_reload(self, event): ...

        def flush(self): ...

        def close(self):
            bus.unsubscribe("reload", self.on_reload)
            atexit.unregister(self.flush)
    ```
    """

    code = "LL201"
    summary_text = "A bound method or closure of `self` registered on something that outlives the object"
    checks_test_modules = False
    # Opt-in until precise: on two fresh corpora (5M lines) 6 of 32 findings were
    # leaks; the rest are objects made once per process elsewhere in the package.
    default_enabled = False
    name = "callback-keeps-object-alive"
    message = (
        "{callback} registered with {registration}() keeps the object alive as long as the registry; "
        "undo it ({inverse}) when done, or register a weakref.WeakMethod"
    )

    VALID = (
        "import atexit\ndef flush(): pass\natexit.register(flush)\n",
        "import atexit\nclass A:\n    def __init__(self):\n        atexit.register(self.flush)\n"
        "    def flush(self): pass\n    def close(self):\n        atexit.unregister(self.flush)\n",
        "class A:\n    def __init__(self):\n        self.button = Button()\n"
        "        self.button.bind('<1>', self.click)\n    def click(self, event): pass\n",
        "import weakref\nclass A:\n    def __init__(self, bus):\n"
        "        bus.subscribe(weakref.WeakMethod(self.on))\n    def on(self): pass\n",
        "from django.db.models.signals import post_save\nclass A:\n    def __init__(self):\n"
        "        post_save.connect(self.saved)\n    def saved(self, **kw): pass\n",
    )
    INVALID = (
        "import atexit\nclass A:\n    def __init__(self):\n"
        "        atexit.register(self.flush)  # expect: LL201\n    def flush(self): pass\n",
        "from app import bus\nclass A:\n    def __init__(self):\n"
        "        bus.subscribe('x', lambda event: self.handle(event))  # expect: LL201\n"
        "    def handle(self, event): pass\n",
    )

    @classmethod
    def findings(cls, facts: FileFacts) -> Findings:
        methods = registration_methods(facts.options.callback_registries)
        if "self" not in facts.text:
            return {}
        if not _registering_words(tuple(methods)).search(facts.text):
            # The module's own registries (``def on_shutdown(f): _handlers.append(f)``).
            if "def " not in facts.text or not keeping_functions(facts.tree, facts.containers):
                return {}
        found: Findings = {}
        index = facts.index
        keeping = keeping_functions(facts.tree, facts.containers)
        for node in index.classes:
            registrations = [
                (function, call, registration)
                for function in index.class_functions(node)
                for call in index.own_nodes(function)
                if isinstance(call, ast.Call)
                and (registration := _registration(call, facts.names, methods, keeping))
            ]
            if registrations and not (node.name in facts.made_once or singleton_by_base(node, index, facts.names)):
                found.update(_kept_alive(facts, node, registrations))
        return found


def _kept_alive(facts: FileFacts, cls: ast.ClassDef, registrations) -> Findings:
    """The registrations of one class whose callbacks hold ``self`` on a registry that outlives it."""
    index = facts.index
    own_methods = method_names(index, cls)
    calls = [c for f in index.class_functions(cls) for c in index.own_nodes(f) if isinstance(c, ast.Call)]
    undone = {_called_name(c) for c in calls}
    undone |= {q for c in calls if (d := ast_dotted_name(c.func)) and (q := facts.names.resolve_dotted(d))}
    module_names = index.module_names()
    weak_signals = _imports_weak_signal_library(index)
    # The old handler put back anywhere in the module (often by another class).
    signal_calls = _count(
        [c for f in [index.tree, *index.functions] for c in index.own_nodes(f) if isinstance(c, ast.Call)],
        "signal.signal",
        facts,
    )
    # A handler replaces the one before it, which is then free, unless the
    # class keeps the previous one (``signal.getsignal``) to call it in turn.
    chains_signals = _count(calls, "signal.getsignal", facts) > 0 or _keeps_replaced_handler(index, cls, facts)
    uses_kivy = _imports_any(index, ("kivy", "kivymd"))
    class_name = index.module_class_name(cls)
    found: Findings = {}
    for function, call, (shown, inverses) in registrations:
        if inverses & undone or (shown == "signal.signal" and (signal_calls > 1 or not chains_signals)):
            continue
        replaced = False
        if shown.startswith(".") and not _outlives_object(call.func.value, function, index, module_names):
            replaced = _replaced_receiver(call.func.value, function, index)
            if not replaced:
                continue
        if id(call) in _context_managed(index, function) or _one_shot(call):
            continue
        if _undone_elsewhere(call, function, calls, index) or (uses_kivy and _kivy_events_only(call)):
            continue
        if shown == ".connect" and weak_signals and not _strong(call):
            continue
        callback = _callback(call, own_methods, defined_functions(index, function), facts.names)
        if callback is None and replaced:
            callback = _own_part(call)
        if callback is not None:
            inverse = (
                "signal.signal(signum, previous_handler)"
                if shown == "signal.signal"
                else next(iter(sorted(inverses)), "unregister")
            )
            found[facts.place(call)] = {
                "callback": callback[0].upper() + callback[1:],
                "registration": shown.lstrip("."),
                "inverse": inverse if shown == "signal.signal" else inverse.rsplit(".", 1)[-1],
                # The objects kept alive are what grows.
                WATCH_FIELD: watch.instances(class_name) if class_name else None,
            }
    return found


@functools.lru_cache(maxsize=8)
def _registering_words(methods: Tuple[str, ...]) -> "re.Pattern[str]":
    """A cheap look at the text: is any registering call written in it?"""
    alternatives = "|".join(sorted(methods, key=len, reverse=True))
    return re.compile(rf"\.(?:{alternatives})\s*\(|\b(?:atexit|signal|register_at_fork)\b")


def _registration(
    call: ast.Call, names: NameResolver, methods: Mapping[str, FrozenSet[str]], keeping: Mapping[str, str]
) -> Optional[Tuple[str, FrozenSet[str]]]:
    """(what to call it, the names that undo it) for a registering call."""
    dotted = ast_dotted_name(call.func)
    qualified = names.resolve_dotted(dotted) if dotted else None
    if isinstance(call.func, ast.Name) and qualified == f"{LOCAL_MODULE}.{call.func.id}" and call.func.id in keeping:
        # Nothing in the module takes callbacks out again: no name undoes it.
        return call.func.id, frozenset({f"take it out of '{keeping[call.func.id]}'"})
    if qualified is not None and qualified in REGISTRATION_FUNCTIONS:
        # ``signal.signal`` is undone by calling it again, counted by the caller
        return qualified, REGISTRATION_FUNCTIONS[qualified] - {qualified}
    if isinstance(call.func, ast.Attribute) and call.func.attr in methods:
        return "." + call.func.attr, methods[call.func.attr]
    return None


def _callback(
    call: ast.Call, methods: Set[str], nested: Dict[str, Function], names: NameResolver
) -> Optional[str]:
    for argument in [*call.args, *(k.value for k in call.keywords)]:
        found = reference_to(argument, "self", methods, nested, names)
        if found:
            return found
    return None


def _called_name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return call.func.id if isinstance(call.func, ast.Name) else ""


def _count(calls: List[ast.Call], qualified: str, facts: FileFacts) -> int:
    return sum(1 for c in calls if (d := ast_dotted_name(c.func)) and facts.names.resolve_dotted(d) == qualified)


def _outlives_object(receiver: ast.expr, function: Function, index: ModuleIndex, module_names: Set[str]) -> bool:
    """Whether the registry the call is made on is process-wide: a
    module-level object (``bus.subscribe``, ``signals.ready.connect``) or
    one a module function hands out (``blinker.signal("saved").connect``).
    Registries held by ``self`` or passed in are most often the object's
    owner or its own parts, living no longer than it; locals are short-lived
    (a future made here, a thread joined here)."""
    dotted = ast_dotted_name(receiver)
    if dotted is None:
        # ``Element("q-color").on(...)``: a class makes a new object, no registry
        # of the process; a function may hand out a shared one.
        return (
            isinstance(receiver, ast.Call)
            and (called := ast_dotted_name(receiver.func)) is not None
            and called.split(".")[0] in module_names
            and not called.rsplit(".", 1)[-1][:1].isupper()
        )
    root = dotted.split(".")[0]
    if root in ("self", "cls"):
        return False
    if dotted == root and root in _imported_modules(index):
        return False  # ``asyncssh.connect(client_factory=self.f)``: a function of a module, no registry
    bound_here = {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}
    bound_here |= {n.id for n in index.own_nodes(function) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return root not in bound_here and root in module_names


def _replaced_receiver(receiver: ast.expr, function: Function, index: ModuleIndex) -> bool:
    """``self._data.add_listener(...)`` in a method other than ``__init__``
    that re-binds ``self._data`` to what its caller gives it (a property
    setter): each call registers with the new receiver and leaves the
    callback on the previous one, which the caller may go on using."""
    dotted = ast_dotted_name(receiver)
    if function.name == "__init__" or dotted is None or dotted.count(".") != 1 or not dotted.startswith("self."):
        return False
    parameters = {a.arg for a in [*function.args.args[1:], *function.args.kwonlyargs]}
    return any(
        isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Name)
        and node.value.id in parameters
        and any(ast_dotted_name(t) == dotted for t in node.targets)
        for node in index.own_nodes(function)
    )


def _own_part(call: ast.Call) -> Optional[str]:
    """``self`` or an attribute of it given as the listener (``add_listener(self._impl)``)."""
    for argument in [*call.args, *(k.value for k in call.keywords)]:
        if isinstance(argument, ast.Name) and argument.id == "self":
            return "'self'"
        if isinstance(argument, ast.Attribute) and isinstance(argument.value, ast.Name) and argument.value.id == "self":
            return f"'self.{argument.attr}'"
    return None


def _undone_elsewhere(call: ast.Call, function: Function, calls: List[ast.Call], index: ModuleIndex) -> bool:
    """The class takes the callback back by other means than the catalog's
    inverse: a call named for undoing that is given the same callback
    (``core.reset_listeners(event, self._on_finish)``), or a method of the
    handle the registration returned (``self._hook = register(...)``, later
    ``self._hook.disable()``)."""
    callbacks = {ast.dump(a) for a in [*call.args, *(k.value for k in call.keywords)] if _own_attribute_or_name(a)}
    for other in calls:
        if other is call or not _UNDOING_WORDS.intersection(name_words(_called_name(other))):
            continue
        if any(ast.dump(a) in callbacks for a in [*other.args, *(k.value for k in other.keywords)]):
            return True
    alone, in_lists = _handles_kept(call, function, index)
    return any(
        (
            isinstance(other.func, ast.Attribute)
            and other.func.attr in HANDLE_UNDOERS
            and ast_dotted_name(other.func.value) in alone
        )
        or (
            _UNDOING_WORDS.intersection(name_words(_called_name(other)))
            and any(
                ast_dotted_name(a) in alone | in_lists for a in [*other.args, *(k.value for k in other.keywords)]
            )
        )
        for other in calls
    )


def _handles_kept(call: ast.Call, function: Function, index: ModuleIndex) -> Tuple[Set[str], Set[str]]:
    """Attributes the handle the registration returns is kept in: alone
    (``self._hook = register(...)``, undone by ``self._hook.remove()``) and
    among others (``self._listeners = [add_listener(...), ...]``, undone only
    by a call named for undoing given the list: its ``remove()`` is a list's)."""
    alone: Set[str] = set()
    in_lists: Set[str] = set()
    for node in index.own_nodes(function):
        if not isinstance(node, ast.Assign):
            continue
        value = node.value
        if value is call:
            kept = alone
        elif isinstance(value, (ast.List, ast.Tuple)) and any(e is call for e in value.elts):
            kept = in_lists
        else:
            continue
        kept.update(
            dotted for target in node.targets if isinstance(target, ast.Attribute) and (dotted := ast_dotted_name(target))
        )
    return alone, in_lists


def _kivy_events_only(call: ast.Call) -> bool:
    """``widget.bind(on_press=self.f)``: kivy keeps event callbacks (``on_*``)
    as weak methods; only property bindings (``size=self.f``) are strong."""
    return (
        isinstance(call.func, ast.Attribute)
        and call.func.attr == "bind"
        and not call.args
        and bool(call.keywords)
        and all(k.arg is not None and k.arg.startswith("on_") for k in call.keywords)
    )


def _own_attribute_or_name(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) or (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name))


def _context_managed(index: ModuleIndex, function: Function) -> Set[int]:
    """Calls used as ``with`` items: ``with bus.add_callback(f):`` undoes itself."""
    return {
        id(item.context_expr)
        for node in index.own_nodes(function)
        if isinstance(node, (ast.With, ast.AsyncWith))
        for item in node.items
    }


def _one_shot(call: ast.Call) -> bool:
    """``IOLoop.current().add_callback(self.f)``: an event loop runs the
    callback once and drops it."""
    if not isinstance(call.func, ast.Attribute) or call.func.attr != "add_callback":
        return False
    return "loop" in ast.unparse(call.func.value).lower()


def _imported_modules(index: ModuleIndex) -> Set[str]:
    """Names the module binds to modules by ``import x`` / ``import x as y``."""
    return {
        alias.asname or alias.name.split(".")[0]
        for node in index.own_nodes(index.tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }


def _imports_weak_signal_library(index: ModuleIndex) -> bool:
    if _imports_any(index, WEAK_BY_DEFAULT):
        return True
    for node in index.own_nodes(index.tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("flask", "flask.signals"):
            if node.module == "flask.signals" or any(a.name in FLASK_SIGNALS for a in node.names):
                return True
    return False


def _imports_any(index: ModuleIndex, packages: Tuple[str, ...]) -> bool:
    for node in index.own_nodes(index.tree):
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] in packages for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in packages:
            return True
    return False


def _keeps_replaced_handler(index: ModuleIndex, cls: ast.ClassDef, facts: FileFacts) -> bool:
    """``self.previous = signal.signal(SIGTERM, self.stop)``: the handler it
    replaces is kept, to be called in turn."""
    for function in index.class_functions(cls):
        for node in index.own_nodes(function):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                dotted = ast_dotted_name(node.value.func)
                if dotted and facts.names.resolve_dotted(dotted) == "signal.signal":
                    return True
    return False


def _strong(call: ast.Call) -> bool:
    """``signal.connect(receiver, weak=False)``."""
    return any(
        k.arg == "weak" and isinstance(k.value, ast.Constant) and k.value.value is False for k in call.keywords
    )
