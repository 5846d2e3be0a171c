"""Qualified names of expressions, resolved from the file's own bindings.

A cheap stand-in for libcst's whole-module ``QualifiedNameProvider``. The
bindings of every scope are collected from the ``ast`` tree (ten times
cheaper to walk than libcst's), once per file and only when a rule first asks
for a name. A libcst node's scope is named by the path of functions and
classes around it (``("Client", "connect")``), read off the traversal's
ancestors, so the two trees never need to be matched node for node.

A name resolves only when it is certain: bound in the scope that owns it by
imports of one and the same thing (or by one module-level ``def``/``class``,
named ``<module>.name``), or an unshadowed builtin. Anything
ambiguous (bound in two ways, assigned, a parameter, a star import) resolves
to None, so that rules stay silent rather than guess.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections import defaultdict
from typing import Callable, DefaultDict, Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from leaklint.syntax.lazy import libcst as cst

_BUILTINS = frozenset(dir(builtins))
# The qualified names of a file's own module-level functions and classes
# start with this (the file's module name is not known from its text alone).
LOCAL_MODULE = "<module>"
ScopePath = Tuple[str, ...]
# name -> what it is bound to: qualified names for imports, None for anything else.
Bindings = Dict[str, Set[Optional[str]]]
# What rules and analyses are given to resolve names: expression -> qualified name or None.
QualifiedName = Callable[["cst.BaseExpression"], Optional[str]]


# Both trees are read (libcst by the rules that visit nodes, ast by the
# whole-file analyses), so the few helpers every rule needs come in pairs:
# ``dotted_name`` for libcst nodes, ``ast_dotted_name`` for ast nodes.
def dotted_name(node: cst.BaseExpression) -> Optional[str]:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def ast_dotted_name(node: ast.expr) -> Optional[str]:
    """``a.b.c`` for an ``ast`` Name/Attribute chain, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def self_attribute(node: ast.AST) -> Optional[str]:
    """``x`` for an ``ast`` node ``self.x``, else None."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return node.attr
    return None


class _Scope:
    __slots__ = ("bindings", "origins", "is_class", "declared_global", "declared_nonlocal")

    def __init__(self, is_class: bool) -> None:
        self.bindings: DefaultDict[str, Set[Optional[str]]] = defaultdict(set)
        # name -> what made each value bound to it, as written (``Path`` for
        # ``p = Path(x)``, ``p: Path`` or ``with Path(x) as p``); None: anything else.
        self.origins: DefaultDict[str, Set[Optional[str]]] = defaultdict(set)
        self.is_class = is_class
        self.declared_global: Set[str] = set()
        self.declared_nonlocal: Set[str] = set()


class _BindingCollector(ast.NodeVisitor):
    """Fills one _Scope per function/class path. Two definitions with the same
    path (``if PY2: def f() ... else: def f() ...``) share one, which only
    makes resolution more cautious. Lambda and comprehension variables count
    as bindings of the enclosing scope, for the same reason."""

    def __init__(self) -> None:
        self.scopes: Dict[ScopePath, _Scope] = {(): _Scope(is_class=False)}
        self.path: List[str] = []
        self.star_import = False
        self._handlers: Dict[type, Callable[[ast.AST], object]] = {}

    # ``ast.NodeVisitor``'s dispatch builds a method name per node and its
    # ``generic_visit`` goes through ``iter_fields``; this walk runs over every
    # node of every file, so both are done by hand, by type.
    def visit(self, node: ast.AST) -> None:
        kind = type(node)
        handler = self._handlers.get(kind)
        if handler is None:
            handler = self._handlers[kind] = getattr(self, "visit_" + kind.__name__, self.generic_visit)
        handler(node)

    def generic_visit(self, node: ast.AST) -> None:
        for field in node._fields:
            value = getattr(node, field, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, ast.AST):
                        self.visit(item)
            elif isinstance(value, ast.AST):
                self.visit(value)

    def visit_Constant(self, node: ast.Constant) -> None:
        return None

    @property
    def current(self) -> _Scope:
        return self.scopes[tuple(self.path)]

    def bind(self, name: str, qualified: Optional[str] = None, origin: Optional[str] = None) -> None:
        scope = self.current
        if name in scope.declared_global:
            scope = self.scopes[()]
        elif name in scope.declared_nonlocal and self.path:
            scope = self.scopes[tuple(self.path[:-1])]
        scope.bindings[name].add(qualified)
        scope.origins[name].add(origin)

    def _bind_made(self, target: ast.expr, value: Optional[ast.expr]) -> bool:
        """``name = X(...)``: bind ``name`` as made by ``X``; False if not that shape."""
        if not (isinstance(target, ast.Name) and isinstance(value, ast.Call)):
            return False
        self.visit(value)
        self.bind(target.id, origin=ast_dotted_name(value.func))
        return True

    def visit_Assign(self, node: ast.Assign) -> None:
        if not (len(node.targets) == 1 and self._bind_made(node.targets[0], node.value)):
            self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if not self._bind_made(node.target, node.value):
            self.generic_visit(node)

    def _with(self, node: "ast.With | ast.AsyncWith") -> None:
        for item in node.items:
            if item.optional_vars is None or not self._bind_made(item.optional_vars, item.context_expr):
                self.visit(item)
        for statement in node.body:
            self.visit(statement)

    visit_With = visit_AsyncWith = _with

    def _enter(self, name: str, is_class: bool) -> None:
        self.path.append(name)
        self.scopes.setdefault(tuple(self.path), _Scope(is_class))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self.bind(alias.asname, alias.name)
            else:
                top = alias.name.split(".", 1)[0]
                self.bind(top, top)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = "." * (node.level or 0) + (node.module or "")
        prefix = module if module.endswith(".") else module + "."
        for alias in node.names:
            if alias.name == "*":
                if not self.path:
                    self.star_import = True
                continue
            self.bind(alias.asname or alias.name, prefix + alias.name)

    def _definition_name(self, name: str) -> Optional[str]:
        # A module-level def or class: ``<module>.name`` (the file's own).
        return f"{LOCAL_MODULE}.{name}" if not self.path else None

    def _function(self, node: "ast.FunctionDef | ast.AsyncFunctionDef") -> None:
        self.bind(node.name, self._definition_name(node.name))
        for decorator in node.decorator_list:
            self.visit(decorator)
        self._visit_outer_parts_of(node.args)
        if node.returns is not None:
            self.visit(node.returns)
        self._enter(node.name, is_class=False)
        self._bind_parameters(node.args)
        for statement in node.body:
            self.visit(statement)
        self.path.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.bind(node.name, self._definition_name(node.name))
        for expr in (*node.decorator_list, *node.bases, *(k.value for k in node.keywords)):
            self.visit(expr)
        self._enter(node.name, is_class=True)
        for statement in node.body:
            self.visit(statement)
        self.path.pop()

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._visit_outer_parts_of(node.args)
        self._bind_parameters(node.args)
        self.visit(node.body)

    def _visit_outer_parts_of(self, args: ast.arguments) -> None:
        for default in (*args.defaults, *(d for d in args.kw_defaults if d is not None)):
            self.visit(default)

    def _bind_parameters(self, args: ast.arguments) -> None:
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
            # ``path: Path``: what the caller passes is taken to be one.
            annotation = ast_dotted_name(arg.annotation) if arg.annotation is not None else None
            self.bind(arg.arg, origin=annotation)
        for rest in (args.vararg, args.kwarg):
            if rest is not None:
                self.bind(rest.arg)

    def visit_Name(self, node: ast.Name) -> None:
        if not isinstance(node.ctx, ast.Load):
            self.bind(node.id)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.bind(node.name)
        self.generic_visit(node)

    def _match_capture(self, node: ast.AST) -> None:
        name = getattr(node, "name", None) or getattr(node, "rest", None)
        if name:
            self.bind(name)
        self.generic_visit(node)

    visit_MatchAs = visit_MatchStar = visit_MatchMapping = _match_capture

    def visit_Global(self, node: ast.Global) -> None:
        self.current.declared_global.update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.current.declared_nonlocal.update(node.names)


class NameResolver:
    """Resolves libcst expressions to qualified names, using the file's ``ast``."""

    def __init__(self, tree: ast.Module) -> None:
        collector = _BindingCollector()
        collector.visit(tree)
        self._scopes: Dict[ScopePath, Tuple[Bindings, bool]] = {}
        self._origins: Dict[ScopePath, Bindings] = {}
        for path, scope in collector.scopes.items():
            self._scopes[path] = (dict(scope.bindings), scope.is_class)
            self._origins[path] = dict(scope.origins)
        self._star_import = collector.star_import

    def qualified_name(self, expr: cst.BaseExpression, ancestors: Sequence[cst.CSTNode]) -> Optional[str]:
        """The qualified name of a Name/Attribute chain seen from ``ancestors``.

        ``ancestors`` is the path from the module to a node that contains
        ``expr`` within the same scope (usually the node being visited).
        """
        dotted = dotted_name(expr)
        return None if dotted is None else self.resolve_dotted(dotted, scope_path(ancestors))

    def resolve_dotted(self, dotted: str, path: ScopePath = ()) -> Optional[str]:
        """The qualified name of ``a.b.c`` written in the scope at ``path``."""
        head, _, rest = dotted.partition(".")
        resolved = self._resolve_head(head, path)
        if resolved is None:
            return None
        return f"{resolved}.{rest}" if rest else resolved

    def _resolve_head(self, name: str, path: ScopePath) -> Optional[str]:
        owner = self._owner(name, path)
        if owner is not None:
            found = self._scopes[owner][0][name]
            # Bound in two ways, or by something other than an import: unknown.
            return next(iter(found)) if len(found) == 1 else None
        if name in _BUILTINS and not self._star_import:
            return f"builtins.{name}"
        return None

    def _owner(self, name: str, path: ScopePath) -> Optional[ScopePath]:
        """The scope, seen from ``path``, whose binding of ``name`` is used."""
        for depth in range(len(path), -1, -1):
            bindings, is_class = self._scopes.get(path[:depth], ({}, False))
            if is_class and depth != len(path):
                continue  # a class body is not visible from functions inside it
            if name in bindings:
                return path[:depth]
        return None

    def is_local(self, name: str, ancestors: Sequence[cst.CSTNode]) -> bool:
        """Whether ``name``, seen from ``ancestors``, is bound in a function
        (a parameter or a local of it, or of a function around it), not in a
        class or the module."""
        owner = self._owner(name, scope_path(ancestors))
        return owner is not None and bool(owner) and not self._scopes[owner][1]

    def instance_of(self, expr: cst.BaseExpression, ancestors: Sequence[cst.CSTNode]) -> Optional[str]:
        """The qualified name of what certainly made the value of ``expr``:
        ``pathlib.Path`` for ``Path(p)``, or for a name every binding of which
        is ``= Path(...)``, ``with Path(...) as name`` or a parameter
        annotated ``Path``; else None."""
        path = scope_path(ancestors)
        if isinstance(expr, cst.Call):
            dotted = dotted_name(expr.func)
            return None if dotted is None else self.resolve_dotted(dotted, path)
        if not isinstance(expr, cst.Name):
            return None
        owner = self._owner(expr.value, path)
        if owner is None:
            return None
        origins = self._origins[owner].get(expr.value, {None})
        origin = next(iter(origins)) if len(origins) == 1 else None
        return None if origin is None else self.resolve_dotted(origin, owner)


