"""LL107: a container that an endless loop adds to on every pass."""

from __future__ import annotations

import ast
import re
from typing import Dict, Iterator, List, Optional, Set, Tuple

from leaklint.analysis.module_index import FUNCTIONS, TRY_STATEMENTS
from leaklint.analysis.names import NameResolver, ast_dotted_name, descendants_in_scope
from leaklint.catalog.containers import (
    CONTAINER_CONSTRUCTORS,
    END_OF_ITERATION,
    GROWING_METHODS,
    READ_METHODS,
    READERS,
    SHRINKING_METHODS,
)
from leaklint.core.context import FileFacts, Findings, ast_position
from leaklint.core.rule import CandidateRule



class UnboundedLoopGrowth(CandidateRule):
    """
    ## What it finds
    Inside a loop meant to run for the life of the program (`while True:`
    with no `break`, `return` or `raise`, not ended by an exception it is
    wrapped in; `while not self._stop:`, `while self.running:`, `while not
    stop.is_set():`), a list or `deque` created before the loop that every
    pass adds to, and that the loop never trims: no `pop`, `clear`, `del`,
    re-binding, hand-over to another call or size check inside it. The
    same for a list or `deque` that `__init__` puts on `self` and a
    method's endless loop adds to (`self._threads.append(worker)` in an
    accept loop), when no method of the class trims it, re-binds it, hands
    it to a call or out, or checks its size.

    ## Why it leaks
    A service loop runs for days. A container that gains an entry per
    message, tick or connection and is never emptied grows until the
    process runs out of memory, with everything its entries refer to.

    ## Example
    ```python
    def serve(queue):
        handled = []
        while True:
            message = queue.get()
            handled.append(message.id)
            process(message)
    ```

    ## Fix
    ```python
    import collections

    def serve(queue):
        handled = collections.deque(maxlen=1000)
        while True:
            message = queue.get()
            handled.append(message.id)
            process(message)
    ```
    """

    code = "LL107"
    summary_text = "A container that a loop meant to run forever only adds to"
    checks_test_modules = False
    name = "unbounded-loop-growth"
    message = (
        "'{container}' grows on every pass of a loop that does not end (line {loop_line}) and is never "
        "trimmed in it; bound it (deque(maxlen=...)) or remove what is done with"
    )

    VALID = (
        "def f(q):\n    seen = []\n    while True:\n        x = q.get()\n        if x is None:\n"
        "            break\n        seen.append(x)\n    return seen\n",
        "def f(q):\n    batch = []\n    while True:\n        batch.append(q.get())\n"
        "        if len(batch) > 100:\n            batch.clear()\n",
    )
    INVALID = (
        "def f(q):\n    seen = []\n    while True:\n        seen.append(q.get())  # expect: LL107\n",
    )

    @classmethod
    def findings(cls, facts: FileFacts) -> Findings:
        found: Findings = {}
        if not _ENDLESS_WHILE.search(facts.text):
            return found  # a cheap look for the loops ``_runs_until_stopped`` accepts
        index = facts.index
        for function in index.functions:
            nodes = index.own_nodes(function)
            if not any(isinstance(node, ast.While) for node in nodes):
                continue
            containers = _local_containers(nodes, facts.names)
            if not containers:
                continue
            for loop in _endless_loops(nodes, facts.names):
                for name, growth in _growing_in(loop, containers):
                    found[facts.place(growth)] = {"container": name, "loop_line": loop.lineno}
        for owner in (node for node in ast.walk(facts.tree) if isinstance(node, ast.ClassDef)):
            for loop, attribute, growth in _attributes_growing_in_loops(index, owner, facts.names):
                found.setdefault(facts.place(growth), {"container": f"self.{attribute}", "loop_line": loop.lineno})
        return found


def _attributes_growing_in_loops(index, cls: ast.ClassDef, names: NameResolver) -> Iterator[Tuple[ast.While, str, ast.AST]]:
    """(loop, attribute, growth): a list or ``deque`` that ``__init__`` puts
    on ``self`` and a method's endless loop adds to (an accept loop keeping
    every connection's thread), when no method of the class ever trims it,
    re-binds it, hands it to a call or checks its size."""
    methods = index.class_functions(cls)
    created: Dict[str, str] = {}
    for method in methods:
        if method.name != "__init__":
            continue
        for node in index.own_nodes(method):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                attribute = _own_attribute(node.targets[0])
                shape = _unbounded_shape(node.value, names)
                if attribute and shape is not None:
                    created[attribute] = shape
    if not created:
        return
    kept_in_check: Set[str] = set()
    for method in methods:
        nodes = index.own_nodes(method)
        for node in nodes:
            if isinstance(node, ast.Attribute) and _own_attribute(node) in created:
                if not _grows(node, nodes) and not (method.name == "__init__" and isinstance(node.ctx, ast.Store)):
                    if _used_apart_from_reading(node, nodes):
                        kept_in_check.add(node.attr)
    growing = set(created) - kept_in_check
    if not growing:
        return
    for method in methods:
        nodes = index.own_nodes(method)
        if not any(isinstance(node, ast.While) for node in nodes):
            continue
        for loop in _endless_loops(nodes, names):
            for node in descendants_in_scope(loop):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in GROWING_METHODS
                    and _own_attribute(node.func.value) in growing
                ):
                    attribute = _own_attribute(node.func.value)
                    if attribute is not None:
                        yield loop, attribute, node
                        growing.discard(attribute)


