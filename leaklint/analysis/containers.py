"""Module-level containers, and everything the module does to them.

Per module, every name bound once at module level to a container (a literal,
``dict()``, ``collections.deque()``...) and every class attribute bound to
one, with each place the module grows it, shrinks or bounds it, or lets it
go where leaklint cannot follow (passed to a call, returned, aliased). Each
growth is placed at import time (module body, class body, decorators and
functions that only module-level code calls) or at run time (function
bodies reached from elsewhere). Read from the ``ast``, once per file; the
rules of the unbounded-growth family ask it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple

import leaklint.watch as watch
from leaklint.analysis.module_index import FUNCTIONS, Function
from leaklint.analysis.names import NameResolver, ast_dotted_name, descendants_in_scope
from leaklint.catalog.containers import CONTAINER_CONSTRUCTORS, GROWING_METHODS, READERS, SHRINKING_METHODS
from leaklint.catalog.special_names import CLASS_CREATION_METHODS, DEFINITION_ATTRIBUTES


@dataclass
class Growth:
    node: ast.AST  # the call, or the subscript written to
    method: str  # "append", "[]=" for ``x[k] = v``, "+=" ...
    function: Optional[Function]  # None: module or class body
    at_import: bool
    key: Optional[ast.expr] = None  # ``x[key] = v``, ``x.setdefault(key, ...)``
    value: Optional[ast.expr] = None  # what is added, when a single value
    # In a function handed back to the caller (a decorator's wrapper, a
    # closure): it runs whenever that is called, however often.
    deferred: bool = False


@dataclass
class Container:
    name: str  # the module-level name, or the attribute of ``owner``
    shape: str  # "mapping", "sequence", "set"
    constructor: str  # for messages: "dict", "list", "collections.deque"...
    binding: ast.stmt
    owner: Optional[ast.ClassDef] = None  # class attributes
    bounded: bool = False  # ``deque(maxlen=...)``
    growths: List[Growth] = field(default_factory=list)
    shrunk: bool = False  # popped, deleted from, cleared, re-bound, or its size checked
    escapes: bool = False  # handed to code leaklint does not follow
    # Functions that look entries up (``key in d``, ``d[key]``, ``d.get(key)``): with a write, a cache.
    looked_up_in: Set[int] = field(default_factory=set)
    # ``del d[key]``/``d.pop(key)``, with the function they are in: they empty
    # the container unless they drop only the entry the same function writes
    # again under the same key (an expired hit), which a key never asked for
    # again never reaches.
    keyed_removals: List[Tuple[Optional[Function], ast.expr]] = field(default_factory=list)
    scope: Optional[Function] = None  # a local of this function that closures keep (None: module or class)

    @property
    def display(self) -> str:
        return f"{self.owner.name}.{self.name}" if self.owner else self.name

    @property
    def watch(self) -> Optional[str]:
        """Its run-time watch target (``leaklint.watch``): a module global or
        an attribute of a class; a closure's variable has no name to find it by."""
        return watch.attribute(self.display) if self.scope is None else None

    @property
    def where_bound(self) -> str:
        """``"module-level "``, ``"class-level "``, ``"memoize()'s "``: for messages."""
        if self.scope is not None:
            return f"{self.scope.name}()'s "
        return "class-level " if self.owner is not None else "module-level "

    def runtime_growths(self) -> List[Growth]:
        return [growth for growth in self.growths if not growth.at_import]

    @property
    def unbounded(self) -> bool:
        """Grows at run time, and nothing in the module ever takes anything out."""
        return not (self.bounded or self.shrunk or self.escapes) and bool(self.runtime_growths())