def scope_path(ancestors: Sequence[cst.CSTNode]) -> ScopePath:
    """Names of the functions and classes whose bodies hold the end of the path."""
    return tuple(_scope_names(ancestors))


def _scope_names(ancestors: Sequence[cst.CSTNode]) -> Iterator[str]:
    for index in range(len(ancestors) - 1):
        node, child = ancestors[index], ancestors[index + 1]
        if isinstance(node, cst.FunctionDef) and (child is node.body or child is node.params):
            yield node.name.value
        elif isinstance(node, cst.ClassDef) and child is node.body:
            yield node.name.value


def false_constants(nodes: Iterable[ast.AST]) -> FrozenSet[str]:
    """Names every binding of which, anywhere in the file, is ``= False``,
    ``= 0`` or ``= None``: switches such as ``DEBUG = False`` that only an
    edit of the source turns on. ``nodes``: the module's, in ``ast.walk``'s
    order (``ModuleFacts.nodes``)."""
    falsy: Set[str] = set()
    other: Set[str] = set()
    constant_targets: Set[int] = set()
    for node in nodes:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if isinstance(node.value, ast.Constant) and node.value.value in (False, 0, None):
                for target in targets:
                    if isinstance(target, ast.Name):
                        falsy.add(target.id)
                        constant_targets.add(id(target))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            if id(node) in constant_targets:
                continue
            other.add(node.id)  # for-targets, walrus, with ... as, del
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            other.update(node.names)  # set from a function: not a constant
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            other.add(node.name)
            if not isinstance(node, ast.ClassDef):
                other.update(a.arg for a in ast.walk(node.args) if isinstance(a, ast.arg))
        elif isinstance(node, ast.alias):
            other.add((node.asname or node.name).split(".")[0])
    return frozenset(falsy - other)


def name_words(name: str) -> List[str]:
    """The words of an identifier, lower case: ``_close_fd`` -> close, fd;
    ``removeListener`` -> remove, listener; ``CloseHandle`` -> close, handle."""
    return [word.lower() for word in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", name)]


def called_name(call: ast.Call) -> str:
    """The name a call calls, whatever it is called on (``self._socks[0].close``: close)."""
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return call.func.id if isinstance(call.func, ast.Name) else ""


def descendants_in_scope(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes below ``node`` (a function, a loop, a statement), not those
    inside functions, lambdas or classes nested in it (their ``def``/
    ``class`` nodes themselves are yielded: they bind names in its scope).
    Unlike ``ModuleIndex.own_nodes``, a function's decorators and defaults
    count as its own here."""
    stack = list(ast.iter_child_nodes(node))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))

