"""What is known of one module's ``ast``, each fact computed once, when asked."""

from __future__ import annotations

import ast
from functools import cached_property
from typing import List, Optional

from leaklint.analysis.class_bases import Locator
from leaklint.analysis.factories import Factories
from leaklint.analysis.finalizers import Finalizers
from leaklint.analysis.module_index import ModuleIndex
from leaklint.analysis.names import NameResolver
from leaklint.analysis.ownership import ClassOwnership


class ModuleFacts:
    """Facts of one module: the file being linted, or a project module it imports from."""

    def __init__(
        self, path: str, tree: Optional[ast.Module] = None, text: Optional[str] = None, locate: Optional[Locator] = None
    ) -> None:
        """Give the ``tree``, or the ``text`` to parse it from when first asked;
        ``locate`` finds the project's other modules, for the analyses that
        follow a class's bases into them (``leaklint.analysis.project.locate``)."""
        self.path = path
        self.locate = locate
        if tree is not None:
            self.tree = tree
        self.text = text  # lets analyses skip, by a look at the text, what cannot matter

    @cached_property
    def tree(self) -> ast.Module:
        """Cheap to walk, ten times cheaper to build than libcst's tree; parsed
        late because most modules a file imports from are only searched for
        factories, which their text alone usually rules out. A module that
        does not parse has no facts."""
        try:
            return ast.parse(self.text or "", self.path)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return ast.Module(body=[], type_ignores=[])

    @cached_property
    def nodes(self) -> List[ast.AST]:
        """Every node of the tree, in ``ast.walk``'s order: the analyses that
        look at every node of a kind filter this list instead of walking again."""
        return list(ast.walk(self.tree))

    @cached_property
    def names(self) -> NameResolver:
        return NameResolver(self.tree)

    @cached_property
    def ownership(self) -> ClassOwnership:
        return ClassOwnership(self.nodes, self.names, self.path, self.locate)

    @cached_property
    def factories(self) -> Factories:
        return Factories(lambda: self.tree, lambda: self.names, text=self.text)

    @cached_property
    def finalizers(self) -> Finalizers:
        return Finalizers(self.index, self.names, self.path, self.locate)

    @cached_property
    def index(self) -> ModuleIndex:
        return ModuleIndex(self.tree)
