"""The fix for a resource acquired, used and released by statements of one
block, which an exception between them leaves open:

    f = open(path)                    with open(path) as f:
    data = json.load(f)        →          data = json.load(f)
    f.close()

Safe when ``with`` releases it as the call did (the kind's context manager
closes: not a ``sqlite3`` connection's), the release is a plain
``name.close()``-like call of its own on a later line of the same block, the
name is not bound again between them, and the statements between move
without changing (no string spans their lines). After the block the name is
bound to the released resource, as it was after the call.
"""

from __future__ import annotations

from typing import Optional, Sequence, Tuple

from leaklint.syntax.lazy import libcst as cst

from leaklint.core.context import ProposedFix

_TITLE = "Acquire it in a 'with' statement over the statements that use it, instead of calling {release}()"


def with_statement_fix(
    function: cst.FunctionDef,
    name: str,
    call: cst.Call,
    release_methods: Sequence[str],
    exit_releases: bool,
    escapes_checked: bool = False,
    safe: bool = True,
) -> Optional[ProposedFix]:
    """The fix for ``name = call`` in ``function``'s statements, or None.
    ``escapes_checked``: a path may leave the statements before the release
    (LL301), so the name must not leave with it: used only as the receiver
    of a method or an argument of a call between them."""
    if not exit_releases:
        return None
    found = _siblings(function, name, call, release_methods)
    if found is None:
        return None
    acquired, between, released, method = found
    if escapes_checked and not all(_only_used(statement, name) for statement in between):
        return None
    code = cst.Module(body=[]).code_for_node
    return ProposedFix(
        title=_TITLE.format(release=method),
        safe=safe,
        replacements=((acquired.body[0], f"with {code(call)} as {name}:"),),
        indented=((acquired, between[-1]),),
        deleted_lines=(released,),
    )


def _siblings(
    function: cst.FunctionDef, name: str, call: cst.Call, release_methods: Sequence[str]
) -> Optional[Tuple[cst.SimpleStatementLine, Sequence[cst.BaseStatement], cst.SimpleStatementLine, str]]:
    """The statement line acquiring, those after it, and the line releasing,
    when all three are in one block."""
    for block in _blocks(function):
        for position, statement in enumerate(block):
            if not _assigns(statement, name, call):
                continue
            for end in range(position + 1, len(block)):
                method = _release(block[end], name, release_methods)
                if method is not None:
                    between = block[position + 1 : end]
                    if not between or any(_binds(node, name) for node in between):
                        return None
                    return statement, between, block[end], method
                if _binds(block[end], name):
                    return None
            return None
    return None


def _blocks(root: cst.CSTNode):
    """Every statement list under ``root`` (the function's body and nested blocks)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.IndentedBlock):
            yield node.body
        stack.extend(node.children)


def _assigns(statement: cst.CSTNode, name: str, call: cst.Call) -> bool:
    """``name = call`` alone on its line."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    assign = statement.body[0]
    return (
        isinstance(assign, cst.Assign)
        and assign.value is call
        and len(assign.targets) == 1
        and isinstance(assign.targets[0].target, cst.Name)
        and assign.targets[0].target.value == name
    )


def _release(statement: cst.CSTNode, name: str, methods: Sequence[str]) -> Optional[str]:
    """The method of ``name.close()`` alone on its line, without a comment to lose."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    if statement.trailing_whitespace.comment is not None:
        return None
    expression = statement.body[0]
    call = expression.value if isinstance(expression, cst.Expr) else None
    if not (isinstance(call, cst.Call) and not call.args and isinstance(call.func, cst.Attribute)):
        return None
    receiver, method = call.func.value, call.func.attr.value
    if isinstance(receiver, cst.Name) and receiver.value == name and method in methods:
        return method
    return None


def _only_used(root: cst.CSTNode, name: str) -> bool:
    """Every ``name`` under ``root`` is ``name.attribute`` or an argument of a
    call: none is returned, yielded, stored or bound to another name, which
    would take the resource out of the block still open."""
    stack = [(root, root)]
    while stack:
        node, parent = stack.pop()
        if isinstance(node, cst.Name) and node.value == name:
            if not ((isinstance(parent, cst.Attribute) and parent.value is node) or isinstance(parent, cst.Arg)):
                return False
        stack.extend((child, node) for child in node.children)
    return True


def _binds(node: cst.CSTNode, name: str) -> bool:
    """``name`` assigned, deleted or made a loop or ``with`` target under ``node``."""
    stack = [node]
    while stack:
        current = stack.pop()
        targets: Tuple[cst.CSTNode, ...] = ()
        if isinstance(current, cst.AssignTarget):
            targets = (current.target,)
        elif isinstance(current, (cst.AugAssign, cst.AnnAssign)):
            targets = (current.target,)
        elif isinstance(current, (cst.For, cst.CompFor)):
            targets = (current.target,)
        elif isinstance(current, cst.AsName):
            targets = (current.name,)
        elif isinstance(current, cst.Del):
            targets = (current.target,)
        elif isinstance(current, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue  # their own scope
        if any(isinstance(n, cst.Name) and n.value == name for t in targets for n in _names(t)):
            return True
        stack.extend(current.children)
    return False


def _names(node: cst.CSTNode):
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            yield current
        elif not isinstance(current, (cst.Attribute, cst.Subscript)):
            stack.extend(current.children)


def lock_block_fix(function: cst.FunctionDef, lock: str, acquire: cst.Call) -> Optional[ProposedFix]:
    """``lock.acquire()``, the lines after it and ``lock.release()``, lines of
    one block, become ``with lock:`` over those lines. Safe: ``with`` acquires
    as ``acquire()`` did and releases on every path. Not when a line between
    them releases or acquires the lock again, or returns or yields it."""
    for block in _blocks(function):
        for position, statement in enumerate(block):
            if not _is_call_line(statement, lambda call: call is acquire):
                continue
            for end in range(position + 1, len(block)):
                if _is_call_line(block[end], lambda call: _method_of(call, lock) == "release"):
                    between = block[position + 1 : end]
                    if not between or block[end].trailing_whitespace.comment is not None:
                        return None
                    if any(_mentions_lock(node, lock) for node in between):
                        return None
                    return ProposedFix(
                        title=f"Hold the lock in 'with {lock}:' over the statements between acquire() and release()",
                        safe=True,
                        replacements=((statement.body[0], f"with {lock}:"),),
                        indented=((statement, between[-1]),),
                        deleted_lines=(block[end],),
                    )
            return None
    return None


def _is_call_line(statement: cst.CSTNode, matches) -> bool:
    """A line holding only a call statement that ``matches``."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return False
    expression = statement.body[0]
    return isinstance(expression, cst.Expr) and isinstance(expression.value, cst.Call) and matches(expression.value)


def _method_of(call: cst.Call, receiver: str) -> Optional[str]:
    """``m`` for ``receiver.m()`` with no arguments."""
    if call.args or not isinstance(call.func, cst.Attribute):
        return None
    code = cst.Module(body=[]).code_for_node(call.func.value)
    return call.func.attr.value if code == receiver else None


def _mentions_lock(root: cst.CSTNode, lock: str) -> bool:
    """The lock's own code appears under ``root`` (acquired, released, handed on)."""
    return lock in cst.Module(body=[]).code_for_node(root)
