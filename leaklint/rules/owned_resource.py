"""LL305: a resource stored on ``self`` that no method of the class releases."""

from __future__ import annotations

from typing import FrozenSet, Set

from leaklint.syntax.lazy import libcst as cst

from leaklint.analysis.resources import Allocation, allocation, trigger_words
from leaklint.analysis.scopes import method_class, method_class_name, under_false_guard
from leaklint.analysis.visiting import NodeVisitor, walk
from leaklint.core.rule import Rule


class OwnedResourceNeverReleased(Rule):
    """
    ## What it finds
    A resource stored on `self` that no method of the class releases, as in
    `self.x = open(path)` with no `self.x.close()` anywhere. Releasing means
    calling its `close()` (or the kind's release method), using it in `with`,
    passing it to a call that may close it (a helper,
    `ExitStack.callback(self.x.close)`, `weakref.finalize`), or handing it on.
    Resources include objects of the file's own classes that open one when
    made and have a `close()`, and one made only when the caller gives none
    (`self.s = s if s is not None else ClientSession()`). Bases defined in the
    project are checked too, and library bases that hold nothing of a
    subclass (`io.RawIOBase`, `threading.Thread`); a class with another base
    from elsewhere, or that reaches its attributes dynamically (`getattr`,
    `__dict__`), is not reported. Also reported: a public method that
    `__init__` calls (`connect()`) and that makes a new resource over the one
    it made before without looking at it first, so that calling it again, to
    reconnect, leaks the old one.

    ## Why it leaks
    The object owns the resource, and nothing lets it go: each instance holds
    a descriptor or connection until it is garbage-collected, which for
    objects in caches, registries or cycles is never. A context manager class
    whose `__enter__` acquires what `__exit__` does not release leaks once per
    `with`.

    ## Example
    ```python
    import socket

    class Client:
        def __init__(self, address):
            self.sock = socket.create_connection(address)

        def send(self, data):
            self.sock.sendall(data)
    ```

    ## Fix
    Give the class a `close()` that releases it, and make it a context manager.
    ```python
    class Client:
        def __init__(self, address):
            self.sock = socket.create_connection(address)

        def close(self):
            self.sock.close()

        def __enter__(self):
            return self

        def __exit__(self, *exc_info):
            self.close()
    ```
    """

    code = "LL305"
    summary_text = "A resource stored on `self` that no method of the class releases"
    name = "owned-resource-never-released"
    message = (
        "{noun} {verb} {call}() is stored in self.{attribute}, but no method of {cls} releases it; "
        "add a close() that does, and __exit__ calling it"
    )
    # A public method that __init__ calls, and that drops the one it made before.
    message_reconnect = (
        "{noun} {verb} {call}() replaces the one in self.{attribute} without releasing it: {method}() is "
        "public and {cls}.__init__ calls it, so calling it again leaks; release the old one first"
    )
    triggers = trigger_words()

    VALID = (
        "import socket\nclass C:\n    def __init__(self, a):\n        self.sock = socket.create_connection(a)\n"
        "    def close(self):\n        self.sock.close()\n",
        "import socket, base\nclass C(base.Base):\n    def __init__(self, a):\n"
        "        self.sock = socket.create_connection(a)\n",
    )
    INVALID = (
        "import socket\nclass C:\n    def __init__(self, a):\n"
        "        self.sock = socket.create_connection(a)  # expect: LL305\n",
    )

    def _reconnect(
        self, node: cst.Assign, value: cst.Call, found: Allocation, cls: cst.ClassDef, attribute: str
    ) -> None:
        """``def connect(self): self.db = sqlite3.connect(...)``, public and
        called from ``__init__``: calling it again (to reconnect) drops the
        open one unless the method lets it go first."""
        function = next((n for n in reversed(self.context.ancestors) if isinstance(n, cst.FunctionDef)), None)
        if function is None or function.name.value.startswith("_"):
            return
        method = function.name.value
        if not self.context.facts.ownership.calls_in_init(cls.name.value, method):
            return
        if _mentions_before(function, node, attribute, found.kind.release):
            # released, tested (``if self.db is None:``) or the object closed
            # (``self.close()``) before it is made again
            return
        self.context.report(
            self.code,
            value,
            self.message_reconnect,
            dict(noun=found.kind.noun, verb=found.kind.verb, call=found.call_name, attribute=attribute,
                 cls=cls.name.value, method=method),
        )

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1:
            return
        value = node.value
        if isinstance(value, cst.IfExp):
            # ``self.session = session if session is not None else ClientSession()``:
            # made here on one branch, and then this class's to close.
            value = next((part for part in (value.body, value.orelse) if isinstance(part, cst.Call)), value)
        if not isinstance(value, cst.Call):
            return
        target = node.targets[0].target
        if not (
            isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and target.value.value == "self"
        ):
            return
        found = allocation(
            value, self.context.qualified_name, self.context.facts.factories, method_class_name(self.context.ancestors)
        )
        if found is None or under_false_guard(self.context.ancestors, self.context.facts.false_constants):
            return
        cls = method_class(self.context.ancestors)
        if cls is None:
            return
        released = self.context.facts.ownership.released_attributes(cls.name.value, found.kind.release)
        attribute = target.attr.value
        if released is None:
            return
        if attribute in released:
            self._reconnect(node, value, found, cls, attribute)
            return
        if found.kind.release & self.context.facts.ownership.closed_anywhere.get(attribute, set()):
            return  # ``server.sock.close()`` somewhere else in the module
        self.report(
            value,
            noun=found.kind.noun,
            verb=found.kind.verb,
            call=found.call_name,
            attribute=attribute,
            cls=cls.name.value,
        )


def _mentions_before(
    function: cst.FunctionDef, assignment: cst.Assign, attribute: str, releases: FrozenSet[str]
) -> bool:
    """Whether ``self.<attribute>`` is read in ``function`` before ``assignment``
    (released, or tested: ``if self.db is not None: self.db.close()``), or
    the object itself closed (``self.close()``, one of ``releases``)."""
    finder = _ReadsBefore(assignment, {attribute} | set(releases))
    walk(function.body, finder)
    return finder.found


class _ReadsBefore(NodeVisitor):
    def __init__(self, stop: cst.CSTNode, attributes: Set[str]) -> None:
        super().__init__()
        self.stop = stop
        self.attributes = attributes
        self.done = False
        self.found = False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if node is self.stop:
            self.done = True
        if self.done or self.found:
            return False
        if (
            isinstance(node, cst.Attribute)
            and node.attr.value in self.attributes
            and isinstance(node.value, cst.Name)
            and node.value.value == "self"
        ):
            self.found = True
            return False
        return True
