"""What rules see of the file they check, and the shared analyses they ask for."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, List, Mapping, Optional

import libcst as cst

from leaklint.analysis.names import NameResolver


@dataclass
class Report:
    """A finding before positions are known: a node and what to say of it."""

    code: str
    node: cst.CSTNode
    message: str


class FileContext:
    def __init__(
        self, path: str, text: str, tree: ast.Module, module: cst.Module, metadata: Mapping[Any, Any]
    ) -> None:
        self.path = path
        self.tree = tree  # the ``ast`` of the same text, for cheap whole-file facts
        self.text = text
        self.module = module
        self.metadata = metadata
        # Path from the module to the node being visited, kept by the traversal.
        self.ancestors: List[cst.CSTNode] = []
        self.reports: List[Report] = []
        self._names: Optional[NameResolver] = None

    def report(self, code: str, node: cst.CSTNode, message: str) -> None:
        self.reports.append(Report(code, node, message))

    @property
    def parent(self) -> Optional[cst.CSTNode]:
        return self.ancestors[-2] if len(self.ancestors) > 1 else None

    @property
    def names(self) -> NameResolver:
        if self._names is None:
            self._names = NameResolver(self.tree)
        return self._names

    def qualified_name(self, expr: cst.BaseExpression) -> Optional[str]:
        """Qualified name of a Name/Attribute chain under the node being visited."""
        return self.names.qualified_name(expr, self.ancestors)
