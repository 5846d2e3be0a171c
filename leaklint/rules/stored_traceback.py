"""LL403: an exception, traceback or frame kept past the block that needed it."""

from __future__ import annotations

import ast
import re
from typing import Dict, Iterable, Iterator, List, Mapping, Optional, Set, Tuple

import leaklint.watch as watch
from leaklint.analysis.captures import is_name
from leaklint.analysis.frame_cycles import (
    drops_traceback,
    frame_cycles,
    handler_nodes,
    module_exception_instances,
    module_kept,
)
from leaklint.analysis.module_index import Function, ModuleIndex, statements_before
from leaklint.catalog.containers import GROWING_METHODS, READERS, SHRINKING_METHODS
from leaklint.catalog.frames import EXC_INFO, FRAME_GETTERS
from leaklint.analysis.names import NameResolver, ast_dotted_name
from leaklint.core.context import FileFacts, Findings
from leaklint.core.rule import WATCH_FIELD, CandidateRule

_OWN = ("self", "cls")
# ``except ... as name:``, the calls and attributes that hand out frames, or
# ``raise`` of a name or attribute (a stored exception raised again).
_WORTH_A_LOOK = re.compile(
    r"\bexcept\b[^\n:]*\bas\b|exc_info|currentframe|_getframe|__traceback__|with_traceback|\braise [\w.]+\s*(?:#|$)",
    re.MULTILINE,
)