def _own_attribute(node: ast.AST) -> Optional[str]:
    """``x`` for ``self.x``."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return node.attr
    return None


def _grows(attribute: ast.Attribute, nodes: List[ast.AST]) -> bool:
    """``self.x.append(...)``: the attribute is the receiver of a growing call."""
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.value is attribute
        and node.func.attr in GROWING_METHODS
        for node in nodes
    )


def _used_apart_from_reading(attribute: ast.Attribute, nodes: List[ast.AST]) -> bool:
    """Anything that may trim ``self.x`` or bound it: a shrinking call, an
    item deleted or stored, a re-binding, a hand-over to a call (``len()``
    too: a size check), an alias. Iterating over it, indexing or testing
    it are reads."""
    if not isinstance(attribute.ctx, ast.Load):
        return True
    for node in nodes:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.value is attribute:
            return node.func.attr in SHRINKING_METHODS or node.func.attr not in READ_METHODS
        if isinstance(node, ast.Call) and any(arg is attribute for arg in node.args):
            func = node.func
            return not (isinstance(func, ast.Name) and f"builtins.{func.id}" in READERS and func.id != "len")
        if isinstance(node, ast.Subscript) and node.value is attribute:
            return not isinstance(node.ctx, ast.Load)
        if isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)) and node.iter is attribute:
            return False
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.Return, ast.Yield, ast.keyword)) and node.value is attribute:
            return True  # an alias, or handed out: either may trim it
    return False


def _local_containers(nodes: List[ast.AST], names: NameResolver) -> Dict[str, str]:
    """Names bound in a function (its ``nodes``) to a fresh, unbounded container, with its shape."""
    found: Dict[str, str] = {}
    for node in nodes:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            shape = _unbounded_shape(node.value, names)
            if shape is not None:
                found[node.targets[0].id] = shape
    return found


def _unbounded_shape(value: ast.expr, names: NameResolver) -> Optional[str]:
    # Lists and deques only: a dict or set written in a service loop is
    # usually keyed by something that recurs (a file, a peer), so bounded.
    if isinstance(value, ast.List):
        return "sequence"
    if isinstance(value, ast.Call):
        dotted = ast_dotted_name(value.func)
        qualified = names.resolve_dotted(dotted) if dotted else None
        shape = CONTAINER_CONSTRUCTORS.get(qualified or "")
        if shape != "sequence":
            return None
        if qualified == "collections.deque" and (len(value.args) > 1 or value.keywords):
            return None  # maxlen
        return shape
    return None


def _endless_loops(nodes: List[ast.AST], names: NameResolver) -> Iterator[ast.While]:
    # A loop is ended by the exception a handler around it catches: any
    # handler of a ``try`` it sits directly in; deeper (under an ``if``, a
    # ``with``), or with ``suppress()``, one naming an exception that ends
    # iteration (``except StopIteration:``), not a service loop's catch-all.
    ended_by_exception: Set[int] = set()
    for node in nodes:
        if isinstance(node, TRY_STATEMENTS) and node.handlers:
            ends_iteration = any(_ends_iteration(handler.type, names) for handler in node.handlers)
            for statement in node.body:
                ended_by_exception.add(id(statement))
                if ends_iteration:
                    ended_by_exception.update(id(n) for n in descendants_in_scope(statement) if isinstance(n, ast.While))
        elif isinstance(node, (ast.With, ast.AsyncWith)) and _suppresses_end_of_iteration(node, names):
            for statement in node.body:
                ended_by_exception.update(id(n) for n in (statement, *descendants_in_scope(statement)) if isinstance(n, ast.While))
    for node in nodes:
        if (
            isinstance(node, ast.While)
            and id(node) not in ended_by_exception
            and _runs_until_stopped(node.test)
            and not _leaves(node)
        ):
            yield node


def _ends_iteration(caught: Optional[ast.expr], names: NameResolver) -> bool:
    """``StopIteration``, ``(EOFError, OSError)``, ``queue.Empty``; not a bare
    ``except:``, ``Exception`` or ``CancelledError``."""
    if caught is None:
        return False
    if isinstance(caught, ast.Tuple):
        return any(_ends_iteration(element, names) for element in caught.elts)
    dotted = ast_dotted_name(caught)
    return dotted is not None and (dotted in END_OF_ITERATION or names.resolve_dotted(dotted) in END_OF_ITERATION)


def _suppresses_end_of_iteration(node: "ast.With | ast.AsyncWith", names: NameResolver) -> bool:
    """``with contextlib.suppress(StopIteration):``."""
    for item in node.items:
        call = item.context_expr
        if not isinstance(call, ast.Call):
            continue
        dotted = ast_dotted_name(call.func)
        if dotted and names.resolve_dotted(dotted) == "contextlib.suppress":
            if any(_ends_iteration(argument, names) for argument in call.args):
                return True
    return False


# Words of the flags that keep a service loop going or stop it.
_FLAG_WORDS = frozenset(
    {"run", "running", "alive", "active", "stop", "stopped", "stopping", "shutdown", "closed", "closing",
     "quit", "exit", "cancelled", "canceled", "serving", "terminate", "terminated"}
)


# ``while True``, ``while 1``, ``while not self._stop``, ``while not stop.is_set()``.
_ENDLESS_WHILE = re.compile(r"\bwhile\s+(?:not\s+)?\(?\s*(?:True\b|[1-9]|self\.|[\w.]+\.is_set\s*\()")


def _runs_until_stopped(test: ast.expr) -> bool:
    """``while True``, ``while 1``, ``while self.running``, ``while not self._stop``,
    ``while not stop.is_set()``."""
    if isinstance(test, ast.Constant):
        return bool(test.value) and not isinstance(test.value, str)
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        test = test.operand
    if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute) and test.func.attr == "is_set":
        return True
    # The object's own flag; a local flag is set by the loop when its work is done.
    if not (isinstance(test, ast.Attribute) and isinstance(test.value, ast.Name) and test.value.id == "self"):
        return False
    return any(word in _FLAG_WORDS for word in test.attr.lower().split("_"))


def _leaves(loop: ast.While) -> bool:
    """Whether some statement ends the loop (``break`` of this loop, ``return``, ``raise``)."""
    stack: List[Tuple[ast.AST, bool]] = [(child, True) for child in loop.body]
    while stack:
        node, own_level = stack.pop()
        if isinstance(node, (ast.Return, ast.Raise)) or (isinstance(node, ast.Break) and own_level):
            return True
        if isinstance(node, (*FUNCTIONS, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            # ``break`` in the inner loop's body ends it; in its ``else``, ours.
            stack.extend((child, False) for child in node.body)
            stack.extend((child, own_level) for child in node.orelse)
        else:
            stack.extend((child, own_level) for child in ast.iter_child_nodes(node))
    return False


def _growing_in(loop: ast.While, containers: Dict[str, str]) -> Iterator[Tuple[str, ast.AST]]:
    """The first growth of each container in ``loop`` that nothing in the loop trims or hands on."""
    growth: Dict[str, ast.AST] = {}
    kept_in_check: Set[str] = set()
    augmented = {id(node.target) for node in descendants_in_scope(loop) if isinstance(node, ast.AugAssign)}
    for node in descendants_in_scope(loop):
        if id(node) in augmented:
            continue  # ``items += more``: seen as the AugAssign
        name, effect = _effect(node, containers)
        if name is None:
            continue
        if effect == "grow":
            if name not in growth or ast_position(node)[:2] < ast_position(growth[name])[:2]:
                growth[name] = node
        else:
            kept_in_check.add(name)
    for name, node in growth.items():
        if name not in kept_in_check:
            yield name, node


def _effect(node: ast.AST, containers: Dict[str, str]) -> Tuple[Optional[str], str]:
    """(container, "grow" | "trim") for a node of the loop that does either."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        receiver = node.func.value
        if isinstance(receiver, ast.Name) and receiver.id in containers:
            if node.func.attr in GROWING_METHODS:
                return receiver.id, "grow"
            if node.func.attr in SHRINKING_METHODS:
                return receiver.id, "trim"
    if isinstance(node, ast.Call):
        for arg in node.args:
            if isinstance(arg, ast.Name) and arg.id in containers:
                func = node.func
                reader = isinstance(func, ast.Name) and f"builtins.{func.id}" in READERS and func.id != "len"
                if not reader:
                    return arg.id, "trim"  # handed to code that may empty it, or its size checked
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in containers:
        if isinstance(node.ctx, ast.Store) and not isinstance(node.slice, ast.Slice):
            # ``table[key] = v`` adds; a list's ``items[0] = v`` overwrites a slot
            return node.value.id, ("grow" if containers[node.value.id] != "sequence" else "trim")
        if isinstance(node.ctx, (ast.Del, ast.Store)):
            return node.value.id, "trim"
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name) and node.target.id in containers:
        return node.target.id, ("grow" if isinstance(node.op, (ast.Add, ast.BitOr)) else "trim")
    if isinstance(node, ast.Name) and node.id in containers and isinstance(node.ctx, (ast.Store, ast.Del)):
        return node.id, "trim"  # re-bound in the loop: a fresh one each time
    return None, ""
