"""LL109: asyncio tasks collected in a long-lived container and never removed."""

from __future__ import annotations

import ast
from typing import Dict, Iterator, Optional, Set, Tuple

import leaklint.watch as watch
from leaklint.analysis.module_index import FUNCTIONS, ModuleIndex
from leaklint.analysis.names import NameResolver, ast_dotted_name, descendants_in_scope
from leaklint.catalog.asyncio_tasks import TASK_FACTORIES
from leaklint.catalog.containers import CONTAINER_CONSTRUCTORS, SHRINKING_METHODS
from leaklint.catalog.decorators import CONTEXT_MANAGER_DECORATORS
from leaklint.core.context import FileFacts, Findings
from leaklint.fixers.done_callback import done_callback_fix
from leaklint.core.rule import FIX_FIELD, WATCH_FIELD, CandidateRule


class TaskSetWithoutDiscard(CandidateRule):
    """
    ## What it finds
    A task from `asyncio.create_task()`, `asyncio.ensure_future()` or
    `loop.create_task()` added to a module-level container or one stored on
    `self` (`tasks.add(task)`, `tasks_by_key[key] = task`), when nothing in
    the module ever takes tasks out of it: no
    `add_done_callback(tasks.discard)` (or a done callback given the
    container), `discard`, `remove`, `pop`, `clear`, or re-binding outside
    `__init__`. A `pop(task.get_name())` takes out only tasks stored under
    the `name=` they were made with: a dict keyed otherwise keeps them all. A `weakref.WeakSet` lets done tasks go and is not reported.
    Task groups made by a
    `@contextmanager` function of the module end with their `with` block
    and are not reported, nor are tasks an object starts in a method that
    runs once in its life (`__init__`, `__aenter__`, `setup`, `start`...):
    a fixed number per object.

    ## Why it leaks
    Keeping a reference to a task is right (the event loop holds only a weak
    one), but a task that is never removed once done keeps its result, its
    exception and traceback, and every frame local it referenced, alive for
    as long as the container lives: one per request in a server.

    ## Example
    ```python
    import asyncio

    _background = set()

    def fire(coro):
        _background.add(asyncio.create_task(coro))
    ```

    ## Fix
    ```python
    import asyncio

    _background = set()

    def fire(coro):
        task = asyncio.create_task(coro)
        _background.add(task)
        task.add_done_callback(_background.discard)
    ```
    `leaklint --fix` adds that `add_done_callback` after a set's `add` (first
    naming the task, `task = ...`, when it was made inside the call). Safe: a
    task leaves the set only once it is done, and code that waits for the
    set's tasks, as a shutdown does, waits only for those not done yet.
    """

    code = "LL109"
    summary_text = "A task kept in a set or list that nothing removes it from when it is done"
    checks_test_modules = False
    # Opt-in until precise: on two fresh corpora (16.6M lines) 1 of 4 findings was
    # a leak (pyshark's capture tasks); the others sit on objects made and
    # dropped per operation elsewhere in the package (temporalio's visitor).
    # On a third (8.5M lines) 2 of 12, the rest weak sets (fixed since). 4 of 18
    # over all triages so far.
    default_enabled = False
    name = "task-set-without-discard"
    message = (
        "task added to '{container}' is never removed from it; done tasks and everything they reference "
        "stay alive: {fix}"
    )

    VALID = (
        "import asyncio\n_tasks = set()\ndef fire(coro):\n    task = asyncio.create_task(coro)\n"
        "    _tasks.add(task)\n    task.add_done_callback(_tasks.discard)\n",
        "import asyncio\ndef run(coros):\n    tasks = []\n    for c in coros:\n"
        "        tasks.append(asyncio.create_task(c))\n    return tasks\n",
    )
    INVALID = (
        "import asyncio\n_tasks = set()\ndef fire(coro):\n    _tasks.add(asyncio.create_task(coro))  # expect: LL109\n",
        "import asyncio\nclass W:\n    def __init__(self):\n        self._by_key = {}\n"
        "    def run(self, key, coro):\n        task = asyncio.create_task(coro)\n"
        "        self._by_key[key] = task  # expect: LL109\n        task.add_done_callback(self._done)\n"
        "    def _done(self, task):\n        self._by_key.pop(task.get_name(), None)\n",
    )
    FIXES = (
        (
            "import asyncio\n_tasks = set()\ndef fire(coro):\n    t = asyncio.create_task(coro)\n    _tasks.add(t)  # keep it\n",
            "import asyncio\n_tasks = set()\ndef fire(coro):\n    t = asyncio.create_task(coro)\n    _tasks.add(t)  # keep it\n"
            "    t.add_done_callback(_tasks.discard)\n",
        ),
        (
            "import asyncio\nclass W:\n    def __init__(self):\n        self.running = set()\n"
            "    def fire(self, coro):\n        self.running.add(asyncio.ensure_future(coro))\n",
            "import asyncio\nclass W:\n    def __init__(self):\n        self.running = set()\n"
            "    def fire(self, coro):\n        task = asyncio.ensure_future(coro)\n        self.running.add(task)\n"
            "        task.add_done_callback(self.running.discard)\n",
        ),
    )

    @classmethod
    def findings(cls, facts: FileFacts) -> Findings:
        if "create_task" not in facts.text and "ensure_future" not in facts.text:
            return {}
        module_level = _module_names(facts.tree)
        emptied, popped_by_name = _emptied_containers(facts.tree, facts.names)
        weak = _weak_containers(facts.index, facts.names)
        scoped = _scoped_classes(facts)
        found: Findings = {}
        for function in ast.walk(facts.tree):
            if not isinstance(function, FUNCTIONS):
                continue
            owner = facts.index.class_of(function)
            if owner is not None and function.name in _ONCE_PER_OBJECT and _takes_only_self(function):
                continue  # a fixed number of tasks per object, made when it starts
            for call, container, key, task in _task_additions(function, facts.names):
                on_self = container.startswith("self.") and (owner is None or owner.name not in scoped)
                long_lived = on_self or container in module_level
                if (owner.name if on_self and owner is not None else None, container) in weak:
                    continue  # a WeakSet: done tasks drop out by themselves
                # ``server.tasks.discard(t)`` elsewhere empties what ``self.server.tasks`` names here
                last = container.rsplit(".", 1)[-1]
                if not long_lived or last in emptied:
                    continue
                if key is not None and last in popped_by_name and _named_by(task, key):
                    continue  # stored under the name it was given, popped by ``task.get_name()``
                fix = (
                    f"add task.add_done_callback({container}.discard)"
                    if key is None
                    else "remove the task, when it is done, by the key it was stored under"
                )
                owner_name = facts.index.module_class_name(owner) if owner is not None else None
                found[facts.place(call)] = {
                    "container": container,
                    "fix": fix,
                    WATCH_FIELD: watch.container(container, owner_name, module_level),
                    FIX_FIELD: done_callback_fix(facts, function, call, container) if key is None else None,
                }
        return found