class StoredTraceback(CandidateRule):
    """
    ## What it finds
    Exceptions, tracebacks and frames kept where they outlive the block
    that caught or took them: collected in a container that nothing takes
    them out of again, held by the module, or in a reference cycle with the
    frame that handles or raises them.

    Collected: `self.errors.append(e)`, `_failures[key] = e`,
    `self.tracebacks.append(sys.exc_info())`, `frames.append(sys._getframe())`
    in an `except` block or a function, into a container on `self`, on a
    class or of the module; or the caught exception handed to a method of
    the module that adds what it is given to such a container
    (`broker.add_exception(component, ex)`). Held by the module: a module-level exception
    instance raised again from a function (`NODATA = KeyError(...)`, `raise
    NODATA`), or the exception caught at import kept in a global (`except
    ImportError as e: _error = e`). In a cycle with the frame:
    `sys.exc_info()` or `e.__traceback__` bound to a local of the frame that
    handles the exception, caught exceptions added to a local container
    that the function raises from afterwards, `raise self._exception` in a
    method, `raise value.with_traceback(tb)` of a parameter; unless the
    function then lets go of the name (`del tb`, `exc = None` in a
    `finally:`).

    ## Limitations
    A single slot (`self.last_error = e`) holds one exception at a time and
    is how futures, workers and coordinators report a failure later; one
    copy of the caught exception in a local (`last_error = e` in a retry
    loop) or a frame in a local (`frame = inspect.currentframe()`) is a
    single small cycle; a queue hands the exception to its consumer; a
    container the class or module empties (`pop`, `clear`, `remove`,
    re-binding) is drained; a dictionary keyed by a peer (`errors[host] =
    e`) holds each peer's latest failure; an object's own list that it
    raises or returns whole (`raise Failed(self.errors)`, `return
    self.errors`) collects one operation's errors; `raise exception` of a
    parameter is an error handler's contract. Those stay clean, and so do
    exceptions stored as text or without their traceback
    (`e.with_traceback(None)`, `e.__traceback__ = None`).

    ## Why it leaks
    An exception holds its traceback, the traceback holds every frame it
    passed through, and each frame holds all of its local variables. A
    list of exceptions that only grows keeps every failed call's frames
    alive with it: request objects, buffers, database rows, one set per
    failure, for as long as the holder lives. An exception instance raised
    again and again gains the frames of every raise on its traceback. And
    a frame whose local holds the traceback that refers to that frame is a
    reference cycle: reference counting never frees it, only the cyclic
    collector, which runs by counts of objects, not bytes, so frames full of
    large buffers pile up between its runs (Python unbinds `except ... as
    e` names for this reason).

    ## Example
    ```python
    class Worker:
        def __init__(self):
            self.failures = []

        def run(self, job):
            try:
                job()
            except Exception as e:
                self.failures.append(e)
    ```

    ## Fix
    Keep what you need of each failure, not the exception: its text, or the
    exception without its traceback, and bound the list.
    ```python
    import collections

    class Worker:
        def __init__(self):
            self.failures = collections.deque(maxlen=100)

        def run(self, job):
            try:
                job()
            except Exception as e:
                self.failures.append(repr(e))
    ```
    """

    code = "LL403"
    summary_text = "Exceptions, tracebacks or frames kept beyond the block that caught them"
    checks_test_modules = False
    # Opt-in until precise: of 26 findings when it also reported single slots
    # and frames in locals, none was a leak; narrowed to accumulation since,
    # 1 of its 7 findings over ten corpora (20M lines) is one. The cycles through
    # a frame and what a module holds came later, from the corpus of real fixes
    # (benchmarks/recall): not yet measured on fresh corpora.
    default_enabled = False
    name = "stored-traceback"
    message = "{what} {problem}; {fix}"

    VALID = (
        "class A:\n    def run(self):\n        try:\n            pass\n        except Exception as e:\n"
        "            self.errors.append(str(e))\n",
        "class A:\n    def run(self):\n        try:\n            pass\n        except Exception as e:\n"
        "            self.error = e\n",
        "class A:\n    def run(self):\n        try:\n            pass\n        except Exception as e:\n"
        "            self.errors.append(e)\n    def reset(self):\n        self.errors.clear()\n",
        "import inspect\ndef f():\n    frame = inspect.currentframe()\n    return frame.f_lineno\n",
        "import sys\ndef f(job, log):\n    try:\n        job()\n    except Exception:\n"
        "        info = sys.exc_info()\n        try:\n            log(info)\n        finally:\n"
        "            del info\n",
    )
    INVALID = (
        "class A:\n    def run(self):\n        try:\n            pass\n        except Exception as e:\n"
        "            self.errors.append(e)  # expect: LL403\n",
        "import sys\ndef f(job, log):\n    try:\n        job()\n    except Exception:\n"
        "        info = sys.exc_info()  # expect: LL403\n        log(info)\n",
        "NODATA = KeyError('no data')\ndef get(key):\n    raise NODATA  # expect: LL403\n",
        "import sys\n_frames = {}\ndef f(key):\n    _frames[key] = sys._getframe()  # expect: LL403\n",
    )

    @classmethod
    def findings(cls, facts: FileFacts) -> Findings:
        if not _WORTH_A_LOOK.search(facts.text):
            return {}
        found: Findings = {}
        index = facts.index
        module_names = _module_assigned_names(facts.tree)
        drained = _Drained(facts)
        # Functions only: the module body runs once.
        for function in index.functions:
            owner = index.class_of(function)
            if owner is not None and (function.name == "__init__" or _is_exception_class(owner)):
                # ``__init__`` runs once per object: what it adds is bounded by
                # the object; an exception collecting others carries them as its payload.
                continue
            for statement, target, what, fix in _kept(index.own_nodes(function), facts.names, module_names):
                if not drained(target, owner, function, statement):
                    problem = _ACCUMULATED.format(target=target)
                    owner_name = index.module_class_name(owner) if owner is not None else None
                    found[facts.place(statement)] = {
                        "what": what,
                        "problem": problem,
                        "fix": fix,
                        WATCH_FIELD: watch.container(target, owner_name, module_names),
                    }
        # Exceptions handed to a method of the module that collects what it is given.
        collectors = _collecting_methods(index, facts.names, module_names, drained)
        for function in index.functions:
            for statement, what, target, method in _handed_to_collectors(index.own_nodes(function), collectors):
                problem = _HANDED_ON.format(method=method, target=target)
                fix = "hand on str(e) or e.with_traceback(None) instead, and bound the container"
                found.setdefault(facts.place(statement), {"what": what, "problem": problem, "fix": fix})
        # Cycles through a frame, and what a module keeps: any function, ``__init__`` too.
        module_exceptions = module_exception_instances(facts.tree)
        kept = [
            kept
            for function in index.functions
            for kept in frame_cycles(index, function, facts.names, module_exceptions)
        ]
        for node, what, problem, fix in [*kept, *module_kept(index, facts.names)]:
            found.setdefault(facts.place(node), {"what": what, "problem": problem, "fix": fix})
        return found