class ModuleContainers:
    def __init__(self, tree: ast.Module, names: NameResolver) -> None:
        self.names = names
        self.module: Dict[str, Container] = {}
        self.attributes: Dict[Tuple[str, str], Container] = {}  # (class name, attribute)
        self._bind_module(tree)
        # Locals of functions that the closures they hand out keep alive.
        self.enclosed: List[Container] = list(self._enclosed(tree))
        if not (self.module or self.attributes):
            return
        self._import_time = import_time_functions(tree)
        self._functions = {node.name: node for node in tree.body if isinstance(node, FUNCTIONS)}
        self._handed: List[Tuple[Container, Function, int, bool]] = []  # passed to a function of the module
        self._scan(tree, [], None, [])
        for container, callee, position, at_import in self._handed:
            self._follow_parameter(container, callee, position, at_import)
        for container in self.all():
            _settle_removals(container)

    def all(self) -> Iterator[Container]:
        yield from self.module.values()
        yield from self.attributes.values()

    # -- bindings -------------------------------------------------------------

    def _bind_module(self, tree: ast.Module) -> None:
        counts: Dict[str, int] = {}
        for statement in _module_statements(tree.body):
            for target, value in _bindings(statement):
                if isinstance(target, ast.Name):
                    counts[target.id] = counts.get(target.id, 0) + 1
                    container = self._container(target.id, value, statement, None)
                    if container is not None:
                        self.module[target.id] = container
            if isinstance(statement, ast.ClassDef):
                for item in statement.body:
                    for target, value in _bindings(item):
                        if isinstance(target, ast.Name):
                            container = self._container(target.id, value, item, statement)
                            if container is not None:
                                self.attributes[(statement.name, target.id)] = container
        for name, count in counts.items():
            if count > 1 and name in self.module:
                self.module[name].shrunk = True  # bound again: reset, or two different things

    def _container(
        self, name: str, value: Optional[ast.expr], statement: ast.stmt, owner: Optional[ast.ClassDef]
    ) -> Optional[Container]:
        if isinstance(value, (ast.Dict, ast.DictComp)):
            return Container(name, "mapping", "dict", statement, owner)
        if isinstance(value, (ast.List, ast.ListComp)):
            return Container(name, "sequence", "list", statement, owner)
        if isinstance(value, (ast.Set, ast.SetComp)):
            return Container(name, "set", "set", statement, owner)
        if isinstance(value, ast.Call):
            dotted = ast_dotted_name(value.func)
            qualified = self.names.resolve_dotted(dotted) if dotted else None
            shape = CONTAINER_CONSTRUCTORS.get(qualified or "")
            if qualified is None or shape is None or shape == "weak":
                return None
            constructor = qualified[len("builtins.") :] if qualified.startswith("builtins.") else qualified
            bounded = qualified == "collections.deque" and (
                len(value.args) > 1 or any(k.arg == "maxlen" for k in value.keywords)
            )
            return Container(name, shape, constructor, statement, owner, bounded=bounded)
        return None

    # -- uses -----------------------------------------------------------------

    def _scan(self, node: ast.AST, functions: List[Function], owner: Optional[ast.ClassDef], chain: List[ast.AST]) -> None:
        chain.append(node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, FUNCTIONS):
                self._scan_function(child, functions, owner, chain)
            elif isinstance(child, ast.ClassDef):
                self._scan(child, functions, child, chain)
            else:
                self._use(child, chain, functions, owner)
                self._scan(child, functions, owner, chain)
        chain.pop()

    def _scan_function(
        self, function: Function, functions: List[Function], owner: Optional[ast.ClassDef], chain: List[ast.AST]
    ) -> None:
        chain.append(function)
        for outer in [*function.decorator_list, *function.args.defaults, *function.args.kw_defaults]:
            if outer is not None:
                self._use(outer, chain, functions, owner)
                self._scan(outer, functions, owner, chain)
        for name in (_global_names(function) | _nonlocal_names(function)) & set(self.module):
            if _assigns(function, name):
                self.module[name].shrunk = True  # ``global cache; cache = {}``: reset
        inner = [*functions, function]
        shadowed = {name for name in local_names(function) if name in self.module}
        saved = {name: self.module.pop(name) for name in shadowed}
        for statement in function.body:
            self._use(statement, chain, inner, owner)
            self._scan(statement, inner, owner, chain)
        self.module.update(saved)
        chain.pop()

    def _reference(self, node: ast.AST, owner: Optional[ast.ClassDef]) -> Optional[Container]:
        """The container ``node`` names: ``cache``, ``self.cache``, ``cls.cache``, ``Registry.cache``."""
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Del):
            return self.module.get(node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            holder = node.value.id
            if holder in ("self", "cls") and owner is not None:
                return self.attributes.get((owner.name, node.attr))
            for (class_name, attribute), container in self.attributes.items():
                if class_name == holder and attribute == node.attr:
                    return container
        return None

    def _use(self, node: ast.AST, chain: List[ast.AST], functions: List[Function], owner: Optional[ast.ClassDef]) -> None:
        """What the code around ``node`` (``chain``: its ancestors) does with
        it, if ``node`` names a container."""
        container = self._reference(node, owner)
        if container is None:
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name)
                and node.value.id in ("self", "cls")
                and owner is not None
                and (owner.name, node.attr) in self.attributes
            ):
                self.attributes[(owner.name, node.attr)].shrunk = True  # re-bound on the instance
            return
        parent = chain[-1]
        function = functions[-1] if functions else None
        at_import = function is None or self._runs_at_import(function)

        def grow(method: str, at: ast.AST, key: Optional[ast.expr] = None, value: Optional[ast.expr] = None) -> None:
            # In the wrapper a decorator returns, growth runs on every call of what it decorates.
            deferred = function is not None and _in_returned_wrapper(function, at)
            container.growths.append(Growth(at, method, function, at_import and not deferred, key, value, deferred))

        if isinstance(parent, ast.Attribute) and parent.value is node:
            call = chain[-2] if len(chain) > 1 else None
            if not (isinstance(call, ast.Call) and call.func is parent):
                if parent.attr in SHRINKING_METHODS:
                    container.shrunk = True  # ``task.add_done_callback(tasks.discard)``
                return  # ``cache.get``, ``d.items`` read without a call here
            method = parent.attr
            if method in ("get", "setdefault", "__getitem__", "__contains__") and function is not None:
                container.looked_up_in.add(id(function))
            if method in GROWING_METHODS:
                args = call.args
                key = args[0] if method in ("setdefault", "__setitem__") and args else None
                value = args[-1] if method in ("append", "appendleft", "add", "insert") and args else None
                grow(method, call, key=key, value=value)
            elif method == "pop" and container.shape == "mapping" and call.args:
                container.keyed_removals.append((function, call.args[0]))
            elif method in SHRINKING_METHODS:
                container.shrunk = True
            return
        if isinstance(parent, ast.Subscript) and parent.value is node:
            assignment = chain[-2] if len(chain) > 1 else None
            value = assignment.value if isinstance(assignment, ast.Assign) else None
            if isinstance(parent.ctx, ast.Store) and isinstance(parent.slice, ast.Slice):
                container.shrunk = True  # ``items[:] = []``: replaced wholesale
            elif isinstance(parent.ctx, ast.Store) and isinstance(value, ast.Constant) and value.value is None:
                container.shrunk = True  # ``by_number[n] = None``: let go
            elif isinstance(parent.ctx, ast.Store) and container.shape == "sequence":
                pass  # ``flag[0] = False``: a slot overwritten, nothing added
            elif isinstance(parent.ctx, ast.Store):
                grow("[]=", parent, key=parent.slice, value=value)
            elif isinstance(parent.ctx, ast.Del) and container.shape == "mapping":
                container.keyed_removals.append((function, parent.slice))
            elif isinstance(parent.ctx, ast.Del):
                container.shrunk = True
            elif function is not None:
                container.looked_up_in.add(id(function))
            return
        if isinstance(parent, ast.AugAssign) and parent.target is node:
            if isinstance(parent.op, (ast.Add, ast.BitOr)):
                grow("+=" if isinstance(parent.op, ast.Add) else "|=", parent, value=parent.value)
            else:
                container.shrunk = True  # ``&=``, ``-=``: may take things out
            return
        if isinstance(parent, ast.Call) and node in parent.args:
            qualified = self._qualified(parent.func)
            if qualified == "builtins.len":
                container.shrunk = container.shrunk or self._len_is_compared(parent, functions)
                return
            if qualified in READERS:
                return
            callee = self._functions.get(parent.func.id) if isinstance(parent.func, ast.Name) else None
            if callee is not None and not parent.keywords and not any(isinstance(a, ast.Starred) for a in parent.args):
                # ``get_digest = memoize(get_digest, _digests)``: followed into the function
                self._handed.append((container, callee, parent.args.index(node), at_import))
                return
            container.escapes = True  # an unknown callee may keep or empty it
            return
        if isinstance(parent, (ast.For, ast.comprehension)) and parent.iter is node:
            return
        if isinstance(parent, ast.Compare):
            if function is not None:
                container.looked_up_in.add(id(function))  # ``key in cache``
            return
        if isinstance(parent, (ast.Expr, ast.JoinedStr, ast.FormattedValue, ast.BoolOp, ast.UnaryOp, ast.IfExp)):
            return
        if isinstance(parent, (ast.If, ast.While, ast.Assert)) and parent.test is node:
            return
        if (isinstance(parent, ast.Assign) and node in parent.targets) or (
            isinstance(parent, ast.AnnAssign) and parent.target is node
        ):
            if isinstance(node, ast.Attribute) and function is not None:
                container.shrunk = True  # ``cls.instances = []`` in a reset(): the old entries are let go
            return
        container.escapes = True  # returned, aliased, stored, yielded, passed in a literal

    def _enclosed(self, tree: ast.Module) -> Iterator[Container]:
        """Containers bound in a function's body and grown by a function it
        nests that outlives the call: the wrapper a decorator returns
        (``def memoize(f): cache = {}; def memf(*x): cache[x] = ...; return
        memf``), or a handler it registers (``@app.post(...)``). Such a
        local lives as long as the wrapper or the handler: for a decorator
        applied to the module's functions, as long as the process."""
        import_time: Optional[Set[int]] = None
        for function in _defined_functions(tree.body):
            if not any(
                isinstance(statement, FUNCTIONS) for statement in function.body
            ):
                continue
            if not any(
                isinstance(statement, (ast.Assign, ast.AnnAssign))
                and isinstance(statement.value, (ast.Dict, ast.List, ast.Set, ast.Call))
                for statement in function.body
            ):
                continue
            if import_time is None:
                import_time = import_time_functions(tree)
            decorator = id(function) in import_time or (
                bool(function.args.args) and _takes_a_definition(function)
            )
            scope = ModuleContainers(_as_container_scope(function, "", "mapping", bind=False), self.names)
            for container in scope.module.values():
                growths = [
                    growth
                    for growth in container.runtime_growths()
                    if growth.function is not None and _outlives_its_maker(function, growth.function, decorator, self.names)
                ]
                if not growths:
                    continue
                for growth in growths:
                    growth.deferred = True
                container.growths = growths
                container.scope = function
                yield container

    def _follow_parameter(self, container: Container, callee: Function, position: int, at_import: bool) -> None:
        """``container`` given to ``callee`` of this module as its argument at
        ``position``: what ``callee`` does to that parameter (and the
        functions it nests and returns do, later) is done to ``container``."""
        params = [*callee.args.posonlyargs, *callee.args.args]
        if position >= len(params):
            container.escapes = True
            return
        parameter = _as_container_scope(callee, params[position].arg, container.shape)
        inner = ModuleContainers(parameter, self.names).module.get(params[position].arg)
        if inner is None:
            container.escapes = True
            return
        container.escapes |= inner.escapes
        container.shrunk |= inner.shrunk
        container.looked_up_in |= inner.looked_up_in
        container.keyed_removals += inner.keyed_removals
        for growth in inner.growths:
            # In the body of ``callee``: when it is called; in what it nests: later.
            growth.deferred = not growth.at_import
            growth.at_import = growth.at_import and at_import
            container.growths.append(growth)

    def _qualified(self, func: ast.expr) -> Optional[str]:
        dotted = ast_dotted_name(func)
        return self.names.resolve_dotted(dotted) if dotted else None

    def _len_is_compared(self, call: ast.Call, functions: List[Function]) -> bool:
        # ``if len(cache) > 1000: cache.clear()``; any comparison of the size counts as a bound.
        scope: ast.AST = functions[-1] if functions else ast.Module(body=[], type_ignores=[])
        for node in ast.walk(scope):
            if isinstance(node, ast.Compare) and any(part is call for part in [node.left, *node.comparators]):
                return True
        return False

    def _runs_at_import(self, function: Function) -> bool:
        return id(function) in self._import_time or function.name in CLASS_CREATION_METHODS


