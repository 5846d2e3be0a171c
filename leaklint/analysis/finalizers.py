"""Which classes of a module have ``__del__``, their own or inherited.

Bases defined in the same module are followed, and so are bases imported
from the project's other modules (located through
``leaklint.analysis.project``, which never imports anything).
"""

from __future__ import annotations

import ast
from typing import Dict, List, Optional, Set, Tuple

from leaklint.analysis.module_index import ModuleIndex, defined_functions
from leaklint.analysis.names import LOCAL_MODULE, NameResolver, ast_dotted_name


class Finalizers:
    """Per class name of one module: where its ``__del__`` comes from."""

    def __init__(self, index: ModuleIndex, names: NameResolver, path: Optional[str]) -> None:
        self.index = index
        self.names = names
        self.path = path
        self.classes: Dict[str, List[ast.ClassDef]] = {}
        for node in index.classes:
            self.classes.setdefault(node.name, []).append(node)

    def finalizer_of(self, class_name: str) -> Optional[str]:
        """``Class.__del__`` naming the class whose ``__del__`` instances of
        ``class_name`` run, or None if there is none (or it cannot be known)."""
        return self._finalizer(class_name, set())

    def _finalizer(self, class_name: str, seen: Set[Tuple[str, str]]) -> Optional[str]:
        key = (self.path or "", class_name)
        if key in seen:
            return None
        seen.add(key)
        # Classes sharing a name (one per test function...) are only known to
        # finalize if every one of them does.
        found: Optional[str] = None
        for definition in self.classes.get(class_name, ()):
            own = class_name if "__del__" in defined_functions(self.index, definition) else None
            inherited = own or next(filter(None, (self._from_base(base, set(seen)) for base in definition.bases)), None)
            if inherited is None:
                return None
            found = found or inherited
        return found

    def _from_base(self, base: ast.expr, seen: Set[Tuple[str, str]]) -> Optional[str]:
        if isinstance(base, ast.Name) and base.id in self.classes:
            return self._finalizer(base.id, seen)
        dotted = ast_dotted_name(base)
        if dotted is None or self.path is None:
            return None
        qualified = self.names.resolve_dotted(dotted)
        if qualified is None or qualified.startswith(f"{LOCAL_MODULE}."):
            return None
        from leaklint.analysis.project import locate  # project modules have Finalizers of their own

        found = locate(self.path, qualified)
        if found is None:
            return None
        module, name = found
        return module.finalizers._finalizer(name, seen)
