"""LL106: a mutable default argument that the function makes grow."""

from __future__ import annotations

import ast
import bisect
import re
from typing import Dict, Iterator, List, Optional, Tuple

from leaklint.analysis.names import NameResolver, ast_dotted_name, descendants_in_scope
from leaklint.catalog.containers import CONTAINER_CONSTRUCTORS, GROWING_METHODS, SHRINKING_METHODS
from leaklint.analysis.module_index import Function
from leaklint.core.context import FileFacts, Findings
import leaklint.watch as watch
from leaklint.fixers.none_default import none_default_fix
from leaklint.core.rule import FIX_FIELD, WATCH_FIELD, CandidateRule

_LITERALS = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)


class AccumulatingMutableDefault(CandidateRule):
    """
    ## What it finds
    A parameter whose default is a list, set or `deque` (a literal or a
    constructor call) that the function adds to (`append`, `extend`, `add`,
    `+=`...) without re-binding the parameter first, testing it (`if not
    items:`) or taking from it. A mutable default that is only read stays
    clean, unlike flake8-bugbear's B006; so do dict defaults used as memos,
    whose keys are most often a fixed set.

    ## Why it leaks
    The default is created once, when the `def` runs, and every call that
    does not pass the argument shares it. What one call adds is still there
    in the next: the default grows for the life of the process, and keeps
    alive everything it holds.

    ## Example
    ```python
    def collect(event, seen=[]):
        seen.append(event)
        return len(seen)
    ```

    ## Fix
    ```python
    def collect(event, seen=None):
        if seen is None:
            seen = []
        seen.append(event)
        return len(seen)
    ```
    `leaklint --fix --unsafe-fixes` makes that change. Unsafe: a caller that
    counted on the default accumulating across calls (a memo, a registry)
    now starts empty each time, and one passing `None` on purpose gets a new
    container.
    """

    code = "LL106"
    summary_text = "A mutable default argument the function adds to on every call"
    checks_test_modules = False
    name = "accumulating-mutable-default"
    message = (
        "mutable default of '{param}' is shared by every call of {function}() and {how} (line {line}), "
        "so it keeps growing; default to None and create it in the body"
    )

    VALID = (
        "def f(x, items=[]):\n    return [i for i in items if i != x]\n",
        "def f(x, items=None):\n    items = items or []\n    items.append(x)\n    return items\n",
        "def f(x, items=[]):\n    items = list(items)\n    items.append(x)\n    return items\n",
        "def f(key, value, cache={}):\n    cache[key] = value\n",
    )
    INVALID = (
        "def f(x, seen=[]):  # expect: LL106\n    seen.append(x)\n",
        "def f(x, seen=set()):  # expect: LL106\n    seen.add(x)\n",
    )
    FIXES = (
        (
            "def f(x, seen=[]):\n    seen.append(x)\n    return seen\n",
            "def f(x, seen=None):\n    if seen is None:\n        seen = []\n    seen.append(x)\n    return seen\n",
        ),
        (
            'class Log:\n    def add(self, line, *, into=set()):\n        """Keep it."""\n        into.add(line)\n',
            'class Log:\n    def add(self, line, *, into=None):\n        """Keep it."""\n'
            "        if into is None:\n            into = set()\n        into.add(line)\n",
        ),
    )

    @classmethod
    def findings(cls, facts: FileFacts) -> Findings:
        found: Findings = {}
        private_names: Optional[Dict[str, List[int]]] = None
        for qualified_name, node in _functions_defined_once(facts.tree):
            if node.name.startswith("_") and private_names is None:
                private_names = _private_name_lines(facts.text)
            if private_names is not None and _never_called(node, facts, private_names):
                continue
            for param, default in _defaults(node):
                shape = _mutable_shape(default, facts.names)
                if shape is None:
                    continue
                growth = _growth_of(node, param, shape)
                if growth is not None and not _always_given(node, param, facts.tree):
                    how, line = growth
                    found[facts.place(default)] = {
                        "param": param,
                        "function": node.name,
                        "how": how,
                        "line": line,
                        WATCH_FIELD: watch.defaults(qualified_name, param),
                        FIX_FIELD: none_default_fix(facts, node, param, default),
                    }
        return found


def _defaults(function: "ast.FunctionDef | ast.AsyncFunctionDef") -> Iterator[Tuple[str, ast.expr]]:
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    for param, default in zip(positional[len(positional) - len(args.defaults) :], args.defaults):
        yield param.arg, default
    for param, keyword_default in zip(args.kwonlyargs, args.kw_defaults):
        if keyword_default is not None:
            yield param.arg, keyword_default


def _functions_defined_once(tree: ast.Module) -> Iterator[Tuple[str, "ast.FunctionDef | ast.AsyncFunctionDef"]]:
    """Functions whose defaults are made once, with their qualified names:
    module-level ones and methods of module-level classes. A function nested
    in another gets fresh defaults each time the outer one runs."""
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    yield f"{node.name}.{item.name}", item


def _mutable_shape(default: ast.expr, names: NameResolver) -> Optional[str]:
    if isinstance(default, _LITERALS):
        return "sequence" if isinstance(default, (ast.List, ast.ListComp)) else "mapping"
    if isinstance(default, ast.Call):
        dotted = ast_dotted_name(default.func)
        shape = CONTAINER_CONSTRUCTORS.get(names.resolve_dotted(dotted) or "") if dotted else None
        return shape if shape != "weak" else None
    return None


