"""Exceptions and tracebacks that a frame or a module keeps, read from the ``ast``.

A caught exception's traceback starts at the frame that caught it, and a
raised one's gets the frame that raised it: a local of that frame holding
the exception (or its traceback) closes a reference cycle, which keeps the
frame and all of its locals alive until the cyclic collector runs. Python
unbinds ``except ... as e`` names for exactly this reason; other names must
be cleared by hand (``del tb``, ``exc = None`` in a ``finally:``). An
exception instance that outlives every call (a module global) and is
raised again and again collects the frames of every raise on its
``__traceback__``. Used by LL403.
"""

from __future__ import annotations

import ast
from typing import Dict, Iterable, Iterator, List, Optional, Set, Tuple

from leaklint.analysis.captures import is_name
from leaklint.analysis.module_index import FUNCTIONS, Function, ModuleIndex
from leaklint.analysis.names import NameResolver, ast_dotted_name
from leaklint.catalog.containers import GROWING_METHODS
from leaklint.catalog.frames import EXC_INFO

# (node, what is kept, where, how to fix)
Kept = Tuple[ast.AST, str, str, str]

_CYCLE = (
    "in the frame its traceback runs through: a reference cycle that keeps this frame and its locals "
    "alive until the cyclic collector runs"
)
_CLEAR = "del it, or set it to None, in a finally: block"
# Words of names that hold an exception instance (``self._exception``, ``err``),
# and of those that hold a class, which ``raise`` instantiates afresh.
_EXCEPTION_WORDS = frozenset({"exc", "exception", "error", "err", "failure"})
_CLASS_WORDS = frozenset({"type", "class", "cls", "kind", "factory"})
# Endings of the names of exception classes (``KeyError``, ``ParseException``).
_EXCEPTION_CLASS_ENDINGS = ("Error", "Exception", "Exit", "Interrupt", "Warning")


def handler_nodes(handler: ast.ExceptHandler) -> Iterator[ast.AST]:
    """The nodes of an ``except`` block, not those of functions nested in it."""
    stack: List[ast.AST] = list(handler.body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


def drops_traceback(handler: ast.ExceptHandler) -> bool:
    """``e.__traceback__ = None``, ``e.with_traceback(None)``, ``traceback.clear_frames(...)``."""
    for node in handler_nodes(handler):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Attribute) and t.attr == "__traceback__" for t in node.targets
        ):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("with_traceback", "clear_frames"):
                return True
    return False


def frame_cycles(
    index: ModuleIndex, function: Function, names: NameResolver, module_exceptions: Set[str]
) -> Iterator[Kept]:
    """What ``function`` keeps in its own frame while the traceback refers
    to that frame: the caught exception or ``sys.exc_info()`` bound to a
    local (or added to a local container) in an ``except`` block, an
    exception raised from ``self`` or a parameter (``raise self._exception``,
    ``raise exc_info[1].with_traceback(exc_info[2])``), and module-level
    exception instances raised again (``raise NODATA``). None of it when
    the function clears the name (``del tb``, ``exc_info = None``)."""
    nodes = index.own_nodes(function)
    cleared = _Cleared(nodes)
    local = _assigned_names(nodes) - _declared_global(nodes)
    parameters = _parameters(function)
    raises = [node.lineno for node in nodes if isinstance(node, ast.Raise)]
    for node in nodes:
        if isinstance(node, ast.ExceptHandler):
            for kept, collected in _kept_by_handler(node, names, local, cleared):
                # Exceptions collected in a local container matter once the frame escapes
                # with a later raise (an error summary): whoever catches that keeps this
                # frame, every collected exception and all their frames.
                if not collected or any(line > getattr(kept[0], "lineno", 0) for line in raises):
                    yield kept
        elif isinstance(node, ast.Raise) and node.exc is not None:
            raised = _raised_from_frame(node, parameters, cleared, names)
            if raised is None and isinstance(node.exc, ast.Name) and node.exc.id in module_exceptions:
                if node.exc.id not in local:
                    raised = (
                        node,
                        f"the module-level exception instance '{node.exc.id}'",
                        "raised again: every raise adds the frames it passes through to its __traceback__, "
                        "which only grows, and keeps them and their locals alive",
                        "raise a new exception each time",
                    )
            if raised is not None:
                yield raised