def _module_statements(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    """Module-level statements, through ``if``/``try`` blocks (``if TYPE_CHECKING``, fallbacks)."""
    for statement in body:
        yield statement
        if isinstance(statement, ast.If):
            yield from _module_statements(statement.body)
            yield from _module_statements(statement.orelse)
        elif isinstance(statement, ast.Try):
            for block in (statement.body, statement.orelse, statement.finalbody, *(h.body for h in statement.handlers)):
                yield from _module_statements(block)


def _bindings(statement: ast.stmt) -> Iterator[Tuple[ast.expr, Optional[ast.expr]]]:
    if isinstance(statement, ast.Assign):
        for target in statement.targets:
            yield target, statement.value
    elif isinstance(statement, ast.AnnAssign):
        yield statement.target, statement.value
    elif isinstance(statement, ast.AugAssign):
        yield statement.target, None
    elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield ast.Name(statement.name, ast.Store()), None
    elif isinstance(statement, (ast.Import, ast.ImportFrom)):
        for alias in statement.names:
            yield ast.Name((alias.asname or alias.name).split(".")[0], ast.Store()), None
    elif isinstance(statement, (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith)):
        targets = [statement.target] if isinstance(statement, (ast.For, ast.AsyncFor)) else [
            item.optional_vars for item in statement.items if item.optional_vars is not None
        ]
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name):
                    yield name, None


