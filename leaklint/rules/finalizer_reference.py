"""LL202: a ``weakref.finalize`` whose callback or arguments hold the object."""

from __future__ import annotations

import ast
from typing import Iterator, List, Optional, Set, Tuple

from leaklint.analysis.captures import reference_to
from leaklint.analysis.names import ast_dotted_name
from leaklint.analysis.module_index import ModuleIndex, defined_functions
from leaklint.core.context import FileFacts, Findings
from leaklint.fixers.delegated_release import delegated_release_fix
from leaklint.core.rule import FIX_FIELD, CandidateRule



class FinalizerReferencesObject(CandidateRule):
    """
    ## What it finds
    `weakref.finalize(obj, callback, *args)` where the callback is a bound
    method of `obj`, a lambda or nested function using `obj`, or a
    `functools.partial` over one, or where `obj` itself (or, for `self`,
    one of its methods) is among the arguments. Other attributes among the
    arguments are values read when `finalize` is called. A finalizer kept as
    the object's close method (`self.clean = weakref.finalize(...)`, and the
    module calls `.clean()`) is unregistered when called, which frees the
    object; it is not reported.

    ## Why it leaks
    The finalizer registry holds the callback and its arguments strongly
    until the finalizer runs, and it runs when `obj` is collected. If they
    reference `obj`, `obj` is never collected: the finalizer keeps it alive
    until the interpreter exits. The `weakref` documentation warns about
    exactly this.

    ## Example
    ```python
    import weakref

    class Connection:
        def __init__(self, handle):
            self.handle = handle
            weakref.finalize(self, self.close)

        def close(self):
            self.handle.release()
    ```

    ## Fix
    Give the finalizer only what the cleanup needs, never the object:
    ```python
    import weakref

    class Connection:
        def __init__(self, handle):
            self.handle = handle
            weakref.finalize(self, handle.release)
    ```
    `leaklint --fix --unsafe-fixes` does that when the method given is only
    `self.<attribute>.<method>()` and the attribute is set before the
    finalizer is made: `weakref.finalize(self, self.close)` becomes
    `weakref.finalize(self, self.handle.release)`. Unsafe: the handle is
    taken when the finalizer is made, so one set later is not the one
    released, and what `close()` comes to do besides is not done at
    collection. Other shapes need a function written for them.
    """

    code = "LL202"
    summary_text = "A `weakref.finalize` callback that keeps alive the object it waits for"
    checks_test_modules = False
    name = "finalizer-references-object"
    message = (
        "weakref.finalize() is given {what}, so '{obj}' is never collected; "
        "pass only what the cleanup needs (a handle, a path), not the object"
    )

    VALID = (
        "import weakref\nclass A:\n    def __init__(self, handle):\n"
        "        weakref.finalize(self, handle.close)\n",
        "import weakref\nclass A:\n    def __init__(self):\n"
        "        self._finalizer = weakref.finalize(self, cleanup, self._handle)\n",
        "import weakref\nclass A:\n    def __init__(self, name):\n"
        "        weakref.finalize(self, self._cleanup, name)\n"
        "    @classmethod\n    def _cleanup(cls, name): pass\n",
    )
    INVALID = (
        "import weakref\nclass A:\n    def __init__(self):\n"
        "        weakref.finalize(self, self.close)  # expect: LL202\n    def close(self): pass\n",
        "import weakref\ndef track(obj):\n    weakref.finalize(obj, print, obj)  # expect: LL202\n",
    )
    FIXES = (
        (
            "import weakref\nclass Connection:\n    def __init__(self, handle):\n        self.handle = handle\n"
            "        weakref.finalize(self, self.close)\n    def close(self):\n        self.handle.release()\n",
            "import weakref\nclass Connection:\n    def __init__(self, handle):\n        self.handle = handle\n"
            "        weakref.finalize(self, self.handle.release)\n    def close(self):\n        self.handle.release()\n",
        ),
    )

    @classmethod
    def findings(cls, facts: FileFacts) -> Findings:
        if "finalize" not in facts.text:
            return {}
        found: Findings = {}
        index = facts.index
        classes = {c.name for c in index.classes}
        for scope, methods in _scopes(index):
            owner = index.class_of(scope)
            nested = defined_functions(index, scope)
            for call in index.own_nodes(scope):
                if not (isinstance(call, ast.Call) and len(call.args) >= 2):
                    continue
                dotted = ast_dotted_name(call.func)
                if dotted is None or facts.names.resolve_dotted(dotted) != "weakref.finalize":
                    continue
                obj = ast_dotted_name(call.args[0])
                if obj is None or "." in obj or obj == "cls" or obj in classes:
                    continue  # a class is not collected anyway
                what = _reference(call, obj, methods, nested, facts)
                if not what or (owner is not None and owner.name in facts.made_once):
                    continue  # a singleton lives until exit anyway (asked last: it reads the whole module)
                if not _run_by_hand(call, index.own_nodes(scope), facts.tree):
                    fix = delegated_release_fix(facts, call, owner, scope) if obj == "self" else None
                    found[facts.place(call)] = {"what": what, "obj": obj, FIX_FIELD: fix}
        return found


def _run_by_hand(call: ast.Call, nodes: List[ast.AST], tree: ast.Module) -> bool:
    """``self.clean = weakref.finalize(self, ...)`` and the module calls
    ``message.clean()`` or ``.clean.detach()``: the finalizer is the object's
    close method, and calling it unregisters it, freeing the object
    (keystone's LDAP messages)."""
    attributes: Set[str] = set()
    for node in nodes:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is call:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            attributes.update(t.attr for t in targets if isinstance(t, ast.Attribute))
    if not attributes:
        return False
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and not node.args and isinstance(node.func, ast.Attribute):
            func = node.func
            if func.attr == "detach" and isinstance(func.value, ast.Attribute):
                func = func.value
            if func.attr in attributes:
                return True
    return False


def _reference(call: ast.Call, obj: str, methods, nested, facts: FileFacts) -> Optional[str]:
    callback = call.args[1]
    # Any attribute of a plain object may be a method; for ``self`` the class says.
    known = methods if obj == "self" else None
    found = reference_to(callback, obj, known, nested, facts.names)
    if found:
        return found
    # Among the arguments, ``obj.attr`` of a plain object is read now, a value
    # (``texture.atlas_name``), unless the class says it is a method.
    known_in_arguments = methods if obj == "self" else set()
    for argument in [*call.args[2:], *(k.value for k in call.keywords)]:
        found = reference_to(argument, obj, known_in_arguments, nested, facts.names, bare=True)
        if found:
            return found
    return None


def _scopes(index: ModuleIndex) -> Iterator[Tuple[ast.AST, Set[str]]]:
    """(scope, method names of the class around it) for the module and every function."""
    yield index.tree, set()
    for function in index.functions:
        cls = index.class_of(function)
        yield function, (_instance_methods(index, cls) if cls is not None else set())


def _instance_methods(index: ModuleIndex, cls: ast.ClassDef) -> Set[str]:
    """Methods bound to the instance: not class or static methods (``self._cleanup``
    on a classmethod holds the class, not the object)."""
    return {
        name
        for name, function in defined_functions(index, cls).items()
        if not any(
            isinstance(d, ast.Name) and d.id in ("classmethod", "staticmethod") for d in function.decorator_list
        )
    }