def module_kept(index: ModuleIndex, names: NameResolver) -> Iterator[Kept]:
    """At import time, ``except ImportError as e: _error = e``: a global
    holding the exception keeps its traceback, whose frames lead back
    through the import system to whoever imported the module, for the life
    of the process."""
    for handler in index.own_nodes(index.tree):
        if not isinstance(handler, ast.ExceptHandler) or drops_traceback(handler):
            continue
        for node in handler_nodes(handler):
            if isinstance(node, (*FUNCTIONS, ast.ClassDef)):
                continue
            for target, value in _bindings(node):
                what = _caught(value, handler.name, names)
                if what and isinstance(target, ast.Name) and target.id != handler.name:
                    yield (
                        node,
                        f"{what} kept in the module global '{target.id}'",
                        "keeps its traceback, the frames of the import and of whoever imported this module, "
                        "and all their locals alive for the life of the process",
                        "keep e.with_traceback(None) or str(e) instead",
                    )


def module_exception_instances(tree: ast.Module) -> Set[str]:
    """Module globals bound once to an exception instance: ``NODATA = KeyError("...")``;
    none when the module drops tracebacks of exceptions it handles
    (``exc.__traceback__ = None`` in its handler)."""
    found: Set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Call):
            callee = ast_dotted_name(node.value.func) or ""
            if callee.rpartition(".")[2].endswith(_EXCEPTION_CLASS_ENDINGS):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                found.update(t.id for t in targets if isinstance(t, ast.Name))
    if found and _drops_tracebacks(tree):
        return set()
    return found


def _drops_tracebacks(tree: ast.Module) -> bool:
    """``exc.__traceback__ = None`` or ``exc.with_traceback(None)`` anywhere in the module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and node.value.value is None:
            if any(isinstance(t, ast.Attribute) and t.attr == "__traceback__" for t in node.targets):
                return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "with_traceback"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value is None
        ):
            return True
    return False


def _kept_by_handler(
    handler: ast.ExceptHandler, names: NameResolver, local: Set[str], cleared: "_Cleared"
) -> Iterator[Tuple[Kept, bool]]:
    """(kept, collected): the traceback (``sys.exc_info()``, ``e.__traceback__``)
    bound to a local, as the docs of ``sys.exc_info`` warned; or the caught
    exception added to a local container (collected). A plain copy of the
    exception (``last_error = e``) is one exception's cycle, and not reported;
    nor is the exception once the block drops its traceback."""
    caught = None if drops_traceback(handler) else handler.name
    for node in handler_nodes(handler):
        for target, value in _bindings(node):
            what = _caught(value, handler.name, names)
            if not what or what.startswith("exception"):
                continue
            for name in _kept_names(target, value, names):
                if name != handler.name and name in local and not cleared.after(name, node):
                    yield (node, f"{what} kept in the local '{name}'", _CYCLE, _CLEAR), False
        for container, value in _local_additions(node):
            what = _caught(value, caught, names)
            if what and container in local and not cleared.after(container, node):
                yield (node, f"{what} added to the local '{container}'", _CYCLE, _CLEAR), True


def _bindings(node: ast.AST) -> Iterator[Tuple[ast.expr, ast.expr]]:
    if isinstance(node, ast.Assign):
        for target in node.targets:
            yield target, node.value
    elif isinstance(node, ast.AnnAssign) and node.value is not None:
        yield node.target, node.value


def _kept_names(target: ast.expr, value: ast.expr, names: NameResolver) -> List[str]:
    """The names that end up holding the exception or traceback: the target,
    or, when ``sys.exc_info()`` is unpacked, those of the value and traceback."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)) and _exc_info_index(value, names) == "whole":
        return [t.id for t in target.elts[1:3] if isinstance(t, ast.Name)]
    return []


def _local_additions(node: ast.AST) -> Iterator[Tuple[str, ast.expr]]:
    """(container, value) for ``errors[key] = value`` and ``errors.append(value)`` on a bare name."""
    if isinstance(node, ast.Assign):
        for target in node.targets:
            if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                yield target.value.id, node.value
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in GROWING_METHODS
        and isinstance(node.func.value, ast.Name)
    ):
        for argument in node.args:
            yield node.func.value.id, argument


def _caught(value: ast.expr, caught: Optional[str], names: NameResolver) -> Optional[str]:
    """How to call ``value`` when it is the exception being handled (or its
    traceback): the ``as`` name, its ``__traceback__``, ``sys.exc_info()``
    (whole, or its value or traceback; not the type alone)."""
    if caught and is_name(value, caught):
        return f"exception '{caught}'"
    if isinstance(value, ast.Attribute) and value.attr == "__traceback__" and caught and is_name(value.value, caught):
        return f"the traceback of '{caught}'"
    if _exc_info_index(value, names) in ("whole", "value", "traceback"):
        return "sys.exc_info()"
    return None


