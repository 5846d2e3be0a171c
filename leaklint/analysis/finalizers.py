"""Which classes of a module have ``__del__``, their own or inherited.

Bases defined in the same module are followed, and so are bases imported
from the project's other modules (located through
``leaklint.analysis.project``, which never imports anything).
"""

from __future__ import annotations

import ast
import re
from typing import Dict, List, NamedTuple, Optional, Set, Tuple

from leaklint.analysis.module_index import ModuleIndex, defined_functions
from leaklint.analysis.names import LOCAL_MODULE, NameResolver, ast_dotted_name

# Words of the calls that give a resource back: ``close``, ``_close_fd``,
# ``os.unlink``, ``delete_glo``, ``release``, ``terminate``...
_RELEASE_WORD = re.compile(
    r"(?:^|_)(?:close|release|shutdown|terminate|kill|stop|delete|destroy|free|dispose|"
    r"cleanup|unlink|unmap|rmtree|cancel|quit|exit|dealloc|deallocate)(?:$|_)",
    re.I,
)


class Finalizer(NamedTuple):
    owner: str  # the class that defines ``__del__``
    method: ast.FunctionDef

    def releases(self) -> bool:
        """Whether ``__del__`` gives something back (closes, releases, deletes,
        stops...), rather than only warning, logging or unregistering: only
        then does running it late, when the collector finds a cycle, matter."""
        for node in ast.walk(self.method):
            if isinstance(node, ast.Call):
                dotted = ast_dotted_name(node.func)
                if dotted is not None and is_release_name(dotted.rsplit(".", 1)[-1]):
                    return True
        return False


def is_release_name(name: str) -> bool:
    """``close``, ``_close_fd``, ``delete_glo``, ``shutdown``...: a call or
    method that gives a resource back."""
    return _RELEASE_WORD.search(name) is not None


class Finalizers:
    """Per class name of one module: where its ``__del__`` comes from."""

    def __init__(self, index: ModuleIndex, names: NameResolver, path: Optional[str]) -> None:
        self.index = index
        self.names = names
        self.path = path
        self.classes: Dict[str, List[ast.ClassDef]] = {}
        for node in index.classes:
            self.classes.setdefault(node.name, []).append(node)

    def finalizer_of(self, class_name: str) -> Optional[Finalizer]:
        """The ``__del__`` instances of ``class_name`` run, with the class that
        defines it, or None if there is none (or it cannot be known)."""
        return self._finalizer(class_name, set())

    def _finalizer(self, class_name: str, seen: Set[Tuple[str, str]]) -> Optional[Finalizer]:
        key = (self.path or "", class_name)
        if key in seen:
            return None
        seen.add(key)
        # Classes sharing a name (one per test function...) are only known to
        # finalize if every one of them does.
        found: Optional[Finalizer] = None
        for definition in self.classes.get(class_name, ()):
            method = defined_functions(self.index, definition).get("__del__")
            own = Finalizer(class_name, method) if method is not None else None
            inherited = own or next(filter(None, (self._from_base(base, set(seen)) for base in definition.bases)), None)
            if inherited is None:
                return None
            found = found or inherited
        return found

    def _from_base(self, base: ast.expr, seen: Set[Tuple[str, str]]) -> Optional[Finalizer]:
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
