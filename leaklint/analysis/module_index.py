"""One walk of a module's ``ast``, shared by the rules that look at it whole.

Rules decided from the ``ast`` ask for "the functions of this class" and
"the statements of this function" again and again; walking the tree for each
question made them cost more than libcst's parse. Here each question is
answered from lists built in a single pass.
"""

from __future__ import annotations

import ast
from typing import Dict, Iterator, List, Optional, Set, Tuple, Union

from leaklint.catalog.decorators import NOT_BOUND_DECORATORS

Function = Union[ast.FunctionDef, ast.AsyncFunctionDef]
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
# ``try`` statements, ``try``/``except*`` included where Python has it.
TRY_STATEMENTS = (ast.Try, ast.TryStar) if hasattr(ast, "TryStar") else (ast.Try,)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


class ModuleIndex:
    """Scopes of a module and the nodes each owns (not those of nested scopes)."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.classes: List[ast.ClassDef] = []
        self.functions: List[Function] = []
        # function id -> the class whose body (or whose method's body) holds it
        self._class_of: Dict[int, ast.ClassDef] = {}
        self._own: Dict[int, List[ast.AST]] = {}
        self._class_functions: Dict[int, List[Function]] = {}
        self._walk()

    def _walk(self) -> None:
        # (node, the scope owning it, the class around it)
        stack: List[Tuple[ast.AST, ast.AST, Optional[ast.ClassDef]]] = [
            (child, self.tree, None) for child in reversed(self.tree.body)
        ]
        self._own[id(self.tree)] = []
        while stack:
            node, scope, cls = stack.pop()
            self._own[id(scope)].append(node)
            if isinstance(node, _SCOPES):
                self._own[id(node)] = []
                inner_class = cls
                if isinstance(node, ast.ClassDef):
                    self.classes.append(node)
                    self._class_functions[id(node)] = []
                    inner_class = node
                elif isinstance(node, FUNCTIONS):
                    self.functions.append(node)
                    if cls is not None:
                        self._class_of[id(node)] = cls
                        self._class_functions[id(cls)].append(node)
                # Decorators, defaults and bases run in the enclosing scope.
                for outer in _outer_parts(node):
                    stack.append((outer, scope, cls))
                for child in reversed(_inner_parts(node)):
                    stack.append((child, node, inner_class))
            else:
                for child in reversed(_child_nodes(node)):
                    stack.append((child, scope, cls))

    def own_nodes(self, scope: ast.AST) -> List[ast.AST]:
        """Nodes of ``scope`` (module, function, lambda, class), nested scopes'
        ``def``/``class``/``lambda`` nodes included but not their insides."""
        return self._own.get(id(scope), [])

    def class_functions(self, cls: ast.ClassDef) -> List[Function]:
        """Methods of ``cls`` and the functions nested in them (not nested classes')."""
        return self._class_functions.get(id(cls), [])

    def class_of(self, function: ast.AST) -> Optional[ast.ClassDef]:
        return self._class_of.get(id(function))

    def module_class_name(self, cls: ast.ClassDef) -> Optional[str]:
        """The name the module binds ``cls`` to (its body, under ``if``/``try``
        too), or None for a class made inside a function or another class."""
        return cls.name if any(node is cls for node in self.own_nodes(self.tree)) else None

    def with_module_bases(self, cls: ast.ClassDef) -> List[ast.ClassDef]:
        """``cls`` and, transitively, the classes of this module it derives
        from by name (``class CountTest(CollectorOffMixin, TestCase)``)."""
        by_name = {klass.name: klass for klass in self.classes}
        found: List[ast.ClassDef] = []
        waiting = [cls]
        while waiting:
            klass = waiting.pop()
            if any(klass is seen for seen in found):
                continue
            found.append(klass)
            waiting.extend(by_name[base.id] for base in klass.bases if isinstance(base, ast.Name) and base.id in by_name)
        return found

    def module_names(self) -> Set[str]:
        """Names the module body binds (under ``if``/``try`` too): imports,
        assignments, functions and classes."""
        found: Set[str] = set()
        for node in self.own_nodes(self.tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                found.update(t.id for target in targets for t in ast.walk(target) if isinstance(t, ast.Name))
            elif isinstance(node, (*FUNCTIONS, ast.ClassDef)):
                found.add(node.name)
        return found


def _outer_parts(node: ast.AST) -> List[ast.AST]:
    if isinstance(node, ast.ClassDef):
        return [*node.decorator_list, *node.bases, *node.keywords]
    if isinstance(node, FUNCTIONS):
        return [*node.decorator_list, *_defaults(node.args), *([node.returns] if node.returns else [])]
    if isinstance(node, ast.Lambda):
        return _defaults(node.args)
    return []


def _inner_parts(node: ast.AST) -> List[ast.AST]:
    if isinstance(node, ast.Lambda):
        return [node.args, node.body]
    return [node.args, *node.body] if isinstance(node, FUNCTIONS) else list(node.body)  # type: ignore[attr-defined]


def _defaults(args: ast.arguments) -> List[ast.AST]:
    return [*args.defaults, *(d for d in args.kw_defaults if d is not None)]


def defined_functions(index: ModuleIndex, scope: ast.AST) -> Dict[str, Function]:
    """Functions a scope's body defines (under ``if``/``try`` too), by name:
    a class's methods, a function's nested functions."""
    return {node.name: node for node in index.own_nodes(scope) if isinstance(node, FUNCTIONS)}


def statements_before(function: Function, node: ast.AST) -> Iterator[ast.stmt]:
    """The statements of ``function``'s own body that run, unconditionally
    and in order, before the one holding ``node``."""
    for statement in function.body:
        if any(inner is node for inner in ast.walk(statement)):
            return
        yield statement


def method_names(index: ModuleIndex, cls: ast.ClassDef) -> Set[str]:
    """Names of ``cls``'s methods: ``self.name`` is a method bound to the
    instance. Properties (``@property``, ``@cached_property``, a
    ``@name.setter``) are left out, ``self.name`` reads their value; so are
    static and class methods, which hold no instance."""
    functions = [node for node in index.own_nodes(cls) if isinstance(node, FUNCTIONS)]
    not_bound = {f.name for f in functions if any(map(_reads_no_bound_method, f.decorator_list))}
    return {function.name for function in functions} - not_bound


def _reads_no_bound_method(decorator: ast.expr) -> bool:
    if isinstance(decorator, ast.Call):
        decorator = decorator.func
    if isinstance(decorator, ast.Name):
        return decorator.id in NOT_BOUND_DECORATORS
    if isinstance(decorator, ast.Attribute):
        return decorator.attr in NOT_BOUND_DECORATORS or decorator.attr in ("setter", "getter", "deleter")
    return False


def _child_nodes(node: ast.AST) -> List[ast.AST]:
    """``ast.iter_child_nodes`` without the ``Load``/``Store``/``Del`` markers,
    which are a third of a tree's nodes and of no use to any rule."""
    found: List[ast.AST] = []
    for field in node._fields:
        value = getattr(node, field, None)
        if type(value) is list:
            found.extend(item for item in value if isinstance(item, ast.AST))
        elif isinstance(value, ast.AST) and not isinstance(value, ast.expr_context):
            found.append(value)
    return found