def _exc_info_index(value: ast.expr, names: NameResolver) -> Optional[str]:
    """``whole`` for ``sys.exc_info()``, ``value``/``traceback``/``type`` for its items."""
    call, index = value, None
    if isinstance(value, ast.Subscript) and isinstance(value.slice, ast.Constant):
        call, index = value.value, value.slice.value
    if not isinstance(call, ast.Call):
        return None
    dotted = ast_dotted_name(call.func)
    if not dotted or names.resolve_dotted(dotted) != EXC_INFO:
        return None
    parts: Dict[Optional[object], str] = {None: "whole", 0: "type", 1: "value", 2: "traceback", -1: "traceback"}
    return parts.get(index)


def _raised_from_frame(
    node: ast.Raise, parameters: Set[str], cleared: "_Cleared", names: NameResolver
) -> Optional[Kept]:
    """``raise self._exception``, ``raise value.with_traceback(tb)``: the
    raised exception is reachable from this frame (through ``self`` or a
    parameter), and its new traceback refers to the frame."""
    raised = node.exc
    assert raised is not None
    instance = False  # ``.with_traceback()`` is only ever called on an instance
    if isinstance(raised, ast.Call) and isinstance(raised.func, ast.Attribute) and raised.func.attr == "with_traceback":
        raised, instance = raised.func.value, True
    root = raised
    while isinstance(root, (ast.Subscript, ast.Attribute)):
        root = root.value
    if not isinstance(root, ast.Name) or root.id not in parameters or cleared.after(root.id, node):
        return None
    # ``raise self._exception``: stored on the object, so each raise ties the frame to it;
    # ``raise value.with_traceback(tb)``: a traceback handed in, re-attached here. A bare
    # parameter (``def error(self, exception): raise exception``) is a handler's contract.
    stored = isinstance(raised, ast.Attribute) and any(is_name(raised.value, own) for own in ("self", "cls"))
    if not (instance or (stored and _names_an_exception(raised))):
        return None
    shown = ast_dotted_name(raised) or root.id
    return (
        node,
        f"the exception in '{shown}', raised from a frame that holds it,",
        "gets this frame on its traceback: a reference cycle that keeps the frame and its locals alive "
        "until the cyclic collector runs",
        f"clear '{root.id}' in a finally: block ({root.id} = None)",
    )


def _names_an_exception(expr: ast.expr) -> bool:
    """``self._exception``, ``err``: a name whose words say it holds an
    exception, not a class (``self.error_class``, ``exc_type``)."""
    name = expr.attr if isinstance(expr, ast.Attribute) else expr.id if isinstance(expr, ast.Name) else ""
    words = set(name.lower().strip("_").split("_"))
    return bool(words & _EXCEPTION_WORDS) and not words & _CLASS_WORDS


def _parameters(function: Function) -> Set[str]:
    args = function.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return {arg.arg for arg in every if arg is not None}


class _Cleared:
    """Names the function lets go of (``del x``, ``x = None``, ``x.clear()``),
    and where: only a clearing after the binding breaks the cycle it makes
    (``err = None`` before the loop that sets it does not)."""

    def __init__(self, nodes: Iterable[ast.AST]) -> None:
        self._lines: Dict[str, List[int]] = {}
        for node in nodes:
            for name in _let_go(node):
                self._lines.setdefault(name, []).append(node.lineno)  # type: ignore[attr-defined]

    def after(self, name: str, node: ast.AST) -> bool:
        line = getattr(node, "lineno", 0)
        return any(cleared > line for cleared in self._lines.get(name, ()))


def _let_go(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Delete):
        yield from (t.id for t in node.targets if isinstance(t, ast.Name))
    elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and node.value.value is None:
        for target in node.targets:
            elements = target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]
            yield from (t.id for t in elements if isinstance(t, ast.Name))
    elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        if isinstance(func, ast.Attribute) and func.attr == "clear" and isinstance(func.value, ast.Name):
            yield func.value.id


def _assigned_names(nodes: Iterable[ast.AST]) -> Set[str]:
    return {node.id for node in nodes if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}


def _declared_global(nodes: Iterable[ast.AST]) -> Set[str]:
    return {name for node in nodes if isinstance(node, (ast.Global, ast.Nonlocal)) for name in node.names}
