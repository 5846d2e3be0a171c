"""Qualified names of expressions, resolved from the file's own bindings.

A cheap stand-in for libcst's whole-module ``QualifiedNameProvider``: the
bindings of a scope are collected only when a rule asks to resolve a name
inside it, and the scope of a node is read off the traversal's ancestor path.
A name resolves only when it is certain: bound once by imports in the scope
that owns it, or an unshadowed builtin. Anything ambiguous (bound twice in
different ways, assigned, a parameter, after a star import) resolves to None,
so rules stay silent rather than guess.
"""

from __future__ import annotations

import builtins
from collections import defaultdict
from typing import Dict, Iterable, Iterator, Optional, Sequence, Set, Union

import libcst as cst

_BUILTINS = frozenset(dir(builtins))
# A binding that is not an import: the name's value is unknown.
_UNKNOWN = None

ScopeNode = Union[cst.Module, cst.FunctionDef, cst.ClassDef, cst.Lambda]
Bindings = Dict[str, Set[Optional[str]]]


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


def _module_path(node: Union[cst.Attribute, cst.Name, None], dots: int) -> str:
    name = dotted_name(node) if node is not None else ""
    return "." * dots + (name or "")


def _target_names(target: cst.BaseExpression) -> Iterator[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _target_names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _target_names(target.value)


class _BindingCollector(cst.CSTVisitor):
    """Names bound directly in one scope; nested scopes add only their own name."""

    def __init__(self) -> None:
        super().__init__()
        self.bindings: Bindings = defaultdict(set)
        self.declared_outer: Set[str] = set()  # global / nonlocal
        self.star_import = False

    def bind(self, name: str, qualified: Optional[str] = _UNKNOWN) -> None:
        self.bindings[name].add(qualified)

    def bind_targets(self, target: cst.BaseExpression) -> None:
        for name in _target_names(target):
            self.bind(name)

    # Nested scopes: their name is bound here, their body is not visited.
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.bind(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.bind(node.name.value)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def _comprehension(self, node: cst.CSTNode) -> bool:
        return False

    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _comprehension

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            full = dotted_name(alias.name) or ""
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.bind(alias.asname.name.value, full)
            else:
                top = full.split(".", 1)[0]
                self.bind(top, top)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = _module_path(node.module, len(node.relative))
        if isinstance(node.names, cst.ImportStar):
            self.star_import = True
            return
        for alias in node.names:
            imported = dotted_name(alias.name) or ""
            local = imported
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            prefix = module if module.endswith(".") else module + "."
            self.bind(local, prefix + imported)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.bind_targets(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.bind_targets(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.bind_targets(node.target)

    def visit_For(self, node: cst.For) -> None:
        self.bind_targets(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self.bind_targets(node.asname.name)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self.bind_targets(node.name.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.bind_targets(node.target)

    def visit_Del(self, node: cst.Del) -> None:
        self.bind_targets(node.target)

    def visit_Param(self, node: cst.Param) -> None:
        self.bind(node.name.value)

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        if node.name is not None:
            self.bind(node.name.value)

    def visit_MatchStar(self, node: cst.MatchStar) -> None:
        if node.name is not None:
            self.bind(node.name.value)

    def visit_MatchMapping(self, node: cst.MatchMapping) -> None:
        if node.rest is not None:
            self.bind(node.rest.value)

    def visit_Global(self, node: cst.Global) -> None:
        self.declared_outer.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.declared_outer.update(item.name.value for item in node.names)


class _Scope:
    __slots__ = ("bindings", "star_import")

    def __init__(self, node: ScopeNode) -> None:
        collector = _BindingCollector()
        for part in _scope_parts(node):
            part.visit(collector)
        for name in collector.declared_outer:
            collector.bindings.pop(name, None)
        self.bindings: Bindings = dict(collector.bindings)
        self.star_import = collector.star_import


def _scope_parts(node: ScopeNode) -> Iterable[cst.CSTNode]:
    if isinstance(node, cst.Module):
        return node.body
    if isinstance(node, cst.FunctionDef):
        return (node.params, node.body)
    if isinstance(node, cst.Lambda):
        return (node.params,)
    return (node.body,)


class NameResolver:
    """Resolves expressions to qualified names; one per file, scopes built on demand."""

    def __init__(self, module: cst.Module) -> None:
        self._module = module
        self._scopes: Dict[int, _Scope] = {}

    def _scope(self, node: ScopeNode) -> _Scope:
        scope = self._scopes.get(id(node))
        if scope is None:
            scope = self._scopes[id(node)] = _Scope(node)
        return scope

    def qualified_name(
        self, expr: cst.BaseExpression, ancestors: Sequence[cst.CSTNode]
    ) -> Optional[str]:
        """The qualified name of a Name/Attribute chain seen from ``ancestors``.

        ``ancestors`` is the path from the module to a node that contains
        ``expr`` within the same scope (usually the node being visited).
        """
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        resolved = self._resolve_head(head, ancestors)
        if resolved is None:
            return None
        return f"{resolved}.{rest}" if rest else resolved

    def _resolve_head(self, name: str, ancestors: Sequence[cst.CSTNode]) -> Optional[str]:
        scopes = [*reversed(list(_enclosing_scopes(ancestors))), self._module]
        for scope_node in scopes:
            bindings = self._scope(scope_node).bindings.get(name)
            if bindings is not None:
                # Bound twice in different ways, or not by an import: unknown.
                return next(iter(bindings)) if len(bindings) == 1 else None
        if name in _BUILTINS and not self._scope(self._module).star_import:
            return f"builtins.{name}"
        return None


def _enclosing_scopes(ancestors: Sequence[cst.CSTNode]) -> Iterator[ScopeNode]:
    """Function, lambda and class scopes whose bodies hold the end of the path.

    A class body is visible only to code directly in it, not to functions
    nested in it, so a class scope is yielded only when it is innermost.
    """
    innermost_class: Optional[cst.ClassDef] = None
    for index in range(len(ancestors) - 1):
        node, child = ancestors[index], ancestors[index + 1]
        if isinstance(node, cst.FunctionDef) and (child is node.body or child is node.params):
            innermost_class = None
            yield node
        elif isinstance(node, cst.Lambda) and (child is node.body or child is node.params):
            innermost_class = None
            yield node
        elif isinstance(node, cst.ClassDef) and child is node.body:
            innermost_class = node
    if innermost_class is not None:
        yield innermost_class
