"""LL304 and LL307: raw descriptors and temporary paths that outlive their use."""

from __future__ import annotations

import ast
import re
from typing import Callable, Dict, Iterator, List, Mapping, Optional, Set, Tuple

from leaklint.syntax.lazy import libcst as cst

from leaklint.analysis.acquisitions import assigned_results, small_statements
from leaklint.analysis.lifetimes import ReleaseFacts, Verdict, function_verdicts
from leaklint.analysis.names import ast_dotted_name, dotted_name, self_attribute
from leaklint.analysis.scopes import method_class
from leaklint.catalog.descriptors import (
    DESCRIPTOR,
    DESCRIPTOR_BORROWERS,
    DESCRIPTOR_CALLS,
    DESCRIPTOR_RELEASES,
    PATH_ADOPTING_WORDS,
    PATH_BORROWERS,
    TEMPORARY_DIRECTORY,
    TEMPORARY_DIRECTORY_CALLS,
    TEMPORARY_FILE_PATH_CALLS,
    TEMPORARY_PATH,
    TEMPORARY_PATH_REMOVERS,
)
from leaklint.catalog.resources import ResourceKind
from leaklint.core.rule import Rule


class DescriptorNotClosed(Rule):
    """
    ## What it finds
    A raw file descriptor that some path neither closes nor hands over. The
    descriptors come from `os.open`, `os.pipe` (both ends), `os.dup`,
    `os.openpty`, `pty.openpty` or the first element of `tempfile.mkstemp()`.
    It counts as handed over when returned, stored, or passed to a call that
    may own it (`os.fdopen`, `open(fd)`, `socket.socket(fileno=fd)`). Stored
    on `self` (`self._r, self._w = os.pipe()`), it must be closed by some
    method of the class: reading, writing or polling it does not.

    ## Why it leaks
    A descriptor is a plain integer: no object closes it when it is dropped,
    not even the garbage collector. Every call of the function leaks one, until
    the process hits its limit and `open()` fails with "Too many open files".

    ## Example
    ```python
    import os

    def write_all(path, data):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT)
        os.write(fd, data)
    ```

    ## Fix
    ```python
    import os

    def write_all(path, data):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
    ```
    """

    code = "LL304"
    summary_text = "A raw file descriptor that some path neither closes nor hands over"
    name = "fd-not-closed"
    message = "{noun} {verb} {call}() {problem}; {hint}"
    triggers = frozenset(name.rsplit(".", 1)[-1] for name in DESCRIPTOR_CALLS)

    VALID = (
        "import os\ndef f(p):\n    fd = os.open(p, os.O_RDONLY)\n    try:\n        return os.read(fd, 10)\n"
        "    finally:\n        os.close(fd)\n",
        "import os\ndef f(p):\n    fd = os.open(p, os.O_RDONLY)\n    return os.fdopen(fd)\n",
        "import os\ndef f():\n    r, w = os.pipe()\n    return r, w\n",
    )
    INVALID = (
        "import os\ndef f(p):\n    fd = os.open(p, os.O_RDONLY)  # expect: LL304\n    return os.read(fd, 10)\n",
        "import os\ndef f():\n    r, w = os.pipe()  # expect: LL304\n    os.close(w)\n    return os.read(r, 1)\n",
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        facts = ReleaseFacts(
            methods=frozenset(),
            functions=DESCRIPTOR_RELEASES,
            borrowers=DESCRIPTOR_BORROWERS,
            text_hands_over=True,
        )
        # A script's main(): what is open when it ends is closed by the process's end.
        at_exit = self.context.facts.ends_the_process(self.context.ancestors)
        for verdict in _leaking(self, node, DESCRIPTOR_CALLS, DESCRIPTOR, facts):
            if verdict.rebound or not at_exit:
                _report(self, verdict, "is not closed on every path")
        for call, attribute, cls in _kept_on_self(self, node, DESCRIPTOR_CALLS, _closes_descriptor):
            self.report(
                call,
                noun=DESCRIPTOR.noun,
                verb=DESCRIPTOR.verb,
                call=dotted_name(call.func) or "os.open",
                problem=f"is kept in {attribute}, but no method of {cls} closes it",
                hint="close it with os.close() in the class's close() method",
            )


class TemporaryNotCleaned(Rule):
    """
    ## What it finds
    A temporary directory or file that some path neither removes nor hands
    over. The directories come from `tempfile.mkdtemp()`, the files from the
    path that `tempfile.mkstemp()` returns; handing over means returning it,
    storing it, or passing it to a call named for taking charge of it
    (`cleanup(d)`, `atexit.register(shutil.rmtree, d)`): any other call only
    uses a path. A directory kept on `self` must be removed by some method of
    the class; one made inside `os.path.join(tempfile.mkdtemp(), ...)` is
    lost at once; in a `@contextmanager`, a removal after the `yield` is
    skipped when the `with` block raises.

    ## Why it leaks
    Unlike `TemporaryDirectory` and `NamedTemporaryFile`, these are never
    removed automatically: each call leaves a directory or file in `/tmp`
    until the disk (or the inode table) is full, and anything secret written
    there stays readable.

    ## Example
    ```python
    import subprocess, tempfile

    def build(source):
        workdir = tempfile.mkdtemp()
        subprocess.run(["make", source], cwd=workdir, check=True)
    ```

    ## Fix
    ```python
    import subprocess, tempfile

    def build(source):
        with tempfile.TemporaryDirectory() as workdir:
            subprocess.run(["make", source], cwd=workdir, check=True)
    ```
    """

    code = "LL307"
    summary_text = "A temporary file or directory that some path neither removes nor hands over"
    name = "temporary-not-cleaned"
    # Opt-in until precise: temporary paths are often removed by something the
    # analysis cannot see (an enclosing temporary directory, the caller).
    default_enabled = False
    message = "{noun} {verb} {call}() {problem}; {hint}"
    triggers = frozenset({"mkdtemp", "mkstemp"})

    VALID = (
        "import shutil, tempfile\ndef f():\n    d = tempfile.mkdtemp()\n    try:\n        pass\n"
        "    finally:\n        shutil.rmtree(d)\n",
        "import tempfile\ndef f():\n    d = tempfile.mkdtemp()\n    return d\n",
    )
    INVALID = (
        "import os, tempfile\ndef f():\n    d = tempfile.mkdtemp()  # expect: LL307\n    print(os.listdir(d))\n",
    )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        facts = ReleaseFacts(
            methods=frozenset(),
            functions=TEMPORARY_PATH_REMOVERS,
            borrowers=PATH_BORROWERS,
            derived_values_hand_over=True,
            takes_charge=_takes_charge,
        )
        for calls, kind in ((TEMPORARY_DIRECTORY_CALLS, TEMPORARY_DIRECTORY), (TEMPORARY_FILE_PATH_CALLS, TEMPORARY_PATH)):
            for verdict in _leaking(self, node, calls, kind, facts, when_lent=True):
                problem = "is not removed on every path"
                if not verdict.leaks:
                    problem = "is not removed when the 'with' block raises"
                _report(self, verdict, problem)
        for call, attribute, cls in _kept_on_self(self, node, TEMPORARY_DIRECTORY_CALLS, _removes_path):
            self.report(
                call,
                noun=TEMPORARY_DIRECTORY.noun,
                verb=TEMPORARY_DIRECTORY.verb,
                call="tempfile.mkdtemp",
                problem=f"is kept in {attribute}, but no method of {cls} removes it",
                hint="remove it with shutil.rmtree() in the class's close() or clean-up method",
            )

    def visit_Call(self, node: cst.Call) -> None:
        """``os.path.join(tempfile.mkdtemp(), "x")``: the directory's own path
        is never kept, so nothing can remove it."""
        if self.context.qualified_name(node.func) not in TEMPORARY_DIRECTORY_CALLS:
            return
        ancestors = self.context.ancestors
        parent, outer = ancestors[-2], ancestors[-3] if len(ancestors) > 2 else None
        if not (isinstance(parent, cst.Arg) and isinstance(outer, cst.Call)):
            return
        if self.context.qualified_name(outer.func) != "os.path.join" or outer.args[0] is not parent:
            return  # ``realpath(mkdtemp())`` or ``Path(mkdtemp())`` still names the folder itself
        if any(isinstance(node, cst.Return) for node in ancestors):
            return  # the caller gets a path inside it, and may remove its folder
        self.report(
            node,
            noun=TEMPORARY_DIRECTORY.noun,
            verb=TEMPORARY_DIRECTORY.verb,
            call="tempfile.mkdtemp",
            problem="is never removed: only a path inside it is kept",
            hint=TEMPORARY_DIRECTORY.hint,
        )


# A call of a class's methods, and what it says of ``self.<attribute>``.
ReleasesAttribute = Callable[["Rule", ast.Call, str], bool]


def _kept_on_self(
    rule: Rule,
    function: cst.FunctionDef,
    calls: Mapping[str, Optional[Tuple[int, ...]]],
    releases: ReleasesAttribute,
) -> Iterator[Tuple[cst.Call, str, str]]:
    """``self.workdir = tempfile.mkdtemp()``, ``self._r, self._w = os.pipe()``
    (or through a local name) in a class none of whose methods releases the
    attribute, by ``releases``: (the call, the attributes as shown, the class)."""
    cls = method_class(rule.context.ancestors)
    if cls is None:
        return
    inside = [*rule.context.ancestors, function.body]
    made: Dict[str, cst.Call] = {}
    for statement in small_statements(function.body):
        if not (isinstance(statement, cst.Assign) and len(statement.targets) == 1):
            continue
        target, value = statement.targets[0].target, statement.value
        kept: List[Tuple[cst.BaseExpression, cst.Call]] = []
        if isinstance(value, cst.Call) and rule.context.names.qualified_name(value.func, inside) in calls:
            positions = calls[rule.context.names.qualified_name(value.func, inside) or ""]
            if isinstance(target, cst.Name):
                made[target.value] = value
            elif positions is None:
                kept.append((target, value))
            elif isinstance(target, (cst.Tuple, cst.List)):
                kept += [(target.elements[i].value, value) for i in positions if i < len(target.elements)]
        elif isinstance(value, cst.Name) and value.value in made:
            kept.append((target, made[value.value]))
        unreleased = [
            attribute
            for attribute in (_self_attribute(part) for part, _ in kept)
            if attribute is not None and not _released_by_class(rule, cls.name.value, attribute, releases)
        ]
        if unreleased:  # one finding per call, ``self._r, self._w = os.pipe()`` included
            yield kept[0][1], " and ".join(f"self.{attribute}" for attribute in unreleased), cls.name.value


def _released_by_class(rule: Rule, class_name: str, attribute: str, releases: ReleasesAttribute) -> bool:
    """Whether the class, or a base of it in the module, releases
    ``self.<attribute>`` by ``releases``, or hands it to code that may:
    returns it, aliases it (``fd, self._fd = self._fd, -1``) or puts it in a
    display it loops over (``for fd in (self._r, self._w): os.close(fd)``)."""
    ownership = rule.context.facts.ownership
    seen: Set[str] = set()
    pending = [class_name]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for definition in ownership.classes.get(name, ()):
            pending.extend(base.id for base in definition.bases if isinstance(base, ast.Name))
            for node in ast.walk(definition):
                if isinstance(node, ast.Call) and releases(rule, node, attribute):
                    return True
                if isinstance(node, (ast.Return, ast.Yield, ast.Assign)) and node.value is not None:
                    if any(self_attribute(part) == attribute for part in _shallow_parts(node.value)):
                        return True
                if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and isinstance(getattr(node, "ctx", None), ast.Load):
                    if any(self_attribute(element) == attribute for element in node.elts):
                        return True
    return False


def _shallow_parts(value: ast.expr) -> List[ast.expr]:
    """``value``, or the elements of a tuple or list display."""
    return list(value.elts) if isinstance(value, (ast.Tuple, ast.List)) else [value]


def _passes(call: ast.Call, attribute: str) -> bool:
    """Whether ``self.<attribute>`` (or a value made from it) is an argument of ``call``."""
    return any(
        self_attribute(part) == attribute
        for argument in [*call.args, *(k.value for k in call.keywords)]
        for part in ast.walk(argument)
    )


def _removes_path(rule: Rule, call: ast.Call, attribute: str) -> bool:
    """A remover, or a call named for taking charge of a path, given it."""
    dotted = ast_dotted_name(call.func) or ""
    qualified = rule.context.names.resolve_dotted(dotted) if dotted else None
    taken = qualified in TEMPORARY_PATH_REMOVERS or _named_for_taking_charge(dotted)
    return taken and _passes(call, attribute)


def _closes_descriptor(rule: Rule, call: ast.Call, attribute: str) -> bool:
    """``os.close(self._fd)``, or any call but a borrower given it (an owner
    such as ``os.fdopen``, or something that may close it)."""
    if not any(self_attribute(argument) == attribute for argument in call.args):
        return False
    dotted = ast_dotted_name(call.func) or ""
    qualified = rule.context.names.resolve_dotted(dotted) if dotted else None
    return qualified not in DESCRIPTOR_BORROWERS


def _self_attribute(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
        return node.attr.value
    return None


def _takes_charge(func: cst.BaseExpression) -> bool:
    """Whether a call given a temporary path may remove it, by its name."""
    return _named_for_taking_charge(dotted_name(func) or "")


def _named_for_taking_charge(dotted: str) -> bool:
    """``register_cleanup``, ``addCleanup``, ``shutil.rmtree``: a word of the
    last part of the name (split at ``_`` and at capitals) is one of
    PATH_ADOPTING_WORDS."""
    last = dotted.rsplit(".", 1)[-1]
    words = {word.lower() for word in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", last)}
    return not words.isdisjoint(PATH_ADOPTING_WORDS)


def _leaking(
    rule: Rule,
    function: cst.FunctionDef,
    calls: Mapping[str, Optional[Tuple[int, ...]]],
    kind: ResourceKind,
    facts: ReleaseFacts,
    when_lent: bool = False,
) -> List[Verdict]:
    """Verdicts that leak on a normal path; with ``when_lent``, also those of a
    ``@contextmanager`` that leak when its ``with`` block raises."""
    verdicts = function_verdicts(
        function,
        rule.context,
        lambda qualified_name: assigned_results(calls, kind, qualified_name),
        lambda acquisition: facts,
    )
    return [
        verdict
        for verdict in verdicts
        if verdict.leaks or (when_lent and verdict.lent_at_yield and verdict.leaks_on_error)
    ]


def _report(rule: Rule, verdict: Verdict, problem: str) -> None:
    kind = verdict.allocation.kind
    if verdict.rebound:
        problem = f"is re-bound before it is {kind.fate}"
    rule.report(
        verdict.call,
        noun=kind.noun,
        verb=kind.verb,
        call=verdict.allocation.call_name,
        problem=problem,
        hint=kind.hint,
    )
