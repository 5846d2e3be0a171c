"""What the file's own functions do with what they are given.

``def dump(tar): tar.addfile(...)`` only uses its argument: handing a file
to it does not hand the file over. ``def _close(conn): conn.close()``
releases it. Read from the ``ast``, per parameter of every module-level
function and method: a parameter is *borrowed* when each use of it is an
attribute of it (``tar.add(...)``, ``conn.closed``) other than a release,
*released* when the function calls a release method on it, and kept (the
default, and what leaklint assumed of any call) otherwise: returned,
stored, passed on, aliased, captured by nested code.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Callable, Dict, FrozenSet, Optional, Tuple

from leaklint.syntax.lazy import libcst as cst

from leaklint.analysis.module_index import FUNCTIONS
from leaklint.analysis.names import LOCAL_MODULE, QualifiedName, ast_dotted_name, descendants_in_scope
from leaklint.catalog.resources import HANDING_OUT_METHODS

BORROWED = "borrowed"
RELEASED = "released"


@dataclass(frozen=True)
class ParameterUses:
    """A function's parameters in call order (``self`` left out for methods),
    and what it does with each that it borrows or releases."""

    parameters: Tuple[str, ...]
    uses: Dict[str, str]

    def of_argument(self, position: Optional[int], keyword: Optional[str]) -> Optional[str]:
        """BORROWED, RELEASED or None for the argument at ``position`` or named ``keyword``."""
        if keyword is not None:
            return self.uses.get(keyword)
        if position is not None and position < len(self.parameters):
            return self.uses.get(self.parameters[position])
        return None


class LocalCallees:
    """The file's functions (``name``) and methods (``Class.name``) by what
    they do with their parameters; computed for a function when first asked."""

    def __init__(self, tree: ast.Module) -> None:
        self._functions: Dict[str, "ast.FunctionDef | ast.AsyncFunctionDef"] = {}
        defined_by: Dict[str, int] = {}
        for node in tree.body:
            if isinstance(node, FUNCTIONS):
                self._functions[node.name] = node
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, FUNCTIONS):
                        self._functions[f"{node.name}.{item.name}"] = item
                        defined_by[item.name] = defined_by.get(item.name, 0) + 1
        # ``self.m(x)`` may run a subclass's ``m``: trusted only when one class defines it.
        for key in [key for key in self._functions if "." in key]:
            if defined_by[key.split(".", 1)[1]] > 1:
                del self._functions[key]
        self._seen: Dict[Tuple[str, FrozenSet[str]], Optional[ParameterUses]] = {}

    def uses(self, key: str, release_methods: FrozenSet[str]) -> Optional[ParameterUses]:
        """``key``: a module-level function's name, or ``Class.method``;
        ``release_methods``: what releases the kind of resource given to it
        (``wait()`` reaps a process, but does not close its pipes)."""
        if (key, release_methods) not in self._seen:
            function = self._functions.get(key)
            uses = None if function is None else _parameter_uses(function, "." in key, release_methods)
            self._seen[(key, release_methods)] = uses
        return self._seen[(key, release_methods)]


def _parameter_uses(
    function: "ast.FunctionDef | ast.AsyncFunctionDef", is_method: bool, release_methods: FrozenSet[str]
) -> Optional[ParameterUses]:
    arguments = function.args
    if arguments.vararg is not None or arguments.kwarg is not None:
        return None  # ``*args`` may be passed on whole: keep it simple
    if _is_stub(function):
        return None  # a base's placeholder: what overrides it does is not known
    if is_method and any(_is_static(d) for d in function.decorator_list):
        is_method = False
    positional = [arg.arg for arg in (*arguments.posonlyargs, *arguments.args)]
    if is_method:
        positional = positional[1:]
    names = (*positional, *(arg.arg for arg in arguments.kwonlyargs))
    uses: Dict[str, str] = {}
    for name in names:
        verdict = _verdict(function, name, release_methods)
        if verdict is not None:
            uses[name] = verdict
    return ParameterUses(tuple(positional), uses)


def _is_static(decorator: ast.expr) -> bool:
    """``@staticmethod`` (a classmethod's ``cls`` is left out like ``self``)."""
    return isinstance(decorator, ast.Name) and decorator.id == "staticmethod"


def _is_stub(function: "ast.FunctionDef | ast.AsyncFunctionDef") -> bool:
    """``pass``, ``...``, a docstring, ``raise NotImplementedError`` or
    ``@abstractmethod``: a body that subclasses replace."""
    if any((ast_dotted_name(d) or "").endswith("abstractmethod") for d in function.decorator_list):
        return True
    for statement in function.body:
        if isinstance(statement, ast.Pass) or (
            isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
        ):
            continue
        if isinstance(statement, ast.Raise):
            exc = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
            if isinstance(exc, ast.Name) and exc.id == "NotImplementedError":
                continue
        return False
    return True


def _verdict(function: ast.AST, name: str, release_methods: FrozenSet[str]) -> Optional[str]:
    """BORROWED, RELEASED, or None (kept, or never used: nothing to go by)."""
    attribute_of: Dict[int, ast.Attribute] = {}
    nodes = list(descendants_in_scope(function))
    for node in nodes:
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == name:
            attribute_of[id(node.value)] = node
        if isinstance(node, (ast.Lambda, *FUNCTIONS, ast.ClassDef)) and _mentions(node, name):
            return None  # captured by nested code
    released = False
    used = False
    for node in nodes:
        if isinstance(node, ast.Name) and node.id == name:
            used = True
            if not isinstance(node.ctx, ast.Load):
                return None  # re-bound: what it refers to later is not known
            attribute = attribute_of.get(id(node))
            if attribute is None or not isinstance(attribute.ctx, ast.Load):
                return None  # passed on, returned, stored, or an attribute set on it
            if attribute.attr in HANDING_OUT_METHODS:
                return None
            if attribute.attr in release_methods:
                released = True
    if not used:
        return None
    return RELEASED if released else BORROWED


def _mentions(node: ast.AST, name: str) -> bool:
    return any(isinstance(child, ast.Name) and child.id == name for child in ast.walk(node))



def plain_classes(tree: ast.Module) -> FrozenSet[str]:
    """Module-level classes with no bases whose ``__init__`` (if any) only
    stores its parameters and constants on ``self``: making one cannot
    raise (``result = Result()``), short of running out of memory."""
    found = set()
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or node.bases or node.keywords or node.decorator_list:
            continue
        initializers = [
            item for item in node.body if isinstance(item, FUNCTIONS) and item.name in ("__init__", "__new__")
        ]
        if all(_only_stores(item) for item in initializers) and not any(
            isinstance(item, FUNCTIONS) and item.name == "__post_init__" for item in node.body
        ):
            found.add(node.name)
    return frozenset(found)


def _only_stores(function: "ast.FunctionDef | ast.AsyncFunctionDef") -> bool:
    if function.name != "__init__" or function.args.defaults and not all(
        isinstance(default, ast.Constant) for default in function.args.defaults
    ):
        return False
    for statement in function.body:
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue  # a docstring
        if not (isinstance(statement, (ast.Assign, ast.AnnAssign)) and statement.value is not None):
            return False
        if not all(isinstance(node, (ast.Name, ast.Constant, ast.Load, ast.List, ast.Dict, ast.Tuple)) for node in ast.walk(statement.value)):
            return False
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        if not all(
            isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self"
            for target in targets
        ):
            return False
    return True


# What a call does with one of its arguments: BORROWED, RELEASED or None.
LocalUse = Callable[["cst.Call", "cst.Arg"], Optional[str]]


def local_use_of(
    callees: LocalCallees, resolve: QualifiedName, class_name: Optional[str], release_methods: FrozenSet[str]
) -> LocalUse:
    """What the file's own function, or method of ``class_name`` called as
    ``self.m(...)``, does with an argument that ``release_methods`` release."""

    def use(call: cst.Call, argument: cst.Arg) -> Optional[str]:
        func = call.func
        key = None
        if isinstance(func, cst.Name) and resolve(func) == f"{LOCAL_MODULE}.{func.value}":
            key = func.value
        elif (
            class_name is not None
            and isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.value.value in ("self", "cls")
        ):
            key = f"{class_name}.{func.attr.value}"
        uses = callees.uses(key, release_methods) if key is not None else None
        if uses is None or argument.star:
            return None
        if argument.keyword is not None:
            return uses.of_argument(None, argument.keyword.value)
        before = call.args[: next(i for i, arg in enumerate(call.args) if arg is argument)]
        if any(arg.star for arg in before):
            return None  # ``f(*extra, fh)``: its position is not known
        return uses.of_argument(sum(1 for arg in before if arg.keyword is None), None)

    return use
