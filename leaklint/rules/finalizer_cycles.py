"""LL401 and LL402: instances with ``__del__`` kept alive by themselves."""

from __future__ import annotations

import ast
import re
from typing import Dict, Iterator, Mapping, Optional, Set, Tuple

from leaklint.analysis.captures import is_name, reference_to
from leaklint.analysis.finalizers import is_releasing_method
from leaklint.catalog.containers import SHRINKING_METHODS, STORING_METHODS
from leaklint.analysis.names import ast_dotted_name
from leaklint.analysis.singletons import singleton_by_base
from leaklint.analysis.module_index import ModuleIndex, defined_functions, method_names
from leaklint.context import FileFacts
from leaklint.rule import CandidateRule

Findings = Dict[Tuple[int, int], Mapping[str, object]]
_SUBCLASS = re.compile(r"^\s*class\s+\w+\s*\(\s*[\w.]", re.M)


class DelWithCycle(CandidateRule):
    """
    ## What it finds
    A method of a class with `__del__` (its own, or inherited from a base in
    the same module or another module of the project) that stores on `self`
    something holding `self`: `self.me = self`, a bound method
    (`self.callback = self.on_done`), a lambda or nested function using
    `self`, a `functools.partial` over one, or an object of a class of the
    module that keeps the argument (`self.child = Child(self)`), directly or
    added to a container on `self`. `weakref.ref(self)`/`weakref.proxy(self)`
    are not references and stay clean, and so are classes whose `__del__`
    gives nothing back (it only warns, logs or unregisters): running it late
    loses nothing. A store the class undoes (`self.x = None`, `del
    self.display.windows[w]`, `.pop`/`.remove`) or makes in a releasing
    method (`close()` leaving a closed stand-in) is no lasting cycle.

    ## Why it leaks
    An object in a reference cycle is not freed when its last outside
    reference goes, only when the cyclic garbage collector runs and finds
    the cycle, which may be much later (or never, with `gc.disable()`). The
    `__del__` that was meant to release a file, a socket or a lock runs only
    then, and until Python 3.4 such cycles were never freed at all
    (`gc.garbage`). The class has `__del__` precisely because its release
    matters, so the cycle defeats it.

    ## Example
    ```python
    class Stream:
        def __init__(self, fd):
            self.fd = fd
            self.on_close = self.close

        def close(self):
            os.close(self.fd)

        def __del__(self):
            self.close()
    ```

    ## Fix
    Do not keep the bound method; look it up when needed, or hold the object
    weakly (`weakref.WeakMethod(self.close)`, `weakref.proxy(self)` for a
    child's back-reference).
    """

    code = "LL401"
    checks_test_modules = False
    # Opt-in until precise: 1 of the 2 findings left over ten corpora (20M lines)
    # delays a real release; few cycles run through a releasing __del__.
    default_enabled = False
    name = "del-with-cycle"
    message = (
        "'{target}' holds {what}: a reference cycle through '{cls}', whose __del__ ({finalizer}) then "
        "runs only when the cyclic collector finds it; store a weakref.ref/WeakMethod instead"
    )

    VALID = (
        "import weakref\nclass A:\n    def __init__(self):\n        self.me = weakref.ref(self)\n"
        "    def __del__(self): self.sock.close()\n",
        "class A:\n    def __init__(self):\n        self.me = self\n    def __del__(self): print('gone')\n",
        "class A:\n    def __init__(self):\n        self.callback = self.close\n    def close(self): pass\n",
    )
    INVALID = (
        "class A:\n    def __init__(self):\n        self.callback = self.close  # expect: LL401\n"
        "    def close(self): pass\n    def __del__(self): self.close()\n",
        "class Child:\n    def __init__(self, parent):\n        self.parent = parent\n"
        "class A:\n    def __init__(self):\n        self.child = Child(self)  # expect: LL401\n"
        "    def __del__(self): self.sock.close()\n",
    )

    @classmethod
    def findings(cls, facts: FileFacts) -> Findings:
        # Without ``__del__`` in the file, only a base from another module can bring one.
        if "__del__" not in facts.text and not _SUBCLASS.search(facts.text):
            return {}
        index = facts.index
        found: Findings = {}
        keepers: Optional[Dict[str, Set[object]]] = None
        for node in index.classes:
            finalizer = facts.finalizers.finalizer_of(node.name)
            if finalizer is None or not finalizer.releases() or _made_once(node, facts):
                continue
            methods = method_names(index, node)
            broken = _cycles_broken(index, node)
            for function in index.class_functions(node):
                if function.name == "__del__":
                    continue
                nested = defined_functions(index, function)
                if is_releasing_method(function.name):
                    continue  # ``close()`` storing a closed stand-in after releasing
                for statement, target, value in _stores_on_self(index, function):
                    if target.split(".")[1] in broken or target in broken:
                        continue
                    if keepers is None:
                        keepers = _classes_keeping_arguments(index)
                    what = reference_to(value, "self", methods, nested, facts.names, bare=True) or _keeper(
                        value, keepers
                    )
                    if what:
                        found[facts.place(statement)] = {
                            "target": target,
                            "what": what,
                            "cls": node.name,
                            "finalizer": f"{finalizer.owner}.__del__",
                        }
        return found