_ACCUMULATED = "added to '{target}', which nothing empties, keeps the frames it references and their locals alive"


_HANDED_ON = (
    "passed to {method}(), which adds it to '{target}'; nothing empties it, so it keeps the frames "
    "it references and their locals alive"
)


def _collecting_methods(
    index: ModuleIndex, names: NameResolver, module_names: Set[str], drained: "_Drained"
) -> Dict[str, Tuple[str, int, str]]:
    """Methods of the module's classes that add one of their parameters,
    as given, to a container nothing empties (``def add_exception(self,
    component, ex): self.exceptions[component].append(ex)``): name ->
    (parameter, its position after ``self``, container). Only names that a
    single method of the module defines, since calls are matched by name."""
    found: Dict[str, Tuple[str, int, str]] = {}
    defined: Dict[str, int] = {}
    for function in index.functions:
        owner = index.class_of(function)
        if owner is None:
            continue
        defined[function.name] = defined.get(function.name, 0) + 1
        if function.name.startswith("__") or _is_exception_class(owner):
            continue
        parameters = [arg.arg for arg in (*function.args.posonlyargs, *function.args.args)][1:]
        for statement, value, target in _additions(index.own_nodes(function), module_names):
            if isinstance(value, ast.Name) and value.id in parameters and target.split(".")[0] in _OWN:
                if not drained(target, owner, function, statement):
                    found.setdefault(function.name, (value.id, parameters.index(value.id), target))
    return {name: kept for name, kept in found.items() if defined[name] == 1}


def _handed_to_collectors(
    nodes: List[ast.AST], collectors: Mapping[str, Tuple[str, int, str]]
) -> Iterator[Tuple[ast.AST, str, str, str]]:
    """(call, what, container, method): the caught exception passed, in its
    ``except`` block, where a collecting method of the module keeps it
    (``broker.add_exception(component, ex, tb)``)."""
    if not collectors:
        return
    for handler in nodes:
        if not isinstance(handler, ast.ExceptHandler) or not handler.name or drops_traceback(handler):
            continue
        for node in handler_nodes(handler):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            kept = collectors.get(node.func.attr)
            if kept is None:
                continue
            parameter, position, target = kept
            given = [k.value for k in node.keywords if k.arg == parameter]
            if position < len(node.args) and not any(isinstance(a, ast.Starred) for a in node.args[: position + 1]):
                given.append(node.args[position])
            if any(is_name(value, handler.name) for value in given):
                yield node, f"exception '{handler.name}'", target, node.func.attr


class _Drained:
    """Whether a container ``self.x``, ``Cls.x`` or module-level ``x`` is
    emptied somewhere: a shrinking call, ``del`` of an item, a re-binding
    outside ``__init__``, or (for module and class containers) what the
    module container analysis knows; for a function outside the class it is
    given ``self`` of, only the function's own fresh start counts."""

    def __init__(self, facts: FileFacts) -> None:
        self.facts = facts
        self._instance: Dict[int, Set[str]] = {}

    def __call__(self, target: str, cls: Optional[ast.ClassDef], function: Function, addition: ast.AST) -> bool:
        parts = target.split(".")
        if parts[0] in _OWN and len(parts) == 2:
            if cls is None:
                return _starts_afresh(function, parts[1], addition)
            class_level = self.facts.containers.attributes.get((cls.name, parts[1]))
            if class_level is not None and (class_level.shrunk or class_level.bounded):
                return True
            return parts[1] in self._instance_drained(cls)
        containers = self.facts.containers
        if len(parts) == 1:
            container = containers.module.get(parts[0])
        elif len(parts) == 2:
            container = containers.attributes.get((parts[0], parts[1]))
        else:
            return False
        return container is not None and (container.shrunk or container.bounded)

    def _instance_drained(self, cls: ast.ClassDef) -> Set[str]:
        known = self._instance.get(id(cls))
        if known is None:
            known = self._instance[id(cls)] = _instance_attributes_emptied(self.facts.index, cls)
        return known


