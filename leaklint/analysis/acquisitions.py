"""Acquisitions: the statements of a scope that take hold of something.

The lifetime analysis follows each acquisition; this module finds them. One
walk per function collects the candidate statements, then each rule family's
extractor picks its own acquisitions out of them (``f = open(p)``,
``r, w = os.pipe()``, ``lock.acquire()``...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, FrozenSet, Iterable, Iterator, List, Mapping, Optional, Set, Tuple

from leaklint.syntax.lazy import libcst as cst

from leaklint.analysis.names import dotted_name
from leaklint.analysis.resources import Allocation, QualifiedName
from leaklint.analysis.scopes import is_mock_patch
from leaklint.analysis.visiting import NodeVisitor, walk
from leaklint.catalog.resources import ResourceKind, display_name


def is_tracked(node: cst.CSTNode, name: str) -> bool:
    """Whether ``node`` is the tracked name: ``f``, or ``self._lock`` for a dotted one."""
    if isinstance(node, cst.Name):
        return node.value == name
    return isinstance(node, cst.Attribute) and "." in name and dotted_name(node) == name


@dataclass(frozen=True)
class Acquisition:
    """``name = <allocating call>`` found in a scope's statements."""

    name: str
    call: cst.Call
    statement: cst.BaseSmallStatement
    allocation: Allocation


Extract = Callable[["cst.BaseSmallStatement"], List[Acquisition]]


@dataclass(frozen=True)
class CandidateStatements:
    """The simple statements that may acquire something, found in one walk."""

    statements: Tuple[cst.BaseSmallStatement, ...]
    outer_names: FrozenSet[str]  # declared global or nonlocal in the scope
    # Sole statements of a ``try`` with handlers: ``try: zf = ZipFile(p)
    # except BadZipFile: pass`` asks whether the call raises.
    probes: FrozenSet[int]
    body: Tuple[cst.CSTNode, ...]

    def used_again(self, name: str) -> bool:
        """Whether ``name`` occurs more than once in the scope (counted lazily:
        only probes ask)."""
        counter = _NameCounter(name)
        for statement in self.body:
            walk(statement, counter)
        return counter.count > 1


def small_statements(node: cst.CSTNode) -> Iterator[cst.BaseSmallStatement]:
    """The simple statements in ``node``, those of its compound statements
    included (one-line blocks too), not those of nested functions or classes."""
    if isinstance(node, (cst.SimpleStatementLine, cst.SimpleStatementSuite)):
        yield from node.body
    elif not isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
        for child in node.children:
            yield from small_statements(child)


def candidate_statements(body: Iterable[cst.CSTNode]) -> CandidateStatements:
    statements = tuple(body)
    finder = _AcquisitionFinder()
    for statement in statements:
        finder.walk(statement)
    return CandidateStatements(tuple(finder.found), frozenset(finder.outer_names), frozenset(finder.probes), statements)


def acquisitions_in(candidates: CandidateStatements, extract: Extract) -> List[Acquisition]:
    found = [acquisition for statement in candidates.statements for acquisition in extract(statement)]
    return [
        acquisition
        for acquisition in found
        # A name declared global or nonlocal is shared state, not the scope's own.
        if acquisition.name not in candidates.outer_names
        # A probe whose result is never used again.
        and not (id(acquisition.statement) in candidates.probes and not candidates.used_again(acquisition.name))
    ]


class _NameCounter(NodeVisitor):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.count = 0

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.name:
            self.count += 1


# Where compound statements keep the statements they hold, in source order.
_BLOCK_FIELDS = ("body", "handlers", "cases", "orelse", "finalbody")


class _AcquisitionFinder:
    """Walks statements only: acquisitions are simple statements, and a
    libcst visit of every expression on the way costs ten times as much."""

    def __init__(self) -> None:
        self.found: List[cst.BaseSmallStatement] = []
        self.outer_names: Set[str] = set()
        self.probes: Set[int] = set()

    def walk(self, node: cst.CSTNode) -> None:
        if isinstance(node, cst.SimpleStatementLine):
            for small in node.body:
                self._small(small)
        elif isinstance(node, (cst.IndentedBlock, cst.SimpleStatementSuite)):
            for statement in node.body:
                self.walk(statement)
        elif isinstance(node, cst.BaseSmallStatement):
            self._small(node)
        elif isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            return  # judged on their own
        elif isinstance(node, cst.With) and any(is_mock_patch(item.item) for item in node.items):
            return  # under ``mock.patch`` the allocating API is usually the thing replaced
        else:
            if isinstance(node, (cst.Try, cst.TryStar)):
                self._probe(node)
            for field in _BLOCK_FIELDS:
                value = getattr(node, field, None)
                for child in value if isinstance(value, (list, tuple)) else (value,):
                    if isinstance(child, cst.CSTNode):
                        self.walk(child)

    def _small(self, node: cst.BaseSmallStatement) -> None:
        if isinstance(node, (cst.Assign, cst.AnnAssign, cst.Expr)):
            self.found.append(node)
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            self.outer_names.update(item.name.value for item in node.names)

    def _probe(self, node: "cst.Try | cst.TryStar") -> None:
        body = node.body.body
        if node.handlers and len(body) == 1 and isinstance(body[0], cst.SimpleStatementLine):
            if len(body[0].body) == 1:
                self.probes.add(id(body[0].body[0]))