def _growth_of(
    function: "ast.FunctionDef | ast.AsyncFunctionDef", param: str, shape: str
) -> Optional[Tuple[str, int]]:
    """How the function makes the shared default grow, if it does: appended
    or added to, unguarded. A dict default written by key is a memo, whose
    keys are most often a fixed set; a default tested for emptiness
    (``if not cache:``) or drained (``pop``) is filled once or kept small."""
    if shape == "mapping" or _tested_or_drained(function, param):
        return None
    found: Optional[Tuple[str, int]] = None
    augmented = {id(node.target) for node in descendants_in_scope(function) if isinstance(node, ast.AugAssign)}
    for node in descendants_in_scope(function):
        if isinstance(node, ast.Name) and node.id == param and isinstance(node.ctx, (ast.Store, ast.Del)):
            if id(node) not in augmented:
                return None  # re-bound: from there on, a different object
        if isinstance(node, (ast.Global, ast.Nonlocal)) and param in node.names:
            return None
        if found is not None:
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _is(node.func.value, param):
            if node.func.attr in GROWING_METHODS:
                found = (f"grows it with {node.func.attr}()", node.lineno)
        elif isinstance(node, ast.Subscript) and _is(node.value, param) and isinstance(node.ctx, ast.Store):
            if shape != "sequence" and not isinstance(node.slice, ast.Slice):
                found = ("adds to it", node.lineno)  # a list's ``x[0] = v`` overwrites a slot
        elif isinstance(node, ast.AugAssign) and _is(node.target, param) and isinstance(node.op, (ast.Add, ast.BitOr)):
            found = ("adds to it", node.lineno)
    return found


def _tested_or_drained(function: ast.AST, param: str) -> bool:
    for node in ast.walk(function):  # closures too: ``lambda: stack.pop()``
        if isinstance(node, (ast.If, ast.While, ast.IfExp)):
            if any(_is(part, param) for part in ast.walk(node.test)):
                return True  # ``if not cache:``, ``if len(seen) < 10:``
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and _is(node.func.value, param):
            if node.func.attr in SHRINKING_METHODS:
                return True
        if isinstance(node, ast.Subscript) and _is(node.value, param) and isinstance(node.ctx, ast.Del):
            if not (isinstance(node.slice, ast.Slice) and _is_empty_slice(node.slice)):
                return True  # ``del seen[0]``, ``del seen[:-100]``
        if isinstance(node, ast.Assign) and any(_is_whole(target, param) for target in node.targets):
            value = node.value
            if (isinstance(value, ast.List) and not value.elts) or _is_one_end_of(value, param):
                return True  # ``seen[:] = seen[-100:]``, ``seen[:] = []``: trimmed
    return False


def _is_whole(target: ast.expr, param: str) -> bool:
    """``seen[:]``."""
    return (
        isinstance(target, ast.Subscript)
        and _is(target.value, param)
        and isinstance(target.slice, ast.Slice)
        and target.slice.lower is None
        and target.slice.upper is None
        and target.slice.step is None
    )


def _is_one_end_of(value: ast.expr, param: str) -> bool:
    """``seen[-100:]`` or ``seen[:100]``: a bounded part of the same list."""
    if not (isinstance(value, ast.Subscript) and _is(value.value, param) and isinstance(value.slice, ast.Slice)):
        return False
    part = value.slice
    return part.step is None and (part.lower is None) != (part.upper is None)


def _is_empty_slice(part: ast.Slice) -> bool:
    """``[:0]``, ``[0:0]``: deletes nothing."""
    return isinstance(part.upper, ast.Constant) and part.upper.value == 0


def _always_given(function: "ast.FunctionDef | ast.AsyncFunctionDef", param: str, tree: ast.Module) -> bool:
    """A private module-level function (``_chunker(src, dst=[])``) that the
    module only ever calls with ``param`` given: by convention no other
    module calls it, and these calls never touch the default."""
    name = function.name
    if not name.startswith("_") or name.startswith("__") or function.decorator_list or function not in tree.body:
        return False
    positional = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
    index = positional.index(param) if param in positional else None
    calls = uses = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and node.value == name:
            return False  # named in ``__all__`` or looked up by name: called from elsewhere
        if _is(node, name):
            uses += 1
        elif isinstance(node, ast.Call) and _is(node.func, name):
            given = any(k.arg == param for k in node.keywords) or (
                index is not None
                and len(node.args) > index
                and not any(isinstance(a, ast.Starred) for a in node.args[: index + 1])
            )
            if not given:
                return False
            calls += 1
    return calls > 0 and uses == calls  # referenced only by those calls (not handed on as a callback)


def _is(node: ast.AST, param: str) -> bool:
    return isinstance(node, ast.Name) and node.id == param


def _never_called(function: Function, facts: FileFacts, private_names: Dict[str, List[int]]) -> bool:
    """A private, undecorated module-level function (``_resolve``) that
    nothing outside its own lines names: by convention no other module
    does, so no call can grow its default."""
    name = function.name
    if not name.startswith("_") or name.startswith("__") or function.decorator_list:
        return False  # a decorator may register it to be called by name
    if function not in facts.tree.body:
        return False
    last = function.end_lineno or function.lineno
    return all(function.lineno <= line <= last for line in private_names.get(name, ()))


def _private_name_lines(text: str) -> Dict[str, List[int]]:
    """Lines (numbered as ``ast`` numbers them) of every ``_name`` in the text."""
    newlines = [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    found: Dict[str, List[int]] = {}
    for match in re.finditer(r"\b_\w+", text):
        found.setdefault(match.group(), []).append(bisect.bisect_right(newlines, match.start()) + 1)
    return found