def _instance_attributes_emptied(index: ModuleIndex, cls: ast.ClassDef) -> Set[str]:
    """Attributes of ``self`` (or ``cls``) that a method of ``cls`` empties:
    a shrinking call on it or on a local holding it (``events = self.q;
    events.popleft()``), ``del`` of an item, or a re-binding outside
    ``__init__``; or hands on whole, raised or returned."""
    emptied: Set[str] = set()
    for function in index.class_functions(cls):
        nodes = index.own_nodes(function)
        aliases = {
            node.targets[0].id: attribute
            for node in nodes
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
            for attribute in _own_attribute(node.value)
        }
        for node in nodes:
            # Handed on whole (``raise Failures(self.errors)``, ``return self.errors``):
            # a collector of one operation's errors.
            if isinstance(node, ast.Raise) and node.exc is not None:
                for part in ast.walk(node.exc):
                    if isinstance(part, ast.expr):
                        emptied.update(_own_attribute(part))
            elif isinstance(node, (ast.Return, ast.Yield)) and node.value is not None:
                # ``return self.errors``, ``return MultiError(self.errors)``; not ``len(self.errors)``
                emptied.update(_own_attribute(node.value))
                for part in ast.walk(node.value):
                    if isinstance(part, ast.Call) and not (
                        isinstance(part.func, ast.Name) and f"builtins.{part.func.id}" in READERS
                    ):
                        for argument in part.args:
                            emptied.update(_own_attribute(argument))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                if node.func.attr in SHRINKING_METHODS:
                    emptied.update(_own_attribute(node.func.value))
                    if isinstance(node.func.value, ast.Name) and node.func.value.id in aliases:
                        emptied.add(aliases[node.func.value.id])
            elif isinstance(node, ast.Delete):
                for target in node.targets:
                    if isinstance(target, ast.Subscript):
                        emptied.update(_own_attribute(target.value))
                    else:
                        emptied.update(_own_attribute(target))  # ``del self.errors``: let go whole
            elif isinstance(node, ast.Assign) and getattr(function, "name", "") != "__init__":
                targets = list(node.targets)
                while targets:
                    target = targets.pop()
                    if isinstance(target, (ast.Tuple, ast.List)):
                        targets.extend(target.elts)
                    elif isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Slice):
                        emptied.update(_own_attribute(target.value))  # ``self.x[:] = ...``
                    else:
                        emptied.update(_own_attribute(target))
    return emptied


def _starts_afresh(function: Function, attribute: str, addition: ast.AST) -> bool:
    """``def init_parser(self): self.failures = {}`` before the loop that
    fills it: every call starts an empty container, which holds that call's
    failures only. Only an unconditional statement of the function's own
    body counts, not ``if not hasattr(self, "failures"): ...``."""
    return any(
        isinstance(statement, ast.Assign)
        and any(_own_attribute(target) == [attribute] for target in statement.targets)
        and _is_empty_container(statement.value)
        for statement in statements_before(function, addition)
    )


def _is_empty_container(value: ast.expr) -> bool:
    """``[]``, ``{}``, ``set()``, ``dict()``, ``collections.deque()``... with nothing in it."""
    if isinstance(value, (ast.List, ast.Set, ast.Tuple)):
        return not value.elts
    if isinstance(value, ast.Dict):
        return not value.keys
    return isinstance(value, ast.Call) and not value.args and not value.keywords


