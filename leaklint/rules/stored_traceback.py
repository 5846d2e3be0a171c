"""LL403: an exception, traceback or frame kept past the block that needed it."""

from __future__ import annotations

import ast
import re
from typing import Dict, Iterator, List, Mapping, Optional, Set, Tuple

from leaklint.analysis.captures import is_name
from leaklint.analysis.module_index import FUNCTIONS
from leaklint.catalog.containers import STORING_METHODS
from leaklint.analysis.names import NameResolver, ast_dotted_name
from leaklint.context import FileFacts
from leaklint.rule import CandidateRule

Findings = Dict[Tuple[int, int], Mapping[str, object]]
_FRAME_GETTERS = frozenset({"inspect.currentframe", "sys._getframe"})
_EXC_INFO = "sys.exc_info"
# Calls that turn an exception or traceback into something that holds no frame.
_FLATTENERS = frozenset({"str", "repr", "format", "type"})
_TRACEBACK_CLEARERS = frozenset({"traceback.clear_frames"})
# ``except ... as name:``, or the calls and attributes that hand out frames.
_WORTH_A_LOOK = re.compile(r"\bexcept\b[^\n:]*\bas\b|exc_info|currentframe|_getframe|__traceback__")


class StoredTraceback(CandidateRule):
    """
    ## What it finds
    - In an `except ... as e:` block, `e` stored where it outlives the block:
      an attribute (`self.error = e`), a global, or a container on `self` or
      of the module.
    - `sys.exc_info()` (or its value or traceback) or `e.__traceback__`
      stored in an attribute or a global. (In a local it only makes a cycle
      with the function's frame, which the collector frees.)
    - `inspect.currentframe()` / `sys._getframe()` (the function's own
      frame) kept in a local without a `del` of it (the `inspect`
      documentation asks for one in a `finally`), or stored in an attribute
      or a global.

    Re-raising, logging, formatting to a string, `e.with_traceback(None)` or
    `e.__traceback__ = None` first, and `del` stay clean.

    ## Why it leaks
    An exception holds its traceback, the traceback holds every frame it
    passed through, and each frame holds all of its local variables. An
    exception kept on a long-lived object keeps all of that alive with it:
    request objects, buffers, database rows. A traceback or frame kept in a
    local of its own frame makes a reference cycle that only the cyclic
    garbage collector frees, some time later.

    ## Example
    ```python
    class Worker:
        def run(self, job):
            try:
                job()
            except Exception as e:
                self.last_error = e
    ```

    ## Fix
    Keep what you need of it, not the exception: its text, or the exception
    without its traceback.
    ```python
    class Worker:
        def run(self, job):
            try:
                job()
            except Exception as e:
                self.last_error = repr(e)
    ```
    For frames: `frame = inspect.currentframe()` then `try: ... finally: del frame`.
    """

    code = "LL403"
    checks_test_modules = False
    # Opt-in until precise: 0 of 26 findings were leaks (holders short-lived by design, exceptions kept to re-raise).
    default_enabled = False
    name = "stored-traceback"
    message = "{what} kept in '{target}' holds every frame of its traceback and their locals; {fix}"

    VALID = (
        "class A:\n    def run(self):\n        try:\n            pass\n        except Exception as e:\n"
        "            self.error = str(e)\n",
        "import inspect\ndef f():\n    frame = inspect.currentframe()\n    try:\n        return frame.f_back\n"
        "    finally:\n        del frame\n",
        "import sys\ndef f():\n    try:\n        pass\n    except Exception:\n        kind = sys.exc_info()[0]\n",
    )
    INVALID = (
        "class A:\n    def run(self):\n        try:\n            pass\n        except Exception as e:\n"
        "            self.error = e  # expect: LL403\n",
        "import inspect\ndef f():\n    frame = inspect.currentframe()  # expect: LL403\n    return frame.f_lineno\n",
    )

    @classmethod
    def findings(cls, facts: FileFacts) -> Findings:
        if not _WORTH_A_LOOK.search(facts.text):
            return {}
        found: Findings = {}
        index = facts.index
        module_names = _module_assigned_names(facts.tree)
        for scope in [index.tree, *index.functions]:
            nodes = index.own_nodes(scope)
            declared_global = {n for g in nodes if isinstance(g, ast.Global) for n in g.names}
            deleted = {t.id for d in nodes if isinstance(d, ast.Delete) for t in d.targets if isinstance(t, ast.Name)}
            places = _Places(declared_global | (module_names if isinstance(scope, ast.Module) else set()), module_names)
            for statement, target, what, fix in _kept(scope, nodes, facts.names, places, deleted):
                found[facts.place(statement)] = {"what": what, "target": target, "fix": fix}
        return found