def _global_names(function: Function) -> Set[str]:
    names: Set[str] = set()
    for node in descendants_in_scope(function):
        if isinstance(node, ast.Global):
            names.update(node.names)
    return names


def _assigns(function: Function, name: str) -> bool:
    """Whether ``function`` re-binds (or deletes) ``name``; ``name += x`` grows it."""
    augmented = {id(node.target) for node in descendants_in_scope(function) if isinstance(node, ast.AugAssign)}
    return any(
        isinstance(node, ast.Name)
        and node.id == name
        and isinstance(node.ctx, (ast.Store, ast.Del))
        and id(node) not in augmented
        for node in descendants_in_scope(function)
    )


def local_names(function: Function) -> Set[str]:
    """Names local to ``function``: its parameters and what it binds without
    ``global`` (assignments, imports, definitions, ``except ... as``, ``match``
    captures)."""
    declared = _global_names(function)
    local = {arg.arg for arg in ast.walk(function.args) if isinstance(arg, ast.arg)}
    for node in descendants_in_scope(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            local.add(node.id)
        elif isinstance(node, ast.Nonlocal):
            local.update(node.names)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            local.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (*FUNCTIONS, ast.ClassDef)) and node is not function:
            local.add(node.name)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            local.add(node.name)  # ``except E as error``
        elif isinstance(node, _MATCH_CAPTURES) and getattr(node, "name", None):
            local.add(node.name)  # ``case Point(x=px)``, ``case [*rest]``
        elif isinstance(node, _MATCH_MAPPINGS) and node.rest:
            local.add(node.rest)
    return local - declared