def _own_attribute(node: ast.expr) -> List[str]:
    """``x`` for ``self.x`` or ``cls.x``."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in _OWN:
        return [node.attr]
    return []


def _kept(nodes: List[ast.AST], names: NameResolver, module_names: Set[str]) -> Iterator[Tuple[ast.AST, str, str, str]]:
    """(statement, container, what, fix) for exceptions, tracebacks and
    frames added to a container that outlives the scope."""
    for handler in nodes:
        if isinstance(handler, ast.ExceptHandler) and handler.name and not drops_traceback(handler):
            fix = "keep str(e) or e.with_traceback(None) instead, in a bounded container"
            for statement, value, target in _additions(handler_nodes(handler), module_names):
                if is_name(value, handler.name):
                    yield statement, target, f"exception '{handler.name}'", fix
    for statement, value, target in _additions(nodes, module_names):
        kind = _frame_or_traceback(value, names)
        if kind is not None:
            yield (statement, target, *kind)


def _additions(nodes: Iterable[ast.AST], module_names: Set[str]) -> Iterator[Tuple[ast.AST, ast.expr, str]]:
    """(statement, value, container) for ``c.append(value)`` (and the other
    growing methods) and ``c[key] = value`` where ``c`` outlives the scope."""
    for node in nodes:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                # ``meta["exception"] = e``: a constant key is one slot, not a collection;
                # ``errors[host] = e``: one slot per peer, replaced by its next failure.
                if isinstance(target, ast.Subscript) and not _one_slot_key(target.slice):
                    place = _long_lived_container(target.value, module_names)
                    if place:
                        yield node, node.value, place
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in GROWING_METHODS
            and node.args
        ):
            place = _long_lived_container(node.func.value, module_names)
            if place:
                for argument in node.args:
                    yield node, argument, place


# Keys naming a peer: a host, an address, a device. There are as many as the
# object talks to, and each one's newest failure replaces the last.
_PEER_WORDS = frozenset({"host", "hostname", "ip", "addr", "address", "peer", "node", "server", "endpoint", "device"})


def _one_slot_key(key: ast.expr) -> bool:
    """A constant key, or one naming a peer (``host``, ``self.address``, ``ip_addr``)."""
    if isinstance(key, ast.Constant):
        return True
    name = key.id if isinstance(key, ast.Name) else key.attr if isinstance(key, ast.Attribute) else ""
    return any(word in _PEER_WORDS for word in name.lower().strip("_").split("_"))


def _frame_or_traceback(value: ast.expr, names: NameResolver) -> Optional[Tuple[str, str]]:
    """(what, how to fix) when ``value`` is the current frame, ``sys.exc_info()``
    (whole, or its value or traceback), or an exception's ``__traceback__``."""
    call = value
    index: Optional[int] = None
    if isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Constant):
        call, index = value.value, value.slice.value  # type: ignore[assignment]
    if isinstance(value, ast.Attribute) and value.attr == "__traceback__":
        return "the traceback", "keep traceback.format_tb(tb) instead"
    if not isinstance(call, ast.Call):
        return None
    dotted = ast_dotted_name(call.func)
    qualified = names.resolve_dotted(dotted) if dotted else None
    if qualified == EXC_INFO and index in (None, 1, 2, -1):
        return "sys.exc_info()", "keep traceback.format_exc() instead"
    if qualified in FRAME_GETTERS and index is None:
        return f"the frame from {qualified}()", "keep what you need of it (f_code.co_name, f_lineno) instead"
    return None


def _is_exception_class(cls: ast.ClassDef) -> bool:
    """``class ChannelFailures(Exception)``, ``class Errors(ValueError)``: by its bases' names."""
    names = [ast_dotted_name(base) or "" for base in cls.bases]
    return any(name.rsplit(".", 1)[-1].endswith(("Exception", "Error", "ExceptionGroup")) for name in names)


def _long_lived_container(container: ast.expr, module_names: Set[str]) -> Optional[str]:
    """``self.x``, ``self.state.errors``, ``self.by_job[k]``, ``Cls.x`` or a
    module-level name: a container that outlives the function adding to it;
    None for locals and their attributes."""
    while isinstance(container, ast.Subscript):
        container = container.value
    dotted = ast_dotted_name(container)
    if dotted is None:
        return None
    root = dotted.split(".")[0]
    if (root in _OWN and "." in dotted) or root in module_names:
        return dotted
    return None


def _module_assigned_names(tree: ast.Module) -> Set[str]:
    """Names the module body assigns at its top level: its globals and
    containers. Narrower than ``ModuleIndex.module_names`` on purpose: an
    imported module's name is often shadowed by a local (``exceptions = []``),
    and ``try: ... except E as exc: Name = exc`` at import time runs once."""
    found: Set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.ClassDef):
            found.add(node.name)
    return found