class _Places:
    """Names that outlive a scope: for re-binding (globals), and for adding to
    or setting attributes on (globals and module-level names)."""

    def __init__(self, rebound: Set[str], module_names: Set[str]) -> None:
        self.rebound = rebound
        self.reachable = rebound | module_names | {"self", "cls"}


def _kept(
    scope: ast.AST, nodes: List[ast.AST], names: NameResolver, long_lived: "_Places", deleted: Set[str]
) -> Iterator[Tuple[ast.AST, str, str, str]]:
    in_function = isinstance(scope, FUNCTIONS)
    for handler in nodes:
        if isinstance(handler, ast.ExceptHandler) and handler.name:
            yield from _exception_kept(handler, long_lived)
    for node in nodes:
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.AST)):
            continue
        kind = _frame_or_traceback(node.value, names)
        if kind is None:
            continue
        what, fix = kind
        for target in node.targets:
            place = _long_lived_place(target, long_lived)
            if place:
                yield node, place, what, fix
            elif in_function and what.startswith("the frame") and isinstance(target, ast.Name):
                # A traceback in a local is freed with the frame by the collector; the
                # inspect documentation asks for ``del`` of a frame kept in a local.
                kept = {target.id} - deleted
                if kept:
                    yield node, sorted(kept)[0], what, "del it in a finally: block when done"


def _exception_kept(handler: ast.ExceptHandler, long_lived: "_Places") -> Iterator[Tuple[ast.AST, str, str, str]]:
    name = handler.name
    fix = "keep str(e), or the exception with e.with_traceback(None)"
    if _drops_traceback(handler, name):
        return
    for node in _handler_nodes(handler):
        if isinstance(node, ast.Assign) and is_name(node.value, name):
            for target in node.targets:
                place = _long_lived_place(target, long_lived)
                if place:
                    yield node, place, f"exception '{name}'", fix
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in STORING_METHODS
            and any(is_name(a, name) for a in node.args)
        ):
            place = _long_lived_place(node.func.value, long_lived, container=True)
            if place:
                yield node, place, f"exception '{name}'", fix


def _handler_nodes(handler: ast.ExceptHandler) -> Iterator[ast.AST]:
    stack = list(handler.body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


def _drops_traceback(handler: ast.ExceptHandler, name: str) -> bool:
    """``e.__traceback__ = None``, ``e.with_traceback(None)``, ``traceback.clear_frames(...)``."""
    for node in _handler_nodes(handler):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Attribute) and t.attr == "__traceback__" for t in node.targets
        ):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("with_traceback", "clear_frames"):
                return True
    return False


def _frame_or_traceback(value: ast.expr, names: NameResolver) -> Optional[Tuple[str, str]]:
    """(what, how to fix) when ``value`` is the current frame, ``sys.exc_info()``
    (whole, or its value or traceback), or an exception's ``__traceback__``."""
    call = value
    index: Optional[int] = None
    if isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Constant):
        call, index = value.value, value.slice.value  # type: ignore[assignment]
    if isinstance(value, ast.Attribute) and value.attr == "__traceback__":
        return "the traceback", "keep traceback.format_tb(tb) or del it when done"
    if not isinstance(call, ast.Call):
        return None
    dotted = ast_dotted_name(call.func)
    qualified = names.resolve_dotted(dotted) if dotted else None
    if qualified == _EXC_INFO and index in (None, 1, 2, -1):
        return "sys.exc_info()", "keep traceback.format_exc() or del it when done"
    if qualified in _FRAME_GETTERS and index is None and _own_frame(call):
        return f"the frame from {qualified}()", "del it in a finally: block when done"
    return None


def _own_frame(call: ast.Call) -> bool:
    """``currentframe()``/``_getframe()``/``_getframe(0)``: the function's own frame
    (a caller's frame kept in a local makes no cycle with this one)."""
    if not call.args:
        return True
    first = call.args[0]
    return isinstance(first, ast.Constant) and first.value == 0


def _long_lived_place(target: ast.expr, places: "_Places", container: bool = False) -> Optional[str]:
    """``self.x``, ``self.x[k]``, ``module_object.attr``, a global; None for
    locals and for attributes of local objects (a result handed back)."""
    base = target
    while isinstance(base, ast.Subscript):
        base = base.value
    if isinstance(base, ast.Attribute):
        dotted = ast_dotted_name(base)
        if dotted is not None and dotted.split(".")[0] in places.reachable:
            return dotted
        return None
    if isinstance(base, ast.Name):
        if base is target and not container:
            return base.id if base.id in places.rebound else None
        return base.id if base.id in places.reachable - {"self", "cls"} else None
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
    return found