# ``match`` patterns that bind names (Python 3.10+; empty before).
_MATCH_CAPTURES = tuple(getattr(ast, name) for name in ("MatchAs", "MatchStar") if hasattr(ast, name))
_MATCH_MAPPINGS = tuple(getattr(ast, name) for name in ("MatchMapping",) if hasattr(ast, name))


def import_time_functions(tree: ast.Module, decorators: bool = True) -> Set[int]:
    """Module-level functions that only import-time code uses: applied as
    decorators, or called from the module body (``main()`` under
    ``if __name__ == "__main__":`` runs once). A decorator-shaped function
    nested in one (``def deco(fn): ...; return fn``) runs then too, and with
    ``decorators``, so do decorators (and factories of them) taking a
    function or class, whoever applies them."""
    functions = {node.name: node for node in tree.body if isinstance(node, FUNCTIONS)}
    if not functions:
        return set()
    # Per function, where it is used: None for import time, else the
    # module-level function the use is in ("" when in a method or nested code).
    uses: Dict[str, List[Optional[str]]] = {name: [] for name in functions}
    current: List[Optional[str]] = [None]

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (*FUNCTIONS, ast.ClassDef)):
                for decorator in child.decorator_list:
                    target = decorator.func if isinstance(decorator, ast.Call) else decorator
                    if isinstance(target, ast.Name) and target.id in uses:
                        uses[target.id].append(current[-1] if in_function else None)
                        if isinstance(decorator, ast.Call):
                            for part in [*decorator.args, *(k.value for k in decorator.keywords)]:
                                visit(part, in_function)
                    else:
                        visit(decorator, in_function)
                inside = in_function or isinstance(child, FUNCTIONS)
                top_level_function = not in_function and isinstance(child, FUNCTIONS) and child.name in functions
                current.append(child.name if top_level_function else (current[-1] if in_function else ""))
                for statement in child.body:
                    visit_statement(statement, inside)
                current.pop()
                if isinstance(child, FUNCTIONS):
                    visit(child.args, in_function)
                else:
                    for part in [*child.bases, *(k.value for k in child.keywords)]:
                        visit(part, in_function)
            elif isinstance(child, ast.Call) and isinstance(child.func, ast.Name) and child.func.id in uses:
                uses[child.func.id].append(current[-1] if in_function else None)
                for part in [*child.args, *(k.value for k in child.keywords)]:
                    visit(part, in_function)
            elif isinstance(child, ast.Name) and child.id in uses and isinstance(child.ctx, ast.Del):
                if not in_function:
                    uses[child.id].append(None)  # ``del def_op`` after the module used it: gone
            elif isinstance(child, ast.Name) and child.id in uses and isinstance(child.ctx, ast.Load):
                uses[child.id].append("")  # passed around: may be called any time
            else:
                visit(child, in_function)

    def visit_statement(statement: ast.stmt, in_function: bool) -> None:
        wrapper = ast.Module(body=[statement], type_ignores=[])
        visit(wrapper, in_function)

    visit(tree, False)
    # Import time: used only at import time, or from functions that are
    # (``def_op()`` called by ``jrel_op()``, called from the module body).
    at_import: Set[str] = set()
    changed = True
    while changed:  # at most one pass per function
        changed = False
        for name in functions:
            if name not in at_import and uses[name] and all(
                use is None or (use in at_import and use != name) for use in uses[name]
            ):
                at_import.add(name)
                changed = True
    found: Set[int] = set()
    for name, function in functions.items():
        if name in at_import:
            found.add(id(function))
            for node in function.body:
                if isinstance(node, FUNCTIONS) and _is_decorator_shaped(node):
                    found.add(id(node))
        if decorators:
            found.update(id(decorator) for decorator in _decorators_of_definitions(function))
    return found


