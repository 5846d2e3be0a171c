"""LL401 and LL402: instances with ``__del__`` kept alive by themselves."""

from __future__ import annotations

import ast
import re
from typing import Dict, Iterator, List, Optional, Set, Tuple

import leaklint.watch as watch
from leaklint.analysis.back_references import ArgumentKeepers, KeptArgument
from leaklint.analysis.captures import is_name, reference_to
from leaklint.analysis.finalizers import Finalizer, is_releasing_method
from leaklint.catalog.containers import SHRINKING_METHODS, STORING_METHODS
from leaklint.catalog.registrations import WEAK_WRAPPERS
from leaklint.analysis.names import ast_dotted_name
from leaklint.analysis.singletons import singleton_by_base
from leaklint.analysis.module_index import ModuleIndex, defined_functions, method_names
from leaklint.core.context import FileFacts, Findings
from leaklint.core.rule import WATCH_FIELD, CandidateRule

_SUBCLASS = re.compile(r"^\s*class\s+\w+\s*\(\s*[\w.]", re.M)


class DelWithCycle(CandidateRule):
    """
    ## What it finds
    A method of a class with `__del__` (its own, inherited from a base in
    the same module or another module of the project, or that of a subclass
    of the module, whose instances run the base's methods) that stores on
    `self` something holding `self`: `self.me = self`, a bound method
    (`self.callback = self.on_done`), a lambda or nested function using
    `self`, a `functools.partial` over one, an object of another module's
    class made with such a callback
    (`self._reader = Reader(on_error=self.parse_error)`), directly or added
    to a container on `self`; the
    same for an instance a class method makes (`conn = cls()`), and for an
    object kept on `self` that is given `self` (`part.owner = self`).
    Parents and children of the module are followed: a child made with
    `self` or given it (`Child(self)`, `[Atom(i, self) for ...]`,
    `chan._set_transport(self)`), whose class keeps that argument (in
    `__init__`, a base's `__init__` it is handed on to, or the method
    called), and that the parent keeps: reported where the parent hands
    itself over and where the child stores it, when either class has a
    releasing `__del__`. `weakref.ref(self)`/`weakref.proxy(self)`, and a
    property setter keeping a weak reference, are not references and stay
    clean, and so are classes whose `__del__` gives nothing back (it only
    warns, logs or unregisters): running it late loses nothing. A store the
    class undoes outside `__init__` (`self.x = None`, `del
    self.display.windows[w]`, `.pop`/`.remove`), or a child letting go of
    its parent, is no lasting cycle, unless only `__del__` undoes it (a
    hook such as `on_disconnect()` that nothing else in the module calls);
    and a store made in a releasing method (`close()` leaving a closed
    stand-in) is none either.

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
    summary_text = "A reference cycle through an object with `__del__`"
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
        "class Child:\n    def __init__(self, parent):\n        self.parent = parent  # expect: LL401\n"
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
        keepers = ArgumentKeepers(index)
        finalizers: Dict[str, Optional[Tuple[Finalizer, str]]] = {}

        def finalizer_of(name: str) -> Optional[Tuple[Finalizer, str]]:
            if name not in finalizers:
                finalizers[name] = _cycle_finalizer(name, facts)
            return finalizers[name]

        weak_setters = _weak_setters(facts)
        for node in index.classes:
            if _made_once(node, facts):
                continue
            own = finalizer_of(node.name)
            # The objects in the cycles wait for the collector: their number is what grows.
            instances = watch.instances(name) if (name := index.module_class_name(node)) else None
            methods = _bound_methods(index, node)
            broken = _cycles_broken(index, node, own[0] if own else None)
            for function in index.class_functions(node):
                if function.name == "__del__" or is_releasing_method(function.name):
                    continue  # ``close()`` storing a closed stand-in after releasing
                nested = defined_functions(index, function)
                for me in _instances(index, function, node):

                    def holds_me(value: ast.expr) -> Optional[str]:
                        return reference_to(value, me, methods, nested, facts.names, bare=True)

                    def report(statement: ast.AST, target: str, what: str, through: Tuple[Finalizer, str]) -> None:
                        found.setdefault(
                            facts.place(statement),
                            {
                                "target": target,
                                "what": what,
                                "cls": through[1],
                                "finalizer": f"{through[0].owner}.__del__",
                                WATCH_FIELD: instances,
                            },
                        )

                    stores = list(_stores_on(index, function, me))
                    kept_locals = {name: target for _, target, value in stores for name in _names_kept(value) if name != me}
                    for statement, target, value in stores:
                        if target.split(".")[1] in broken or target in broken:
                            continue
                        if target.rsplit(".", 1)[-1] in weak_setters:
                            continue  # ``self.animation.project = self`` through a setter keeping a weakref
                        what = holds_me(value) or _made_with_callback(value, holds_me, keepers, me, facts.names)
                        if what and own:
                            report(statement, target, what, own)
                            continue
                        for call in _calls_in(value):
                            handover = _handover(call, keepers, holds_me)
                            if handover:
                                child, kept = handover
                                _report_cycle(statement, target, node.name, child, kept, finalizer_of, report, index)
                    for statement, local, call in _locals_made(index, function):
                        if local not in kept_locals:
                            continue
                        handover = _handover(call, keepers, holds_me)
                        if handover:
                            child, kept = handover
                            _report_cycle(statement, kept_locals[local], node.name, child, kept, finalizer_of, report, index)
                    made = {local: call for _, local, call in _locals_made(index, function)}
                    for statement, local, value, method in _given_to_locals(index, function):
                        if local not in kept_locals:
                            continue
                        if method is None:
                            # ``dset._storage_root = self`` on an object kept on ``self``
                            what = holds_me(value)
                            if what and own:
                                report(statement, f"{local}.{statement.targets[0].attr}", what, own)  # type: ignore[attr-defined]
                            continue
                        made_here = keepers.class_called(made[local].func) if local in made else None
                        kept_slots = keepers.kept(made_here, method) if made_here else {}
                        for position, argument in enumerate(value.args):  # type: ignore[attr-defined]
                            if position in kept_slots and holds_me(argument):
                                _report_cycle(
                                    statement, f"{local}.{kept_slots[position].attribute}", node.name, made_here,
                                    kept_slots[position], finalizer_of, report, index,
                                )
        return found


def _report_cycle(statement, target, parent, child, kept, finalizer_of, report, index) -> None:
    """A parent that keeps a child made with (or given) the parent: the
    cycle is reported where the parent hands itself over and where the child
    stores it (``self.parent = parent``), when the parent or the child has a
    releasing ``__del__``."""
    through = finalizer_of(parent) or finalizer_of(child)
    # A child that lets go of its parent (``self.parent = None`` in ``close()``) breaks the cycle.
    if through is None or kept.attribute in _cycles_broken(index, kept.owner, None):
        return
    report(statement, target, f"a '{child}' that keeps 'self'", through)
    report(kept.statement, f"self.{kept.attribute}", f"the '{parent}' that keeps this '{child}'", through)


def _cycle_finalizer(name: str, facts: FileFacts) -> Optional[Tuple[Finalizer, str]]:
    """The releasing ``__del__`` instances of class ``name`` run, with the
    class to name in messages: its own or inherited, else one of a subclass
    of the module (a base's ``__init__`` runs on the subclass's instances)."""
    finalizer = facts.finalizers.finalizer_of(name)
    if finalizer is not None and finalizer.releases():
        return finalizer, name
    for node in facts.index.classes:
        if node.name != name and name in _ancestors(node, facts.index):
            finalizer = facts.finalizers.finalizer_of(node.name)
            if finalizer is not None and finalizer.releases() and not _made_once(node, facts):
                return finalizer, node.name
    return None


def _ancestors(cls: ast.ClassDef, index: ModuleIndex) -> Set[str]:
    by_name = {c.name: c for c in index.classes}
    found: Set[str] = set()
    pending = [cls]
    while pending:
        for base in pending.pop().bases:
            name = (ast_dotted_name(base) or "").rsplit(".", 1)[-1]
            if name and name not in found:
                found.add(name)
                if name in by_name:
                    pending.append(by_name[name])
    return found


def _bound_methods(index: ModuleIndex, cls: ast.ClassDef) -> Set[str]:
    """Methods bound to the instance, those of its bases in the module too."""
    by_name = {c.name: c for c in index.classes}
    methods = set(method_names(index, cls))
    for name in _ancestors(cls, index):
        if name in by_name:
            methods |= method_names(index, by_name[name])
    return methods


def _instances(index: ModuleIndex, function: ast.AST, cls: ast.ClassDef) -> List[str]:
    """Names of the class's instances in a method: ``self``, and one a
    class method or factory makes (``connection = cls()``)."""
    names = ["self"] if index.class_of(function) is cls else []
    first = function.args.args[0].arg if function.args.args else None  # type: ignore[attr-defined]
    for _, name, call in _locals_made(index, function):
        if isinstance(call.func, ast.Name) and (call.func.id == cls.name or call.func.id == first == "cls"):
            names.append(name)
    return names


def _calls_in(value: ast.expr) -> Iterator[ast.Call]:
    """Calls making what a store keeps: the value, or the items of a list,
    tuple, set or comprehension (``[Atom(i, self) for i in ...]``)."""
    if isinstance(value, ast.Call):
        yield value
    elif isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        for element in value.elts:
            yield from _calls_in(element)
    elif isinstance(value, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        yield from _calls_in(value.elt)
    elif isinstance(value, ast.DictComp):
        yield from _calls_in(value.value)


def _handover(call: ast.Call, keepers: ArgumentKeepers, holds_me) -> Optional[Tuple[str, KeptArgument]]:
    """``Child(self)`` where ``Child`` keeps that argument: (child class, its store)."""
    child = keepers.class_called(call.func)
    if child is None:
        return None
    kept = keepers.kept(child)
    for position, argument in enumerate(call.args):
        if position in kept and holds_me(argument):
            return child, kept[position]
    for keyword in call.keywords:
        if keyword.arg in kept and holds_me(keyword.value):
            return child, kept[keyword.arg]
    return None


def _made_with_callback(value: ast.expr, holds_me, keepers: ArgumentKeepers, me: str, names) -> Optional[str]:
    """``hiredis.Reader(replyError=self.parse_error)``: an object of a class
    from elsewhere made with a callback holding the instance, which it keeps
    to call later. The module's own classes are known by what they store;
    weak references (``weakref.WeakMethod(self.close)``) keep nothing."""
    if not isinstance(value, ast.Call) or keepers.class_called(value.func):
        return None
    called = ast_dotted_name(value.func)
    if called is None or not called.rsplit(".", 1)[-1][:1].isupper() or names.resolve_dotted(called) in WEAK_WRAPPERS:
        return None
    for argument in [*value.args, *(k.value for k in value.keywords)]:
        if is_name(argument, me):
            continue  # the object itself may be read, not kept
        what = holds_me(argument)
        if what:
            return f"a '{called}' made with {what}"
    return None


def _locals_made(index: ModuleIndex, function: ast.AST) -> Iterator[Tuple[ast.Assign, str, ast.Call]]:
    """``chan = Channel(chanid)``: locals bound to a call."""
    for node in index.own_nodes(function):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and isinstance(node.value, ast.Call)
        ):
            yield node, node.targets[0].id, node.value


def _given_to_locals(index: ModuleIndex, function: ast.AST) -> Iterator[Tuple[ast.AST, str, ast.expr, Optional[str]]]:
    """What a function gives to an object it holds in a local: (statement,
    local, value, None) for ``dset.root = value``; (statement, local, call,
    method) for ``chan._set_transport(value)``."""
    for node in index.own_nodes(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                yield node, target.value.id, node.value, None
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
        ):
            yield node, node.func.value.id, node, node.func.attr


def _weak_setters(facts: FileFacts) -> Set[str]:
    """Properties of the module's classes whose setter keeps the value
    through a weak reference (``self._project = weakref.ref(project)``)."""
    found: Set[str] = set()
    for function in facts.index.functions:
        if not any(isinstance(d, ast.Attribute) and d.attr == "setter" for d in function.decorator_list):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and (dotted := ast_dotted_name(node.func)):
                if facts.names.resolve_dotted(dotted) in WEAK_WRAPPERS:
                    found.add(function.name)
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
    summary_text = "A `__del__` that stores `self` where it stays reachable"
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


def _cycles_broken(index: ModuleIndex, cls: ast.ClassDef, finalizer: Optional[Finalizer]) -> Set[str]:
    """Attributes of ``self`` the class lets go of (``self.x = None``, ``del
    self.x``: ``close()`` breaking the cycle), and class-level containers
    (``_instances = WeakSet()`` in the class body), which are no cycle.
    ``self.x = None`` in ``__init__`` is a first value, not a release; and a
    method only ``__del__`` calls (``on_disconnect()``), unless it is a
    releasing one, lets go only when ``__del__`` runs, which the cycle delays."""
    broken: Set[str] = set()
    for node in index.own_nodes(cls):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            broken.update(t.id for t in targets if isinstance(t, ast.Name))
    late = _run_by_finalizer(index, cls, finalizer) if finalizer is not None else set()
    for function in index.class_functions(cls):
        if function.name == "__init__" or (function.name in late and not is_releasing_method(function.name)):
            continue
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


def _run_by_finalizer(index: ModuleIndex, cls: ast.ClassDef, finalizer: Finalizer) -> Set[str]:
    """Methods ``__del__`` calls on ``self``, and those they call in turn, by
    name (an override in ``cls`` included), that nothing else in the module
    calls: they run only when the object is finalized."""
    by_name: Dict[str, ast.AST] = {}
    for owner in (finalizer.cls, cls):
        by_name.update(defined_functions(index, owner))
    reached: Set[str] = set()
    pending: List[ast.AST] = [finalizer.method]
    while pending:
        for node in ast.walk(pending.pop()):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and is_name(node.func.value, "self")
                and node.func.attr not in reached
            ):
                reached.add(node.func.attr)
                if node.func.attr in by_name:
                    pending.append(by_name[node.func.attr])
    called_elsewhere = {
        node.func.attr
        for function in index.functions
        if function is not finalizer.method and getattr(function, "name", "") not in reached
        for node in index.own_nodes(function)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    }
    return reached - called_elsewhere


def _stores_on(index: ModuleIndex, function: ast.AST, me: str = "self") -> Iterator[Tuple[ast.AST, str, ast.expr]]:
    """(statement, what it stores into, the value) for values put on ``me``:
    ``self.x = v``, ``self.x[k] = v``, ``self.x.append(v)``."""
    for node in index.own_nodes(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                name = _self_rooted(target, me)
                if name:
                    yield node, name, node.value
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in STORING_METHODS
        ):
            name = _self_rooted(node.func.value, me)
            if name:
                for argument in node.args:
                    yield node, name, argument


def _names_kept(value: ast.expr) -> Iterator[str]:
    """Locals a store keeps: ``self.x[k] = chan``, ``self.kids = [a, b]``."""
    if isinstance(value, ast.Name):
        yield value.id
    elif isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        for element in value.elts:
            yield from _names_kept(element)


def _self_rooted(target: ast.expr, me: str = "self") -> Optional[str]:
    """``self.x`` for ``self.x``, ``self.x[k]``, ``self.x.y``; None for anything else."""
    while isinstance(target, ast.Subscript):
        target = target.value
    dotted = ast_dotted_name(target)
    if dotted is None or not dotted.startswith(f"{me}.") or "__class__" in dotted:
        return None
    return dotted


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
        root: ast.expr = base
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
