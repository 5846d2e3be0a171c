"""Clean-up that a ``@contextmanager`` generator skips when its ``with`` block raises.

``conn = pool.acquire(); yield conn; pool.release(conn)``: the exception of
the ``with`` block is raised at the ``yield``, so whatever comes after it
runs only when the block succeeds. Values of any kind count here (a pooled
connection, a checked-out lease), not only the resource catalog's: the
release after the ``yield`` says what the function holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, List, Optional, Sequence

from leaklint.syntax.lazy import libcst as cst

from leaklint.analysis.names import dotted_name
from leaklint.analysis.visiting import NodeVisitor, walk

# Calls that give back or tear down what a generator set up before its yield.
RELEASE_WORDS = frozenset(
    {
        "close",
        "aclose",
        "release",
        "shutdown",
        "cleanup",
        "dispose",
        "disconnect",
        "checkin",
        "unlock",
        "terminate",
        "rmtree",
        "unlink",
        "remove",
    }
)


@dataclass(frozen=True)
class SkippedCleanup:
    """``name = <call>`` before an unprotected ``yield``, released after it."""

    name: str
    acquired_by: cst.Call
    release: cst.Call


def skipped_cleanups(function: cst.FunctionDef) -> List[SkippedCleanup]:
    """In a ``@contextmanager`` generator's own body (the caller checks the
    decorator), the values bound by a call before a ``yield`` that is not
    inside any ``try``, and released by a call after it in the same block."""
    found: List[SkippedCleanup] = []
    for block in _blocks_outside_try(function.body):
        found.extend(_in_block(block))
    return found


def _blocks_outside_try(suite: cst.BaseSuite) -> Iterator[Sequence[cst.CSTNode]]:
    body = list(suite.body)
    yield body
    for statement in body:
        if isinstance(statement, (cst.If, cst.For, cst.While, cst.With)):
            yield from _blocks_outside_try(statement.body)
            orelse = getattr(statement, "orelse", None)
            if isinstance(orelse, cst.Else):
                yield from _blocks_outside_try(orelse.body)
            elif isinstance(orelse, cst.If):
                yield from _blocks_outside_try(cst.IndentedBlock(body=[orelse]))


def _in_block(block: Sequence[cst.CSTNode]) -> Iterator[SkippedCleanup]:
    bound: dict = {}
    for index, statement in enumerate(block):
        if _is_yield_statement(statement):
            for after in block[index + 1 :]:
                for name, call in bound.items():
                    release = _release_of(after, name)
                    if release is not None:
                        yield SkippedCleanup(name, call, release)
            return
        binding = _bound_call(statement)
        if binding is not None:
            bound[binding[0]] = binding[1]


def _bound_call(statement: cst.CSTNode) -> Optional["tuple[str, cst.Call]"]:
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    small = statement.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
        value = small.value.expression if isinstance(small.value, cst.Await) else small.value
        if isinstance(value, cst.Call):
            return small.targets[0].target.value, value
    return None


def _is_yield_statement(statement: cst.CSTNode) -> bool:
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        value = getattr(small, "value", None)
        if isinstance(value, cst.Yield):
            return True
    return False


def _release_of(statement: cst.CSTNode, name: str) -> Optional[cst.Call]:
    finder = _ReleaseCalls(name)
    walk(statement, finder)
    return finder.found


class _ReleaseCalls(NodeVisitor):
    """``name.close()``, ``pool.release(name)``, ``shutil.rmtree(name)``."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.found: Optional[cst.Call] = None

    def visit_Call(self, node: cst.Call) -> None:
        if self.found is not None:
            return
        dotted = dotted_name(node.func) or ""
        head, _, word = dotted.rpartition(".")
        word = word or dotted
        if word.lstrip("_") not in RELEASE_WORDS:
            return
        if head == self.name or any(
            isinstance(arg.value, cst.Name) and arg.value.value == self.name for arg in node.args
        ):
            self.found = node

    def _skip(self, node: cst.CSTNode) -> bool:
        return False

    visit_Lambda = visit_FunctionDef = visit_ClassDef = _skip