def _decorators_of_definitions(function: Function) -> Iterator[Function]:
    """``function`` when it is a decorator, or a factory of one, taking a
    function or class and returning it (``def decorator(func): ...; return
    func``): it runs when the code it decorates is defined, once per
    definition, whoever imports it. (Growth in a nested function counts as
    its enclosing module-level function's.)"""
    if _is_decorator_shaped(function) and _takes_a_definition(function):
        yield function
        return
    returned = {
        node.value.id for node in function.body if isinstance(node, ast.Return) and isinstance(node.value, ast.Name)
    }
    if any(
        isinstance(node, FUNCTIONS)
        and node.name in returned
        and _is_decorator_shaped(node)
        and _takes_a_definition(node)
        for node in function.body
    ):
        yield function


# Parameter names of decorators: what they take is a definition, not data.
DEFINITION_PARAMETERS = frozenset(
    {"func", "fn", "f", "function", "method", "meth", "cls", "klass", "class_", "wrapped", "view", "hook", "plugin",
     "callback", "cb", "handler", "listener"}
)


def _takes_a_definition(function: Function) -> bool:
    return function.args.args[0].arg in DEFINITION_PARAMETERS


def _is_decorator_shaped(function: Function) -> bool:
    """``def deco(fn): registry[...] = fn; return fn``."""
    params = function.args.args
    if len(params) != 1:
        return False
    last = function.body[-1] if function.body else None
    return isinstance(last, ast.Return) and isinstance(last.value, ast.Name) and last.value.id == params[0].arg


# Functions named like these add to a registry on request (configuration,
# plugins), not on every call of a service.
_REGISTRATION_PREFIXES = ("register", "add", "install", "subscribe", "connect", "declare", "define", "def_", "set_")


def registers(function: Optional[Function]) -> bool:
    name = function.name.lstrip("_").lower() if function is not None else ""
    return name.startswith(_REGISTRATION_PREFIXES)


def per_call_key(key: Optional[ast.expr], function: Optional[Function]) -> bool:
    """Whether ``key`` changes from call to call: it depends on the
    function's parameters or locals, and is not a class (``type(obj)``,
    ``cls``, ``obj.__class__``: as many as there are classes)."""
    if key is None or function is None:
        return False
    # A write in a nested function (a decorator's wrapper) uses its locals.
    function = _innermost_function(function, key)
    if _is_definition(key, _single_assignments(function)):
        return False
    local = local_names(function)
    fixed = _drawn_from_fixed_sets(function, local)
    if isinstance(key, ast.Name) and key.id in fixed:
        return False  # ``for name in _REGISTERED: cache[name] = ...``: one per member
    return any(isinstance(node, ast.Name) and node.id in local and node.id != "cls" for node in ast.walk(key))


