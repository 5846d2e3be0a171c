"""Which classes of a module have ``__del__``, their own or inherited.

Bases defined in the same module are followed, and so are bases imported
from the project's other modules (``leaklint.analysis.class_bases``).
"""

from __future__ import annotations

import ast
from typing import Dict, List, NamedTuple, Optional, Set, Tuple

from leaklint.analysis.class_bases import Locator, resolve_base
from leaklint.analysis.module_index import Function, ModuleIndex, defined_functions
from leaklint.analysis.names import NameResolver, ast_dotted_name, called_name, name_words
from leaklint.catalog.descriptors import FILE_RELEASE_FUNCTIONS

# Words of the calls that give a resource back: ``close``, ``_close_fd``,
# ``CloseHandle``, ``fclose``, ``delete_glo``, ``release``, ``terminate``,
# ``_disconnect`` (a connection)...
_RELEASE_WORDS = frozenset(
    {
        "close", "fclose", "closesocket", "release", "shutdown", "terminate", "kill", "stop", "delete",
        "destroy", "free", "dispose", "cleanup", "unlink", "unmap", "munmap", "rmtree", "rmdir", "cancel",
        "quit", "exit", "dealloc", "deallocate", "disconnect",
    }
)
# Methods that release what their object holds: stores made there come after.
_RELEASING_METHOD_WORDS = frozenset(
    {"close", "aclose", "shutdown", "release", "stop", "terminate", "dispose", "destroy", "cleanup", "teardown"}
)


class Finalizer(NamedTuple):
    owner: str  # the class that defines ``__del__``
    method: Function
    cls: ast.ClassDef  # where ``__del__`` is defined, for the methods it calls

    def releases(self) -> bool:
        """Whether ``__del__`` gives something back (closes, releases, deletes,
        stops...), itself or in a method of its class that it calls, rather
        than only warning, logging or unregistering: only then does running
        it late, when the collector finds a cycle, matter."""
        methods = {n.name: n for n in self.cls.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        bodies: List[Function] = [self.method]
        seen = {self.method.name}
        while bodies:
            for node in ast.walk(bodies.pop()):
                if not isinstance(node, ast.Call):
                    continue
                if ast_dotted_name(node.func) in FILE_RELEASE_FUNCTIONS or is_release_name(called_name(node)):
                    return True
                # ``self._teardown()``: one of its own methods, followed.
                if (
                    isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "self"
                    and node.func.attr in methods
                    and node.func.attr not in seen
                ):
                    seen.add(node.func.attr)
                    bodies.append(methods[node.func.attr])
        return False


def is_release_name(name: str) -> bool:
    """``close``, ``_close_fd``, ``CloseHandle``, ``delete_glo``, ``shutdown``...:
    a call that gives a resource back."""
    return any(word in _RELEASE_WORDS for word in name_words(name))


def is_releasing_method(name: str) -> bool:
    """``close``, ``_close``, ``aclose``, ``shutdown_all``, ``__exit__``: a
    method whose job is releasing (its first word says so)."""
    if name in ("__exit__", "__aexit__"):
        return True
    words = name_words(name)
    return bool(words) and words[0] in _RELEASING_METHOD_WORDS


class Finalizers:
    """Per class name of one module: where its ``__del__`` comes from."""

    def __init__(
        self, index: ModuleIndex, names: NameResolver, path: Optional[str], locate: Optional[Locator] = None
    ) -> None:
        self.index = index
        self.names = names
        self.path = path
        self.locate = locate  # finds the project's other modules
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
            own = Finalizer(class_name, method, definition) if method is not None else None
            inherited = own or next(filter(None, (self._from_base(base, set(seen)) for base in definition.bases)), None)
            if inherited is None:
                return None
            found = found or inherited
        return found

    def _from_base(self, base: ast.expr, seen: Set[Tuple[str, str]]) -> Optional[Finalizer]:
        found = resolve_base(base, self.classes, self.names, self.path, self.locate)
        if found is None or found.external:
            return None
        owner = self if found.module is None else found.module.finalizers
        return owner._finalizer(found.name, seen)
