"""What the classes of a file do with the resources stored on their instances.

Read from the ``ast`` of the whole file, so that a class parsed by libcst on
its own can still be checked against its bases and the rest of the module.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from typing import DefaultDict, Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

from leaklint.analysis.class_bases import Locator, resolve_base
from leaklint.analysis.names import NameResolver, self_attribute
from leaklint.catalog.resources import BASES_HOLDING_NOTHING, INERT_BASE_NAMES
from leaklint.catalog.special_names import DYNAMIC_ACCESS


class ClassOwnership:
    """Per class name: the ``self`` attributes its methods release or hand over.

    Bases defined in the file are followed; so are bases imported from the
    project's other modules, located through ``leaklint.analysis.project``.
    """

    def __init__(
        self,
        nodes: Iterable[ast.AST],
        names: Optional[NameResolver] = None,
        path: Optional[str] = None,
        locate: Optional[Locator] = None,
    ) -> None:
        """``nodes``: every node of the module (``ModuleFacts.nodes``);
        ``locate`` finds the project's other modules."""
        self.names = names
        self.path = path
        self.locate = locate
        self.classes: Dict[str, List[ast.ClassDef]] = defaultdict(list)
        # ``anything.attr.close()`` anywhere: someone outside may close it.
        self.closed_anywhere: DefaultDict[str, Set[str]] = defaultdict(set)
        for node in nodes:
            if isinstance(node, ast.ClassDef):
                self.classes[node.name].append(node)
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Attribute)
            ):
                self.closed_anywhere[node.func.value.attr].add(node.func.attr)

    def calls_in_init(self, class_name: str, method: str) -> bool:
        """Whether the class's own ``__init__`` calls ``self.<method>()``."""
        for definition in self.classes.get(class_name, ()):
            for item in definition.body:
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    for node in ast.walk(item):
                        if (
                            isinstance(node, ast.Call)
                            and isinstance(node.func, ast.Attribute)
                            and node.func.attr == method
                            and self_attribute(node.func) == method
                        ):
                            return True
        return False

    def released_attributes(self, class_name: str, release_methods: FrozenSet[str]) -> Optional[Set[str]]:
        """Attributes of ``self`` the class (or a base defined in the project)
        releases or hands over; None when that cannot be known (dynamic access,
        a base class from a library)."""
        return self._released(class_name, release_methods, set())

    def _released(self, class_name: str, methods: FrozenSet[str], seen: Set[Tuple[str, str]]) -> Optional[Set[str]]:
        if (self.path or "", class_name) in seen:
            return set()
        seen.add((self.path or "", class_name))
        definitions = self.classes.get(class_name)
        if not definitions:
            return None
        released: Set[str] = set()
        for definition in definitions:
            for base in definition.bases:
                if isinstance(base, ast.Name) and base.id in INERT_BASE_NAMES:
                    continue
                inherited = self._released_by_base(base, methods, seen)
                if inherited is None:
                    return None
                released |= inherited
            found = _released_in_class(definition, methods)
            if found is None:
                return None
            released |= found
        return released

    def _released_by_base(self, base: ast.expr, methods: FrozenSet[str], seen: Set[Tuple[str, str]]) -> Optional[Set[str]]:
        found = resolve_base(base, self.classes, self.names, self.path, self.locate)
        if found is None:
            return None
        if found.qualified in BASES_HOLDING_NOTHING:
            return set()
        if found.external:
            return None  # a library's class: what it releases is not known
        owner = self if found.module is None else found.module.ownership
        return owner._released(found.name, methods, seen)


def _released_in_class(definition: ast.ClassDef, methods: FrozenSet[str]) -> Optional[Set[str]]:
    released: Set[str] = set()
    for node in ast.walk(definition):
        if _reaches_self_dynamically(node):
            return None
        if isinstance(node, ast.Call):
            func = node.func
            # self.x.close()
            if isinstance(func, ast.Attribute) and func.attr in methods:
                attribute = self_attribute(func.value)
                if attribute:
                    released.add(attribute)
            # helper(self.x), stack.callback(self.x.close)
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                attribute = self_attribute(arg) or (
                    self_attribute(arg.value) if isinstance(arg, ast.Attribute) else None
                )
                if attribute:
                    released.add(attribute)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                attribute = self_attribute(item.context_expr)
                if attribute:
                    released.add(attribute)
        elif isinstance(node, (ast.Return, ast.Yield, ast.YieldFrom)) and node.value is not None:
            attribute = self_attribute(node.value)
            if attribute:
                released.add(attribute)
        elif isinstance(node, ast.Assign):
            # ``sock = self.sock`` (then closed through the alias), or stored elsewhere
            attribute = self_attribute(node.value)
            if attribute:
                released.add(attribute)
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                attribute = self_attribute(target)
                if attribute:
                    released.add(attribute)
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            for element in node.elts:
                attribute = self_attribute(element)
                if attribute:
                    released.add(attribute)
    return released


def _reaches_self_dynamically(node: ast.AST) -> bool:
    """``getattr(self, name)``, ``vars(self)``, ``self.__dict__``: the object's
    attributes by computed name (``getattr(resp, "sent")`` is not)."""
    if isinstance(node, ast.Attribute) and node.attr == "__dict__":
        return isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in DYNAMIC_ACCESS:
        first = node.args[0] if node.args else None
        return first is None or (isinstance(first, ast.Name) and first.id in ("self", "cls"))
    return False