def _innermost_function(function: Function, node: ast.AST) -> Function:
    """The function nested in ``function`` (or ``function`` itself) whose own
    body holds ``node``."""
    for child in descendants_in_scope(function):
        if isinstance(child, FUNCTIONS) and any(part is node for part in ast.walk(child)):
            return _innermost_function(child, node)
    return function


def _drawn_from_fixed_sets(function: Function, local: Set[str]) -> Set[str]:
    """Loop variables of ``for`` loops over a module-level name or a literal
    (``for name in _REGISTERED:``, ``for kind in ("a", "b"):``): they take
    the members of a set the module keeps, not values a call was given."""
    drawn: Set[str] = set()
    bindings: Dict[str, int] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bindings[node.id] = bindings.get(node.id, 0) + 1
        elif isinstance(node, ast.arg):
            bindings[node.arg] = bindings.get(node.arg, 0) + 2
        if isinstance(node, (ast.For, ast.AsyncFor)) and isinstance(node.target, ast.Name):
            source = node.iter
            if (isinstance(source, ast.Name) and source.id not in local) or (
                isinstance(source, (ast.Tuple, ast.List, ast.Set))
                and all(isinstance(element, ast.Constant) for element in source.elts)
            ):
                drawn.add(node.target.id)
    # Bound by that loop alone: not also a parameter or re-bound elsewhere.
    return {name for name in drawn if bindings.get(name) == 1}


def _is_definition(key: ast.expr, aliases: Dict[str, ast.expr]) -> bool:
    """Whether ``key`` is a class or a piece of code (``type(obj)``, ``cls``,
    ``obj.__class__``, ``id(func.__code__)``, a local bound once to one of
    those, a tuple of them and constants): as many as the program defines."""
    if isinstance(key, ast.Call) and isinstance(key.func, ast.Name) and len(key.args) == 1:
        if key.func.id == "type":
            return True
        if key.func.id == "id":
            return _is_definition(key.args[0], aliases)
    if isinstance(key, ast.Attribute) and key.attr in DEFINITION_ATTRIBUTES:
        return True
    if isinstance(key, ast.Name):
        if key.id == "cls":
            return True
        alias = aliases.pop(key.id, None)  # popped: no loop through ``a = a``
        return alias is not None and _is_definition(alias, aliases)
    if isinstance(key, ast.Tuple):
        return all(isinstance(e, ast.Constant) or _is_definition(e, aliases) for e in key.elts)
    return False


def _single_assignments(function: Function) -> Dict[str, ast.expr]:
    """Locals of ``function`` assigned exactly once, with the value."""
    values: Dict[str, ast.expr] = {}
    counts: Dict[str, int] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    counts[target.id] = counts.get(target.id, 0) + 1
                    values[target.id] = node.value
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.comprehension, ast.NamedExpr)):
            target = node.target
            if isinstance(target, ast.Name):
                counts[target.id] = counts.get(target.id, 0) + 2
    return {name: value for name, value in values.items() if counts[name] == 1}


