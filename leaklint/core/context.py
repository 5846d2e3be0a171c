"""What rules see of the file they check, and the shared analyses they ask for."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, Dict, FrozenSet, List, Mapping, NamedTuple, Optional, Sequence, Set, Tuple, TypeVar

from leaklint.syntax.lazy import libcst as cst

from leaklint.analysis.borrowers import LocalCallees, plain_classes
from leaklint.analysis.containers import ModuleContainers
from leaklint.analysis.entry_points import error_exits, script_entry_points
from leaklint.analysis.factories import Factories, module_allocations
from leaklint.analysis.locks import Locks, find_locks
from leaklint.analysis.memo_caches import cleared_caches
from leaklint.analysis.names import NameResolver, false_constants
from leaklint.analysis.singletons import made_once
from leaklint.analysis.test_code import imports_test_framework, in_test_code, is_test_module, stubbed_modules
from leaklint.analysis.module_facts import ModuleFacts
from leaklint.analysis.project import imported_factories, locate
from leaklint.catalog.resources import USER_RESOURCE, ResourceKind
from leaklint.core.options import AnalysisOptions
from leaklint.syntax.source import LINE_BREAK, text_lines

T = TypeVar("T")

# Supersets, read from the text, of what ``false_constants`` looks for:
# names tested by ``if NAME:``, and names on a line binding False, None or 0.
_IF_NAME = re.compile(r"\bif[\s(\\]+([A-Za-z_]\w*)[\s)\\]*:")
_FALSY_VALUE = re.compile(r"=[\s(\\]*(?:False|None|0)")
_WORD = re.compile(r"[A-Za-z_]\w*")


def _names_near_falsy_values(text: str) -> Set[str]:
    names: Set[str] = set()
    for match in _FALSY_VALUE.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        names.update(_WORD.findall(text, line_start, match.start()))
    return names


def ast_position(node: ast.AST) -> Tuple[int, int, int, int]:
    """(line, column, end line, end column) of a statement, an expression or
    another ``ast`` node with a position; columns in UTF-8 bytes, as ``ast``
    counts them. An end the parser did not give is the start."""
    line: int = getattr(node, "lineno")
    offset: int = getattr(node, "col_offset")
    end_line = getattr(node, "end_lineno", None)
    end_offset = getattr(node, "end_col_offset", None)
    return line, offset, line if end_line is None else end_line, offset if end_offset is None else end_offset


class Place(NamedTuple):
    """A span of the file: 1-based lines, columns in characters from 0."""

    line: int
    column: int
    end_line: int
    end_column: int


# What a candidate rule finds: the place of each finding and the fields of
# its message (with ``WATCH_FIELD`` and ``FIX_FIELD`` where it has them).
Findings = Dict[Place, Mapping[str, object]]


@dataclass
class Report:
    """A finding before positions are known: a node and what to say of it.

    ``related`` nodes are placed too, and their first lines fill the
    ``{NAME_line}`` fields of the message template.
    """

    code: str
    node: cst.CSTNode
    template: str
    fields: Mapping[str, object]
    related: Mapping[str, cst.CSTNode] = field(default_factory=dict)
    watch: Optional[str] = None  # see ``Finding.watch``
    fix: Optional["ProposedFix"] = None


@dataclass(frozen=True)
class ProposedFix:
    """A fix before positions are known (``leaklint.fixes.Fix``): nodes and
    the code to put in their place, and modules to import if the file does not."""

    title: str
    safe: bool
    replacements: Tuple[Tuple[cst.CSTNode, str], ...]
    imports: Tuple[str, ...] = ()
    # (module, name): names to add to the file's ``from module import ...``.
    names: Tuple[Tuple[str, str], ...] = ()
    # (statement, header, body): the statement replaced by a compound one,
    # ``header:`` then ``body`` on the next line, one level deeper than it.
    blocks: Tuple[Tuple[cst.CSTNode, str, str], ...] = ()
    # (after, last): the lines after ``after``'s, up to ``last``'s last one
    # (comments between them too), one level deeper than ``after``'s line.
    indented: Tuple[Tuple[cst.CSTNode, cst.CSTNode], ...] = ()
    # Statements whose lines are removed, line breaks included.
    deleted_lines: Tuple[cst.CSTNode, ...] = ()


class FileFacts(ModuleFacts):
    """Whole-file facts, computed at most once per file whatever the number of
    statements libcst parses separately."""

    text: str

    def __init__(self, path: str, text: str, tree: ast.Module, options: AnalysisOptions = AnalysisOptions()) -> None:
        super().__init__(path, tree, text, locate=locate)
        self.options = options
        self._stubbed: Dict[str, FrozenSet[str]] = {}

    def strings_across_lines(self, first: int, last: int) -> bool:
        """A string literal spanning lines starts or ends within ``first``..``last``."""
        return any(
            (node.end_lineno or node.lineno) > node.lineno
            and (first <= node.lineno <= last or first <= (node.end_lineno or node.lineno) <= last)
            for node in self._multiline_strings
        )

    @cached_property
    def _multiline_strings(self) -> List[ast.expr]:
        return [
            node
            for node in ast.walk(self.tree)
            if isinstance(node, (ast.Constant, ast.JoinedStr)) and (node.end_lineno or node.lineno) > node.lineno
        ]

    def indentation(self, line: int) -> str:
        """The spaces and tabs that start the file's ``line``."""
        text = self.line_text(line)
        return text[: len(text) - len(text.lstrip(" \t"))]

    def alone_on_its_lines(self, node: ast.AST) -> bool:
        """Nothing but indentation before ``node`` on its first line, and
        nothing but a comment after it on its last: a statement a fix can move."""
        place = self.place(node)
        before = self.line_text(place.line)[: place.column]
        after = self.line_text(place.end_line)[place.end_column :].strip()
        return not before.strip() and (not after or after.startswith("#"))

    def line_text(self, line: int) -> str:
        """The text of the file's 1-based ``line``, without its line break."""
        return self._lines[line - 1] if 0 < line <= len(self._lines) else ""

    @cached_property
    def line_break(self) -> str:
        """The file's own line break (its first), for code a fix adds."""
        found = LINE_BREAK.search(self.text)
        return found.group() if found else "\n"

    @cached_property
    def factories(self) -> Factories:
        """The file's own factories, those it imports from the project, and
        the user's ``resource-functions``."""
        imported = {name: kind for name, (kind, _) in self.imported_factories.items()}
        imported.update((name, USER_RESOURCE) for name in self.options.resource_functions)
        return Factories(lambda: self.tree, lambda: self.names, imported, text=self.text)

    @cached_property
    def is_test_module(self) -> bool:
        """A test file by its name or folder (``tests/``, ``test_*.py``)."""
        return is_test_module(self.path)

    @cached_property
    def imports_test_framework(self) -> bool:
        return imports_test_framework(self.tree)

    def in_test_code(self, scopes: Sequence[cst.CSTNode]) -> bool:
        """The innermost of ``scopes`` is test code (see ``analysis.test_code``)."""
        return self.is_test_module or in_test_code(scopes, self.imports_test_framework)

    @cached_property
    def script_entry_points(self) -> FrozenSet[str]:
        """Module-level functions whose return ends the process (``sys.exit(main())``)."""
        return script_entry_points(self.tree, self.path)

    @cached_property
    def error_exits(self) -> FrozenSet[str]:
        """Module-level functions an exception escaping which ends the process."""
        return error_exits(self.tree, self.path)

    def ends_the_process(self, scopes: Sequence[cst.CSTNode]) -> bool:
        """The innermost of ``scopes`` is a module-level function that the
        script runs as the rest of its life (``analysis.entry_points``)."""
        return _module_function(scopes) in self.script_entry_points

    def error_ends_the_process(self, scopes: Sequence[cst.CSTNode]) -> bool:
        """An exception escaping the innermost of ``scopes`` ends the process:
        an entry point, or a function only entry points call, unguarded."""
        return _module_function(scopes) in self.error_exits

    def stubbed_modules(self, definition: str) -> FrozenSet[str]:
        """Modules whose parts the module-level class or function ``definition`` replaces."""
        if definition not in self._stubbed:
            self._stubbed[definition] = frozenset().union(
                *(
                    stubbed_modules(node)
                    for node in self.tree.body
                    if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == definition
                )
            )
        return self._stubbed[definition]

    @cached_property
    def local_callees(self) -> LocalCallees:
        """What the file's own functions and methods do with their arguments."""
        return LocalCallees(self.tree)

    @cached_property
    def module_allocations(self) -> FrozenSet[str]:
        """Module-level names bound at import to a call of the resource catalog
        (``SESSION = requests.Session()``)."""
        return module_allocations(self.tree, self.names)

    @cached_property
    def plain_classes(self) -> FrozenSet[str]:
        """The file's classes whose construction cannot fail."""
        return plain_classes(self.tree)

    @cached_property
    def imported_factories(self) -> Dict[str, Tuple[ResourceKind, str]]:
        """Functions of the project's other modules that return a fresh
        resource: qualified name -> (kind, the word calls of it use)."""
        return imported_factories(self.path, self.text, self.tree)

    @cached_property
    def containers(self) -> ModuleContainers:
        return ModuleContainers(self.tree, self.names)

    @cached_property
    def false_constants(self) -> FrozenSet[str]:
        """Switches bound only to False/0/None that some ``if NAME:`` tests:
        the only use rules make of them (and an empty set spares every
        function a search for guards)."""
        # The text first: a walk of the whole tree costs more than the rest of
        # the analysis of most functions, and few files have such a switch.
        tested = set(_IF_NAME.findall(self.text))
        if not tested.intersection(_names_near_falsy_values(self.text)):
            return frozenset()
        return false_constants(self.nodes) & frozenset(tested)

    @cached_property
    def made_once(self) -> FrozenSet[str]:
        """Classes the module makes as constants or singletons
        (``REACHABLE = Status(...)``, ``manager = Manager()``, a private class
        made into a global): their instances are not made and dropped over time."""
        return made_once(self.tree)

    @cached_property
    def cleared_caches(self) -> FrozenSet[str]:
        """Dotted names the module's functions call ``.cache_clear()`` on."""
        return cleared_caches(self.index)

    @cached_property
    def locks(self) -> Locks:
        return find_locks(self.tree)

    @cached_property
    def _lines(self) -> List[str]:
        # Lines as Python counts them: ``str.splitlines`` also splits at form
        # feeds and other separators, which some sources hold mid-file.
        return text_lines(self.text)

    def place(self, node: ast.AST) -> Place:
        """Where an ``ast`` node with a position is, in lines and characters."""
        line, offset, end_line, end_offset = ast_position(node)
        return Place(line, self._characters(line, offset), end_line, self._characters(end_line, end_offset))

    def _characters(self, line: int, offset: int) -> int:
        text = self._lines[line - 1] if line - 1 < len(self._lines) else ""
        return len(text.encode("utf-8")[:offset].decode("utf-8", "replace"))