class DelResurrectsSelf(CandidateRule):
    """
    ## What it finds
    A `__del__` that stores `self` where it stays reachable: in a global, in
    a container or attribute of another object, of the class or of the
    module (`_pool.append(self)`, `type(self).last = self`). A container the
    module also takes objects out of, or bounds, is a place objects are
    parked until they are finished (`subprocess` keeps a `Popen` whose child
    still runs until it is reaped) and stays clean.

    ## Why it leaks
    Storing `self` during finalization resurrects the object: it is alive
    again, with everything it references, for as long as that place holds
    it, and Python runs an object's `__del__` only once, so its cleanup will
    not run again when it dies for good. Pools that recycle objects this way
    grow with every object that was ever finalized.

    ## Example
    ```python
    _free = []

    class Buffer:
        def __del__(self):
            _free.append(self)
    ```

    ## Fix
    Recycle explicitly (a `release()` method or a context manager that puts
    the object back), and keep `__del__` to releasing what the object holds.
    """

    code = "LL402"
    checks_test_modules = False
    name = "del-resurrects-self"
    message = "__del__ stores self in '{target}', which keeps it alive after finalization; recycle it explicitly"

    VALID = (
        "class A:\n    def __del__(self):\n        self.closed = True\n",
        "import weakref\nclass A:\n    def __del__(self):\n        self.registry.discard(id(self))\n",
    )
    INVALID = (
        "_last = None\nclass A:\n    def __del__(self):\n        global _last\n        _last = self  # expect: LL402\n",
        "class A:\n    last = None\n    def __del__(self):\n        type(self).last = self  # expect: LL402\n",
    )

    @classmethod
    def findings(cls, facts: FileFacts) -> Findings:
        if "__del__" not in facts.text:
            return {}
        found: Findings = {}
        index = facts.index
        for node in index.functions:
            if node.name == "__del__" and node.args.args:
                me = node.args.args[0].arg
                declared_global = {n for g in index.own_nodes(node) if isinstance(g, ast.Global) for n in g.names}
                for statement, target in _stores_of(index, node, me, declared_global):
                    if not _drained(facts, target, index.class_of(node)):
                        found[facts.place(statement)] = {"target": target}
        return found


def _drained(facts: FileFacts, target: str, cls: Optional[ast.ClassDef]) -> bool:
    """``target`` is a container the module also takes objects out of, or
    bounds: objects are parked there to be finished later (``subprocess``
    keeps a ``Popen`` whose child still runs in ``_active`` until it is
    reaped), which is recycling, not a leak."""
    for own_class in ("type(self).", "self.__class__."):
        if cls is not None and target.startswith(own_class):
            target = f"{cls.name}.{target[len(own_class):]}"
    parts = target.split(".")
    if len(parts) == 1:
        container = facts.containers.module.get(parts[0])
    elif len(parts) == 2:
        container = facts.containers.attributes.get((parts[0], parts[1]))
    else:
        return False
    return container is not None and (container.shrunk or container.bounded)


def _made_once(cls: ast.ClassDef, facts: FileFacts) -> bool:
    """A class its module or its framework makes once: its cycle is never
    left for the collector while the process runs."""
    return cls.name in facts.made_once or singleton_by_base(cls, facts.index, facts.names)