def _defined_functions(body: Sequence[ast.stmt]) -> Iterator[Function]:
    """Functions defined in ``body`` and the blocks and definitions in it,
    read statement by statement (a big table of data is not walked)."""
    for statement in body:
        if isinstance(statement, FUNCTIONS):
            yield statement
        for name in ("body", "orelse", "finalbody"):
            block = getattr(statement, name, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield from _defined_functions(block)
        for handler in getattr(statement, "handlers", []):
            yield from _defined_functions(handler.body)
        for case in getattr(statement, "cases", []):
            yield from _defined_functions(case.body)


def _in_returned_wrapper(function: Function, node: ast.AST) -> bool:
    """Whether ``node`` is in a function nested in ``function`` that its
    enclosing function returns in place of what it decorates (``def
    cached(func): def wrapper(*args): ...; return wrapper``): it runs when
    the decorated function is called, not when it is decorated. A nested
    ``def deco(fn): ...; return fn`` (or one taking ``func`` and returning
    its own wrapper) still runs at definition."""
    outer = function
    while True:
        inner = next(
            (
                child
                for child in descendants_in_scope(outer)
                if isinstance(child, FUNCTIONS) and any(part is node for part in ast.walk(child))
            ),
            None,
        )
        if inner is None:
            return False
        returned = any(
            isinstance(n, ast.Return) and isinstance(n.value, ast.Name) and n.value.id == inner.name
            for n in descendants_in_scope(outer)
        )
        decorates = _is_decorator_shaped(inner) or (bool(inner.args.args) and _takes_a_definition(inner))
        if returned and not decorates:
            return True
        outer = inner


def _settle_removals(container: Container) -> None:
    """A keyed removal empties the container, unless the same function
    goes on to write the same key again on that path (``del cache[key]``
    of an expired entry, then ``cache[key] = fresh``): such a removal only
    ever reaches keys that are asked for again."""
    for function, key in container.keyed_removals:
        if function is None or not any(
            growth.function is function
            and growth.key is not None
            and ast.dump(growth.key) == ast.dump(key)
            and _rewritten_after(function, key, growth.node)
            for growth in container.growths
        ):
            container.shrunk = True
            return


def _rewritten_after(function: Function, removed_key: ast.expr, write: ast.AST) -> bool:
    """Whether the removal of ``removed_key`` in ``function`` is followed, on
    its own path, by ``write``: the write comes later, not in the other
    branch of an ``if``, and the removal's block does not return first."""
    removal = next(
        (
            statement
            for statement in ast.walk(function)
            if isinstance(statement, ast.stmt)
            and not isinstance(statement, (*FUNCTIONS, ast.If, ast.For, ast.While, ast.With, ast.Try))
            and any(part is removed_key for part in ast.walk(statement))
        ),
        None,
    )
    if removal is None or removal.lineno >= getattr(write, "lineno", 0):
        return False
    for node in ast.walk(function):
        blocks = [getattr(node, name, None) for name in ("body", "orelse", "finalbody")]
        blocks += [handler.body for handler in getattr(node, "handlers", [])]
        holding = [block for block in blocks if isinstance(block, list) and removal in block]
        if holding:
            after = holding[0][holding[0].index(removal) + 1 :]
            if any(isinstance(statement, (ast.Return, ast.Raise, ast.Continue, ast.Break)) for statement in after):
                return False
        if isinstance(node, ast.If):
            in_body = any(part is removal for statement in node.body for part in ast.walk(statement))
            in_else = any(part is removal for statement in node.orelse for part in ast.walk(statement))
            write_in_body = any(part is write for statement in node.body for part in ast.walk(statement))
            write_in_else = any(part is write for statement in node.orelse for part in ast.walk(statement))
            if (in_body and write_in_else) or (in_else and write_in_body):
                return False
    return True


_EMPTY = {"mapping": ast.Dict(keys=[], values=[]), "sequence": ast.List(elts=[]), "set": ast.Set(elts=[])}


def _as_container_scope(function: Function, name: str, shape: str, bind: bool = True) -> ast.Module:
    """The body of ``function`` as a module of its own, with ``name`` bound
    first to an empty container of ``shape`` (with ``bind``): its locals
    read as module names, the functions it nests as the module's functions
    (run later, unless only its body calls them)."""
    if not bind:
        return ast.Module(body=list(function.body), type_ignores=[])
    binding = ast.Assign(targets=[ast.Name(name, ast.Store())], value=_EMPTY[shape])
    ast.copy_location(binding, function)
    return ast.Module(body=[binding, *function.body], type_ignores=[])


def _outlives_its_maker(maker: Function, nested: Function, decorator: bool, names: NameResolver) -> bool:
    """``nested``, defined in ``maker``'s body, is returned by a decorator
    (in place of what it decorates), or registered by a decorator of its
    own (``@app.post("/sessions")``; ``functools.wraps`` registers nothing)."""
    if decorator and any(
        isinstance(node, ast.Return) and isinstance(node.value, ast.Name) and node.value.id == nested.name
        for node in descendants_in_scope(maker)
    ):
        return True
    for applied in nested.decorator_list:
        if isinstance(applied, ast.Call) and isinstance(applied.func, ast.Attribute):
            dotted = ast_dotted_name(applied.func)
            if names.resolve_dotted(dotted or "") != "functools.wraps":
                return True
    return False


def _nonlocal_names(function: Function) -> Set[str]:
    names: Set[str] = set()
    for node in descendants_in_scope(function):
        if isinstance(node, ast.Nonlocal):
            names.update(node.names)
    return names
