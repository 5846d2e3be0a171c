"""LL105: instances that add themselves to a container that outlives them."""

from __future__ import annotations

import ast
from typing import Optional

from leaklint.analysis.containers import Container, Growth
from leaklint.analysis.module_index import FUNCTIONS
from leaklint.core.context import FileFacts, Findings
from leaklint.core.rule import WATCH_FIELD, CandidateRule



class InstanceRegistry(CandidateRule):
    """
    ## What it finds
    A class-level or module-level list, set or dict that instances add
    themselves to (`self._all.append(self)`, `Cls.registry[key] = self`)
    when nothing in the module ever removes them: no `remove`, `discard`,
    `pop`, `del`, `clear`, `registry[key] = None`. Weak containers
    (`weakref.WeakSet`, `WeakValueDictionary`) are clean, and so are classes
    the module makes itself while it is imported (a fixed set of constants,
    made by its body or by a function only its body calls), and tables of
    named definitions (`Issue.by_code[code] = self`, keyed by a name, code
    or label: one per name, replaced by a new one of the same name), and
    descriptors (classes defining `__get__`), which class bodies make once.

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
    summary_text = "Instances adding themselves to a class- or module-level registry they never leave"
    checks_test_modules = False
    # Opt-in until precise: 6 of its 11 findings over ten corpora (20M lines)
    # keep run-time objects; the rest are made once, in other modules.
    default_enabled = False
    name = "instance-registry"
    message = (
        "every instance is added to '{container}' and never removed, so none is ever freed; "
        "use weakref.WeakSet/WeakValueDictionary or remove it in close()"
    )

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
        constants = facts.made_once
        for container in facts.containers.all():
            if container.shrunk or container.escapes:
                continue
            growth = _self_registration(container)
            if growth is None or _by_name(growth):
                continue
            owner = _class_of(growth, facts.tree)
            if owner is not None and (owner.name in constants or _is_descriptor(owner)):
                continue
            found[facts.place(growth.node)] = {"container": container.display, WATCH_FIELD: container.watch}
        return found


def _self_registration(container: Container) -> Optional[Growth]:
    for growth in container.runtime_growths():
        value = growth.value
        if isinstance(value, ast.Name) and value.id == "self":
            return growth
    return None


def _class_of(growth: Growth, tree: ast.Module) -> Optional[ast.ClassDef]:
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and growth.function in node.body:
            return node
    return None


def _is_descriptor(cls: ast.ClassDef) -> bool:
    """A class defining ``__get__``: its instances are made in class bodies
    (``timeout = Option("http", "timeout")``), once, when they are defined."""
    return any(isinstance(node, FUNCTIONS) and node.name == "__get__" for node in cls.body)


# What definitions are registered under: ``Color.by_name[name] = self``.
_NAME_LIKE = frozenset({"name", "code", "label", "symbol", "tag", "method", "slug", "title", "kind"})


def _by_name(growth: Growth) -> bool:
    """``Registry[name] = self``, keyed by a name-like value (``name``,
    ``self.code``, ``func.__name__``, ``unit_name``): a table of named
    definitions, one per name, which a new instance of the same name
    replaces. Handles and keys (ids, urls, pids, sockets, session keys) are
    not names."""
    key = growth.key
    if key is None or growth.method not in ("[]=", "setdefault"):
        return False
    if isinstance(key, ast.Attribute):
        word = key.attr
    elif isinstance(key, ast.Name):
        word = key.id
    else:
        return False
    word = word.strip("_").lower()
    return word in _NAME_LIKE or word.endswith(("_name", "_code", "_label"))
