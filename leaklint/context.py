"""What rules see of the file they check, and the shared analyses they ask for."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, FrozenSet, List, Mapping, Optional, Tuple, TypeVar

import libcst as cst
from libcst.metadata import PositionProvider

from leaklint.analysis.containers import ModuleContainers
from leaklint.analysis.factories import Factories
from leaklint.analysis.locks import Locks, find_locks
from leaklint.analysis.names import NameResolver, false_constants
from leaklint.analysis.ownership import ClassOwnership
from leaklint.analysis.project import imported_factories
from leaklint.catalog.resources import USER_RESOURCE, ResourceKind
from leaklint.options import AnalysisOptions

T = TypeVar("T")


@dataclass
class Report:
    """A finding before positions are known: a node and what to say of it.

    ``related`` nodes are placed too, and their first lines fill the
    ``{NAME_line}`` fields of the message template.
    """

    code: str
    node: cst.CSTNode
    template: str
    fields: Mapping[str, object]
    related: Mapping[str, cst.CSTNode] = field(default_factory=dict)


class FileFacts:
    """Whole-file facts, computed at most once per file whatever the number of
    statements libcst parses separately."""

    def __init__(self, path: str, text: str, tree: ast.Module, options: AnalysisOptions = AnalysisOptions()) -> None:
        self.path = path
        self.options = options
        self.text = text
        self.tree = tree  # the ``ast`` of the same text, cheap to walk
        self._names: Optional[NameResolver] = None
        self._locks: Optional[Locks] = None
        self._ownership: Optional[ClassOwnership] = None
        self._factories: Optional[Factories] = None
        self._false_constants: Optional[FrozenSet[str]] = None
        self._containers: Optional[ModuleContainers] = None
        # What ``ast``-decided rules found, by rule: asked once per file, not per statement.
        self.rule_findings: Dict[Any, Any] = {}
        self._lines: Optional[List[str]] = None
        self._imported_factories: Optional[Dict[str, Tuple[ResourceKind, str]]] = None

    @property
    def names(self) -> NameResolver:
        if self._names is None:
            self._names = NameResolver(self.tree)
        return self._names

    @property
    def ownership(self) -> ClassOwnership:
        if self._ownership is None:
            self._ownership = ClassOwnership(self.tree, self.names, self.path)
        return self._ownership

    @property
    def factories(self) -> Factories:
        if self._factories is None:
            imported = {name: kind for name, (kind, _) in self.imported_factories.items()}
            imported.update((name, USER_RESOURCE) for name in self.options.resource_functions)
            self._factories = Factories(self.tree, lambda: self.names, imported)
        return self._factories

    @property
    def imported_factories(self) -> Dict[str, Tuple[ResourceKind, str]]:
        """Functions of the project's other modules that return a fresh
        resource: qualified name -> (kind, the word calls of it use)."""
        if self._imported_factories is None:
            self._imported_factories = imported_factories(self.path, self.text, self.tree)
        return self._imported_factories

    @property
    def containers(self) -> ModuleContainers:
        if self._containers is None:
            self._containers = ModuleContainers(self.tree, self.names)
        return self._containers

    def start_of(self, node: ast.AST) -> Tuple[int, int]:
        """Line, and column in characters from 0, of an ``ast`` node (whose
        own column counts UTF-8 bytes)."""
        line = node.lineno
        if self._lines is None:
            self._lines = self.text.splitlines()
        text = self._lines[line - 1] if line - 1 < len(self._lines) else ""
        return line, len(text.encode("utf-8")[: node.col_offset].decode("utf-8", "replace"))

    @property
    def false_constants(self) -> FrozenSet[str]:
        if self._false_constants is None:
            self._false_constants = false_constants(self.tree)
        return self._false_constants

    @property
    def locks(self) -> "Locks":
        if self._locks is None:
            self._locks = find_locks(self.tree, self.names)
        return self._locks


class FileContext:
    """One libcst module (a top-level statement of the file) being visited."""

    def __init__(
        self, facts: FileFacts, module: cst.Module, metadata: Mapping[Any, Any], line_offset: int = 0
    ) -> None:
        self.facts = facts
        self.line_offset = line_offset  # the statement's first line in the file, minus one
        self.path = facts.path
        self.module = module
        self.metadata = metadata
        # Path from the module to the node being visited, kept by the traversal.
        self.ancestors: List[cst.CSTNode] = []
        self.reports: List[Report] = []
        self._shared: Dict[Any, Any] = {}

    def report(
        self,
        code: str,
        node: cst.CSTNode,
        template: str,
        fields: Mapping[str, object],
        related: Optional[Mapping[str, cst.CSTNode]] = None,
    ) -> None:
        self.reports.append(Report(code, node, template, fields, related or {}))

    @property
    def names(self) -> NameResolver:
        return self.facts.names

    def start(self, node: cst.CSTNode) -> Tuple[int, int]:
        """Where ``node`` starts in the file: line, and column counted in
        characters from 0 (needs PositionProvider among the rule's metadata)."""
        position = self.metadata[PositionProvider][node].start
        return position.line + self.line_offset, position.column

    def qualified_name(self, expr: cst.BaseExpression) -> Optional[str]:
        """Qualified name of a Name/Attribute chain under the node being visited."""
        return self.names.qualified_name(expr, self.ancestors)

    def shared(self, key: Any, compute: Callable[[], T]) -> T:
        """An analysis result shared by the rules that ask for it with ``key``."""
        if key not in self._shared:
            self._shared[key] = compute()
        return self._shared[key]