# Methods that run once in an object's life: what they start is bounded by the objects.
_ONCE_PER_OBJECT = frozenset(
    {
        "__init__", "__post_init__", "__enter__", "__aenter__", "setup", "async_setup", "start",
        "async_start", "startup", "initialize", "async_initialize",
    }
)


def _takes_only_self(function: ast.AST) -> bool:
    """``start(self)`` or ``async_setup(self, tries=0)``, not ``start(self,
    coro)``: it is given nothing to start."""
    args = function.args  # type: ignore[attr-defined]
    required = len(args.posonlyargs) + len(args.args) - len(args.defaults)
    return function.name == "__init__" or (  # type: ignore[attr-defined]
        required <= 1 and not args.vararg and all(d is not None for d in args.kw_defaults)
    )


def _scoped_classes(facts: FileFacts) -> Set[str]:
    """Classes made by a ``@contextmanager`` function of the module, as task
    groups are: their objects, and their tasks, end with the ``with`` block.
    (A class that is itself a context manager may be a service run for the
    life of the process: not counted.)"""
    index = facts.index
    scoped: Set[str] = set()
    for function in index.functions:
        decorators = [ast_dotted_name(d) or "" for d in function.decorator_list]
        if any(d.rsplit(".", 1)[-1] in CONTEXT_MANAGER_DECORATORS for d in decorators):
            scoped.update(
                node.func.id
                for node in index.own_nodes(function)
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            )
    return scoped


def _module_names(tree: ast.Module) -> Set[str]:
    return {
        target.id
        for node in tree.body
        if isinstance(node, (ast.Assign, ast.AnnAssign))
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Name)
    }


def _task_additions(
    function: ast.AST, names: NameResolver
) -> Iterator[Tuple[ast.Call, str, Optional[ast.expr], Optional[ast.Call]]]:
    """``container.add(task)`` / ``.append(task)`` / ``container[key] =
    task`` of a task made in ``function``: where, the container, the key
    (for a mapping) and the call that made the task."""
    tasks: Dict[str, ast.Call] = {}
    for node in descendants_in_scope(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            if _makes_task(node.value, names):
                tasks[node.targets[0].id] = node.value  # type: ignore[assignment]
    for node in descendants_in_scope(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript):
            target, value = node.targets[0], node.value
            made = value if _makes_task(value, names) else (
                tasks.get(value.id) if isinstance(value, ast.Name) else None
            )
            container = ast_dotted_name(target.value)
            if made is not None and container is not None and not isinstance(target.slice, ast.Slice):
                yield target, container, target.slice, made  # type: ignore[misc]
            continue
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("add", "append")
            and len(node.args) == 1
        ):
            argument = node.args[0]
            if _makes_task(argument, names) or (isinstance(argument, ast.Name) and argument.id in tasks):
                container = ast_dotted_name(node.func.value)
                if container is not None:
                    yield node, container, None, None


