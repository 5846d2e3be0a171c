"""Which classes of a module keep what their methods are given.

``Child.__init__(self, parent)`` storing ``self.parent = parent``, or
``Channel._set_transport(self, transport)`` storing ``self.transport =
transport``: an object given to such a method is kept by the instance, so an
owner that hands itself over and keeps the instance is in a reference cycle
with it. Parameters handed on to a base's ``__init__`` (``super().__init__(
name, model)``) are followed to the base's store, and methods a class does
not define are looked up in its bases of the same module.
"""

from __future__ import annotations

import ast
from typing import Dict, List, NamedTuple, Optional, Set, Union

from leaklint.analysis.module_index import Function, ModuleIndex, defined_functions
from leaklint.analysis.names import ast_dotted_name

Slot = Union[int, str]  # a parameter, by position after ``self`` or by name


class KeptArgument(NamedTuple):
    owner: ast.ClassDef  # the class whose method stores it
    statement: ast.Assign  # ``self.parent = parent``
    attribute: str  # "parent"


class ArgumentKeepers:
    """Per class name and method name: which parameters the instance keeps."""

    def __init__(self, index: ModuleIndex) -> None:
        self.index = index
        self.classes: Dict[str, ast.ClassDef] = {}
        for node in index.classes:
            # Classes sharing a name are not told apart: the first one counts.
            self.classes.setdefault(node.name, node)
        self._kept: Dict[tuple, Dict[Slot, KeptArgument]] = {}

    def kept(self, class_name: str, method: str = "__init__") -> Dict[Slot, KeptArgument]:
        """The parameters of ``class_name.method`` that the instance keeps."""
        return self._lookup(class_name, method, set())

    def _lookup(self, class_name: str, method: str, seen: Set[str]) -> Dict[Slot, KeptArgument]:
        key = (class_name, method)
        if key in self._kept:
            return self._kept[key]
        cls = self.classes.get(class_name)
        if cls is None or class_name in seen:
            return {}
        seen = seen | {class_name}
        function = defined_functions(self.index, cls).get(method)
        if function is None:
            found: Dict[Slot, KeptArgument] = {}
            for base in _module_bases(cls, self.classes):
                found = self._lookup(base, method, seen)
                if found:
                    break
        else:
            found = self._stores(cls, function, seen)
        self._kept[key] = found
        return found

    def _stores(self, cls: ast.ClassDef, function: Function, seen: Set[str]) -> Dict[Slot, KeptArgument]:
        parameters = [a.arg for a in function.args.args[1:]]
        keyword_only = [a.arg for a in function.args.kwonlyargs]
        found: Dict[Slot, KeptArgument] = {}

        def keep(parameter: str, kept: KeptArgument) -> None:
            if parameter in parameters:
                found.setdefault(parameters.index(parameter), kept)
            if parameter in parameters or parameter in keyword_only:
                found.setdefault(parameter, kept)

        for node in self.index.own_nodes(function):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
                        keep(node.value.id, KeptArgument(cls, node, target.attr))
            elif isinstance(node, ast.Call) and function.name == "__init__":
                base = _base_init(node, cls, self.classes)
                if base is None:
                    continue
                offset = 1 if _explicit_self(node) else 0
                base_kept = self._lookup(base, "__init__", seen)
                for position, argument in enumerate(node.args[offset:]):
                    if isinstance(argument, ast.Name) and position in base_kept:
                        keep(argument.id, base_kept[position])
                for keyword in node.keywords:
                    if isinstance(keyword.value, ast.Name) and keyword.arg in base_kept:
                        keep(keyword.value.id, base_kept[keyword.arg])
        return found

    def class_called(self, func: ast.expr) -> Optional[str]:
        """The class of the module a call makes: ``Child(...)``,
        ``self.Worker(...)``, ``Outer.Worker(...)`` (a nested class)."""
        dotted = ast_dotted_name(func)
        if dotted is None:
            return None
        root, _, name = dotted.rpartition(".")
        # ``hiredis.Reader`` is another module's class, whatever this one names its own.
        if root and root.split(".")[0] not in ("self", "cls", *self.classes):
            return None
        return name if name in self.classes and name[:1].isupper() else None


def _module_bases(cls: ast.ClassDef, classes: Dict[str, ast.ClassDef]) -> List[str]:
    return [name for base in cls.bases if (name := (ast_dotted_name(base) or "").rsplit(".", 1)[-1]) in classes]


def _base_init(call: ast.Call, cls: ast.ClassDef, classes: Dict[str, ast.ClassDef]) -> Optional[str]:
    """The module base whose ``__init__`` a call runs: ``super().__init__``,
    ``super(Cls, self).__init__``, ``Base.__init__(self, ...)``."""
    func = call.func
    if not (isinstance(func, ast.Attribute) and func.attr == "__init__"):
        return None
    bases = _module_bases(cls, classes)
    if isinstance(func.value, ast.Call) and isinstance(func.value.func, ast.Name) and func.value.func.id == "super":
        return bases[0] if bases else None
    name = (ast_dotted_name(func.value) or "").rsplit(".", 1)[-1]
    return name if name in bases else None


def _explicit_self(call: ast.Call) -> bool:
    """``Base.__init__(self, ...)`` passes the instance first."""
    return isinstance(call.func, ast.Attribute) and not isinstance(call.func.value, ast.Call)