def assigned_allocations(
    allocation_of: Callable[[cst.Call], Optional[Allocation]]
) -> Extract:
    """``name = <allocating call>`` (also annotated)."""

    def extract(statement: cst.BaseSmallStatement) -> List[Acquisition]:
        if isinstance(statement, cst.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0].target, statement.value
        elif isinstance(statement, cst.AnnAssign):
            target, value = statement.target, statement.value
        else:
            return []
        if not isinstance(target, cst.Name):
            return []
        # ``body = "" if head else open(path)``: the resource, on one branch,
        # beside a constant (``open(p) if p else sys.stdout`` is closed under
        # the same test, which the analysis does not follow).
        candidates: Tuple[cst.BaseExpression, ...] = (value,)
        if isinstance(value, cst.IfExp):
            constant = (cst.SimpleString, cst.Integer, cst.Name, cst.ConcatenatedString)
            candidates = tuple(
                branch
                for branch, other in ((value.body, value.orelse), (value.orelse, value.body))
                if isinstance(other, constant) and (not isinstance(other, cst.Name) or other.value == "None")
            )
        for candidate in candidates:
            if isinstance(candidate, cst.Call):
                found = allocation_of(candidate)
                if found is not None:
                    return [Acquisition(target.value, candidate, statement, found)]
        return []

    return extract


def either(*extractors: Extract) -> Extract:
    """All that any of ``extractors`` finds."""
    return lambda statement: [found for extract in extractors for found in extract(statement)]


def assigned_results(
    positions_by_call: Mapping[str, Optional[Tuple[int, ...]]],
    kind: ResourceKind,
    qualified_name: QualifiedName,
    positions_by_method: Mapping[Tuple[str, str], Optional[Tuple[int, ...]]] = {},  # noqa: B006 (read only)
    instance_of: Optional[Callable[[cst.BaseExpression], Optional[str]]] = None,
) -> Extract:
    """``fd = os.open(...)``, ``r, w = os.pipe()``, ``reader, writer = await
    asyncio.open_connection(...)``: the values at the given positions of what
    a catalogued call returns (None: the whole); with ``instance_of``, also of
    methods by what made their object (``conn, addr = server.accept()``)."""

    def extract(statement: cst.BaseSmallStatement) -> List[Acquisition]:
        if not (isinstance(statement, cst.Assign) and len(statement.targets) == 1):
            return []
        target, value = statement.targets[0].target, statement.value
        if isinstance(value, cst.Await):
            value = value.expression
        if not isinstance(value, cst.Call):
            return []
        qualified = qualified_name(value.func)
        if qualified is not None and qualified in positions_by_call:
            positions = positions_by_call[qualified]
            found = Allocation(display_name(qualified), kind)
        else:
            func = value.func
            maker = instance_of(func.value) if instance_of is not None and isinstance(func, cst.Attribute) else None
            key = (maker or "", func.attr.value if isinstance(func, cst.Attribute) else "")
            if key not in positions_by_method:
                return []
            positions = positions_by_method[key]
            found = Allocation(dotted_name(func) or key[1], kind)
        if positions is None:
            return [Acquisition(target.value, value, statement, found)] if isinstance(target, cst.Name) else []
        if not isinstance(target, (cst.Tuple, cst.List)):
            return []
        elements = target.elements
        return [
            Acquisition(elements[i].value.value, value, statement, found)
            for i in positions
            if i < len(elements) and isinstance(elements[i].value, cst.Name)
        ]

    return extract


class _MethodCalls(NodeVisitor):
    def __init__(self, name: str, methods: FrozenSet[str], skip_closed: bool) -> None:
        super().__init__()
        self.name = name
        self.methods = methods
        self.skip_closed = skip_closed
        self.closed: Set[int] = set()  # calls whose result is closed where it is made
        self.found = False

    def visit_WithItem(self, node: cst.WithItem) -> None:
        self.closed.add(id(node.item))

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if self.skip_closed and (dotted_name(func) or "").rsplit(".", 1)[-1] == "closing":
            self.closed.update(id(arg.value) for arg in node.args)
        if id(node) in self.closed:
            return
        if isinstance(func, cst.Attribute) and func.attr.value in self.methods and is_tracked(func.value, self.name):
            self.found = True


def calls_method_on(node: cst.CSTNode, name: str, methods: FrozenSet[str], skip_closed: bool = False) -> bool:
    """Whether ``name.<one of methods>(...)`` is called anywhere in ``node``;
    with ``skip_closed``, not counting a call whose result is closed where it
    is made (``with session.get(url) as r:``, ``closing(session.get(url))``)."""
    finder = _MethodCalls(name, methods, skip_closed)
    walk(node, finder)
    return finder.found


class _ArgumentUses(NodeVisitor):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.found = False

    def visit_Arg(self, node: cst.Arg) -> None:
        if is_tracked(node.value, self.name):
            self.found = True


def passed_to_a_call(node: cst.CSTNode, name: str) -> bool:
    """Whether ``name`` itself is an argument of some call in ``node`` (``fetch(session, url)``)."""
    finder = _ArgumentUses(name)
    walk(node, finder)
    return finder.found