class FileContext:
    """One libcst module (a top-level statement of the file) being visited."""

    def __init__(
        self, facts: FileFacts, metadata: Mapping[Any, Any], line_offset: int = 0
    ) -> None:
        self.facts = facts
        self.line_offset = line_offset  # the statement's first line in the file, minus one
        self.metadata = metadata
        # Path from the module to the node being visited, kept by the traversal.
        self.ancestors: List[cst.CSTNode] = []
        self.reports: List[Report] = []
        self._shared: Dict[Any, Any] = {}

    def report(
        self,
        code: str,
        node: cst.CSTNode,
        template: str,
        fields: Mapping[str, object],
        related: Optional[Mapping[str, cst.CSTNode]] = None,
        watch: Optional[str] = None,
        fix: Optional[ProposedFix] = None,
    ) -> None:
        self.reports.append(Report(code, node, template, fields, related or {}, watch, fix))

    @property
    def names(self) -> NameResolver:
        return self.facts.names

    def qualified_name(self, expr: cst.BaseExpression) -> Optional[str]:
        """Qualified name of a Name/Attribute chain under the node being visited."""
        return self.names.qualified_name(expr, self.ancestors)

    def stubbed_modules(self) -> FrozenSet[str]:
        """Modules whose parts the enclosing test replaces (``psycopg2._connect
        = stub`` in ``setUp``): calls into them may open nothing. None
        outside test code."""
        outermost = next((n for n in self.ancestors if isinstance(n, (cst.ClassDef, cst.FunctionDef))), None)
        if outermost is None or not self.facts.in_test_code(self.ancestors):
            return frozenset()
        return self.facts.stubbed_modules(outermost.name.value)

    def instance_of(self, expr: cst.BaseExpression) -> Optional[str]:
        """What certainly made the value of ``expr`` under the node being visited
        (``pathlib.Path`` for a name bound by ``p = Path(x)``)."""
        return self.names.instance_of(expr, self.ancestors)

    def shared(self, key: Any, compute: Callable[[], T]) -> T:
        """An analysis result shared by the rules that ask for it with ``key``."""
        if key not in self._shared:
            self._shared[key] = compute()
        return self._shared[key]


def _module_function(scopes: Sequence[cst.CSTNode]) -> Optional[str]:
    """The name of the innermost of ``scopes`` if it is a module-level function."""
    function = scopes[-1] if scopes else None
    if not isinstance(function, cst.FunctionDef):
        return None
    if any(isinstance(node, (cst.FunctionDef, cst.ClassDef)) for node in scopes[:-1]):
        return None
    return function.name.value