def _named_by(task: Optional[ast.Call], key: ast.expr) -> bool:
    """The task was made with ``name=`` the very key it is stored under, so
    ``pop(task.get_name())`` finds it."""
    name = next((k.value for k in task.keywords if k.arg == "name"), None) if task is not None else None
    return name is not None and ast.dump(name) == ast.dump(key)


def _pops_by_task_name(node: ast.AST) -> bool:
    """``tasks.pop(task.get_name(), None)``."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "pop"
        and bool(node.args)
        and isinstance(node.args[0], ast.Call)
        and isinstance(node.args[0].func, ast.Attribute)
        and node.args[0].func.attr == "get_name"
    )


def _makes_task(value: ast.expr, names: NameResolver) -> bool:
    if not isinstance(value, ast.Call):
        return False
    dotted = ast_dotted_name(value.func)
    if dotted is None:
        return False
    if names.resolve_dotted(dotted) in TASK_FACTORIES:
        return True
    # ``loop.create_task(...)``, ``self.loop.create_task(...)``; not a TaskGroup's, which keeps its own
    return dotted.endswith(".create_task") and "loop" in dotted.rsplit(".", 1)[0].lower()


def _emptied_containers(tree: ast.Module, names: NameResolver) -> Tuple[Set[str], Set[str]]:
    """Names (last parts) of containers something takes out of, anywhere in
    the module: a shrinking method called or passed along
    (``add_done_callback(tasks.discard)``), the container handed to a done
    callback (``add_done_callback(partial(drop, self._tasks))``), an item
    deleted, or the container re-bound outside ``__init__``. And, apart,
    those only popped by a task's name (``pop(task.get_name())``), which
    empties them only of tasks stored under the name they were given."""
    emptied: Set[str] = set(_handed_to_done_callbacks(tree))
    popped_by_name: Set[str] = set()
    by_name = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call) and _pops_by_task_name(node)}
    for node in ast.walk(tree):
        if id(node) in by_name:
            name = ast_dotted_name(node.value)  # type: ignore[attr-defined]
            if name:
                popped_by_name.add(name.rsplit(".", 1)[-1])
        elif isinstance(node, ast.Attribute) and node.attr in SHRINKING_METHODS:
            name = ast_dotted_name(node.value)
            if name:
                emptied.add(name.rsplit(".", 1)[-1])
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                if isinstance(target, ast.Subscript):
                    name = ast_dotted_name(target.value)
                    if name:
                        emptied.add(name.rsplit(".", 1)[-1])
    for function in ast.walk(tree):
        if isinstance(function, FUNCTIONS) and function.name != "__init__":
            for node in descendants_in_scope(function):
                if isinstance(node, ast.Assign):
                    targets = list(node.targets)
                    while targets:  # ``done, self._pending = await asyncio.wait(self._pending)``
                        target = targets.pop()
                        if isinstance(target, (ast.Tuple, ast.List)):
                            targets.extend(target.elts)
                            continue
                        name = _stored_name(target)
                        if name:
                            emptied.add(name.rsplit(".", 1)[-1])
    return emptied, popped_by_name


def _handed_to_done_callbacks(tree: ast.Module) -> Iterator[str]:
    """Last parts of containers given as arguments to a ``partial`` that is
    a done callback: ``add_done_callback(partial(drop, self._tasks))``."""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add_done_callback"):
            continue
        for callback in node.args:
            if not isinstance(callback, ast.Call):
                continue
            dotted = ast_dotted_name(callback.func)
            if dotted is None or dotted.rsplit(".", 1)[-1] != "partial":
                continue
            for argument in [*callback.args[1:], *(k.value for k in callback.keywords)]:
                name = ast_dotted_name(argument)
                if name:
                    yield name.rsplit(".", 1)[-1]


def _weak_containers(index: ModuleIndex, names: NameResolver) -> Set[Tuple[Optional[str], str]]:
    """(class, ``self.name``) of attributes and (None, name) of other names
    bound to a weak container (``self._tasks = WeakSet()``): done tasks drop
    out of them by themselves."""
    weak: Set[Tuple[Optional[str], str]] = set()
    for scope in [index.tree, *index.classes, *index.functions]:
        owner = index.class_of(scope)
        for node in index.own_nodes(scope):
            if not (isinstance(node, (ast.Assign, ast.AnnAssign)) and _makes_weak_container(node.value, names)):
                continue
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                name = _stored_name(target)
                if name is None:
                    continue
                if not name.startswith("self."):
                    weak.add((None, name))
                elif owner is not None:
                    weak.add((owner.name, name))
    return weak


def _makes_weak_container(value: Optional[ast.expr], names: NameResolver) -> bool:
    if not isinstance(value, ast.Call):
        return False
    dotted = ast_dotted_name(value.func)
    return dotted is not None and CONTAINER_CONSTRUCTORS.get(names.resolve_dotted(dotted) or "") == "weak"


def _stored_name(target: ast.expr) -> Optional[str]:
    if isinstance(target, (ast.Name, ast.Attribute)):
        return ast_dotted_name(target)
    return None