def _cycles_broken(index: ModuleIndex, cls: ast.ClassDef) -> Set[str]:
    """Attributes of ``self`` the class lets go of (``self.x = None``, ``del
    self.x``: ``close()`` breaking the cycle), and class-level containers
    (``_instances = WeakSet()`` in the class body), which are no cycle."""
    broken: Set[str] = set()
    for node in index.own_nodes(cls):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            broken.update(t.id for t in targets if isinstance(t, ast.Name))
    for function in index.class_functions(cls):
        for node in index.own_nodes(function):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and node.value.value is None:
                released = node.targets
            elif isinstance(node, ast.Delete):
                released = node.targets
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SHRINKING_METHODS:
                released = [node.func.value]
            else:
                continue
            for target in released:
                path = _self_rooted(target)
                if path is None:
                    continue
                broken.add(path)  # ``del self.display._window_map[w]``: that store is undone
                if target is not None and path == f"self.{getattr(target, 'attr', '')}":
                    broken.add(path.split(".")[1])
    return broken


def _stores_on_self(index: ModuleIndex, function: ast.AST) -> Iterator[Tuple[ast.AST, str, ast.expr]]:
    """(statement, what it stores into, the value) for values put on ``self``:
    ``self.x = v``, ``self.x[k] = v``, ``self.x.append(v)``."""
    for node in index.own_nodes(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                name = _self_rooted(target)
                if name:
                    yield node, name, node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in STORING_METHODS
        ):
            name = _self_rooted(node.func.value)
            if name:
                for argument in node.args:
                    yield node, name, argument


def _self_rooted(target: ast.expr) -> Optional[str]:
    """``self.x`` for ``self.x``, ``self.x[k]``, ``self.x.y``; None for anything else."""
    while isinstance(target, ast.Subscript):
        target = target.value
    dotted = ast_dotted_name(target)
    if dotted is None or not dotted.startswith("self.") or "__class__" in dotted:
        return None
    return dotted


def _classes_keeping_arguments(index: ModuleIndex) -> Dict[str, Set[object]]:
    """Per class of the module: the ``__init__`` arguments (positions after
    ``self``, and names) it stores on the instance."""
    keepers: Dict[str, Set[object]] = {}
    for node in index.classes:
        init = defined_functions(index, node).get("__init__")
        if init is None:
            continue
        parameters = [a.arg for a in init.args.args[1:]]
        stored = {
            n.value.id
            for n in index.own_nodes(init)
            if isinstance(n, ast.Assign) and isinstance(n.value, ast.Name)
            and any(_self_rooted(t) for t in n.targets)
        }
        kept: Set[object] = {p for p in parameters if p in stored}
        kept |= {i for i, p in enumerate(parameters) if p in stored}
        if kept:
            keepers[node.name] = kept
    return keepers


def _keeper(value: ast.expr, keepers: Dict[str, Set[object]]) -> Optional[str]:
    """``Child(self)`` where ``Child`` stores that argument: the child points back."""
    if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)):
        return None
    kept = keepers.get(value.func.id)
    if not kept:
        return None
    for position, argument in enumerate(value.args):
        if isinstance(argument, ast.Name) and argument.id == "self" and position in kept:
            return f"a '{value.func.id}' that keeps 'self'"
    for keyword in value.keywords:
        if isinstance(keyword.value, ast.Name) and keyword.value.id == "self" and keyword.arg in kept:
            return f"a '{value.func.id}' that keeps 'self'"
    return None


def _stores_of(index: ModuleIndex, function: ast.AST, me: str, declared_global: Set[str]) -> Iterator[Tuple[ast.AST, str]]:
    """Statements of ``__del__`` putting ``me`` itself somewhere outside it."""
    for node in index.own_nodes(function):
        if isinstance(node, ast.Assign) and is_name(node.value, me):
            for target in node.targets:
                place = _outside_place(target, me, declared_global)
                if place:
                    yield node, place
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in STORING_METHODS
            and any(is_name(a, me) for a in node.args)
        ):
            place = _outside_place(node.func.value, me, declared_global, container=True)
            if place:
                yield node, place


def _outside_place(target: ast.expr, me: str, declared_global: Set[str], container: bool = False) -> Optional[str]:
    """A name for where ``target`` lives if that outlives the object, else None."""
    base = target
    while isinstance(base, ast.Subscript):
        base = base.value
    if isinstance(base, ast.Name):
        if base.id == me:
            return None
        if base is target and not container:
            return base.id if base.id in declared_global else None
        return base.id
    if isinstance(base, ast.Attribute):
        root = base
        while isinstance(root, ast.Attribute):
            root = root.value
        text = ast.unparse(base)
        if isinstance(root, ast.Name) and root.id == me and "__class__" not in text:
            return None
        if isinstance(root, ast.Call) and not (
            isinstance(root.func, ast.Name) and root.func.id == "type"
        ):
            return None
        return text
    return None
