"""LL105: instances that add themselves to a container that outlives them."""

from __future__ import annotations

import ast
from typing import Dict, Mapping, Optional, Tuple

from leaklint.analysis.containers import Container, Growth, per_call_key
from leaklint.analysis.names import own_nodes
from leaklint.context import FileFacts
from leaklint.rule import CandidateRule

Findings = Dict[Tuple[int, int], Mapping[str, object]]


class InstanceRegistry(CandidateRule):
    """
    ## What it finds
    A class-level or module-level list, set or dict that instances add
    themselves to (`self._all.append(self)`, `Cls.registry[key] = self`, a
    singleton cache `cls._instances[key] = instance` keyed by the arguments)
    when nothing in the module ever removes them: no `remove`, `discard`,
    `pop`, `del`, `clear`. Weak containers (`weakref.WeakSet`,
    `WeakValueDictionary`) are clean, and so is one instance per class.

    ## Why it leaks
    The container holds a strong reference to every instance ever made, so
    none of them is ever freed, nor anything they refer to: connections,
    buffers, callbacks. The class works as if instances died; they do not.

    ## Example
    ```python
    class Connection:
        _open = []

        def __init__(self, address):
            self.address = address
            Connection._open.append(self)
    ```

    ## Fix
    ```python
    import weakref

    class Connection:
        _open = weakref.WeakSet()

        def __init__(self, address):
            self.address = address
            Connection._open.add(self)
    ```
    Or remove the instance in its `close()`.
    """

    code = "LL105"
    name = "instance-registry"
    message = (
        "every instance is added to '{container}' and never removed, so none is ever freed; "
        "use weakref.WeakSet/WeakValueDictionary or remove it in close()"
    )
    reported_on = ("Call", "Subscript")

    VALID = (
        "import weakref\nclass A:\n    _all = weakref.WeakSet()\n    def __init__(self):\n"
        "        A._all.add(self)\n",
        "class A:\n    _all = []\n    def __init__(self):\n        A._all.append(self)\n"
        "    def close(self):\n        A._all.remove(self)\n",
        "class S:\n    _instances = {}\n    def __new__(cls):\n        if cls not in cls._instances:\n"
        "            cls._instances[cls] = super().__new__(cls)\n        return cls._instances[cls]\n",
    )
    INVALID = (
        "class A:\n    _all = []\n    def __init__(self):\n        A._all.append(self)  # expect: LL105\n",
    )

    @classmethod
    def findings(cls, facts: FileFacts) -> Findings:
        found: Findings = {}
        for container in facts.containers.all():
            if container.shrunk or container.escapes:
                continue
            growth = _self_registration(container)
            if growth is not None:
                found[facts.start_of(growth.node)] = {"container": container.display}
        return found


def _self_registration(container: Container) -> Optional[Growth]:
    for growth in container.runtime_growths():
        value = growth.value
        if isinstance(value, ast.Name) and value.id == "self":
            return growth
        if (
            growth.function is not None
            and growth.function.name in ("__new__", "__call__")
            and isinstance(value, ast.Name)
            and _made_by_new(growth.function, value.id)
            and per_call_key(growth.key, growth.function)
        ):
            return growth  # a singleton per argument value: one kept forever for every argument
    return None


def _made_by_new(function: ast.AST, name: str) -> bool:
    """``name = super().__new__(cls)`` / ``super().__call__(*args)`` in ``function``."""
    for node in own_nodes(function):
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute)
            and node.value.func.attr in ("__new__", "__call__")
        ):
            return True
    return False
