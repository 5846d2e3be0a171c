"""LL305: a resource stored on ``self`` that no method of the class releases."""

from __future__ import annotations

from leaklint.lazy import libcst as cst

from leaklint.analysis.resources import allocation, trigger_words
from leaklint.analysis.scopes import method_class, method_class_name, under_false_guard
from leaklint.rule import Rule


class OwnedResourceNeverReleased(Rule):
    """
    ## What it finds
    A resource stored on `self` that no method of the class releases, as in
    `self.x = open(path)` with no `self.x.close()` anywhere. Releasing means calling its `close()` (or the kind's release method),
    using it in `with`, passing it to a call that may close it (a helper,
    `ExitStack.callback(self.x.close)`, `weakref.finalize`), or handing it on.
    Bases defined in the same file are checked too; a class with a base from
    elsewhere, or that reaches its attributes dynamically (`getattr`,
    `__dict__`), is not reported.

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
    name = "owned-resource-never-released"
    message = (
        "{noun} {verb} {call}() is stored in self.{attribute}, but no method of {cls} releases it; "
        "add a close() that does, and __exit__ calling it"
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
        if released is None or attribute in released:
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
