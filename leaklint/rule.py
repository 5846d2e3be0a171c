"""The rule contract: one small class per rule, Fixit style.

A rule declares its code, name, message template, whether it is on by
default, the identifiers that must occur in a file for it to have anything to
say (so the engine can skip libcst for that file), the libcst metadata it
needs, its documentation and its own valid and invalid examples. It visits
only the libcst node types it names (``visit_Call``, ``leave_ClassDef``...),
and asks the file context for shared analyses.
"""

from __future__ import annotations

import inspect
import re
from typing import TYPE_CHECKING, Any, ClassVar, Collection, Dict, FrozenSet, Mapping, Optional, Sequence, Tuple

from leaklint.lazy import libcst as cst

if TYPE_CHECKING:
    from leaklint.context import FileContext, FileFacts

DOC_SECTIONS = ("What it finds", "Why it leaks", "Example", "Fix")
# A candidate finding's field naming the libcst node type to report on.
NODE_TYPE = "_node"


class Rule:
    """Base class of every rule. Subclasses set the class attributes below."""

    code: ClassVar[str]
    name: ClassVar[str]
    # ``str.format`` template of the one-line message, filled by ``report``.
    message: ClassVar[str]
    default_enabled: ClassVar[bool] = True
    # Identifiers that must occur in the source for the rule to find anything.
    triggers: ClassVar[FrozenSet[str]] = frozenset()
    # Names of the ``libcst.metadata`` providers the rule reads (``"PositionProvider"``):
    # names, so that defining a rule does not import libcst.
    METADATA_DEPENDENCIES: ClassVar[Tuple[str, ...]] = ()
    # Snippets that must stay clean, and snippets whose lines carry
    # ``# expect: CODE`` markers for every finding.
    VALID: ClassVar[Sequence[str]] = ()
    INVALID: ClassVar[Sequence[str]] = ()
    # Reported by the engine itself (parse errors...), not by visiting a tree.
    engine_diagnostic: ClassVar[bool] = False
    # Rules whose candidates a whole-file ``ast`` analysis finds set this and
    # implement ``candidate_lines``; the statements holding those lines are
    # the only ones libcst parses for them.
    finds_candidates: ClassVar[bool] = False

    def __init__(self, context: "FileContext") -> None:
        self.context = context

    def report(
        self, node: cst.CSTNode, related: "Optional[Mapping[str, cst.CSTNode]]" = None, **fields: object
    ) -> None:
        """Report ``node``; ``related`` nodes' lines fill ``{NAME_line}`` fields."""
        self.context.report(self.code, node, self.message, fields, related)

    def get_metadata(self, provider: Any, node: cst.CSTNode) -> Any:
        """``provider``: a ``libcst.metadata`` provider class named in METADATA_DEPENDENCIES."""
        return self.context.metadata[provider][node]

    @classmethod
    def candidate_lines(cls, facts: "FileFacts") -> Collection[int]:
        """Lines where the rule may report (only if ``finds_candidates``)."""
        return ()

    @classmethod
    def documentation(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def doc_sections(cls) -> Dict[str, str]:
        """The documentation split at its ``## Heading`` lines."""
        sections: Dict[str, str] = {}
        for match in re.finditer(r"^## ([^\n]+)\n(.*?)(?=^## |\Z)", cls.documentation(), re.M | re.S):
            sections[match.group(1).strip()] = match.group(2).strip()
        return sections

    @classmethod
    def summary(cls) -> str:
        """The first sentence of "What it finds", for tables and SARIF."""
        text = " ".join(cls.doc_sections().get("What it finds", "").split())
        sentence = re.split(r"(?<=\.)\s", text, maxsplit=1)[0]
        return sentence.rstrip(".")


class CandidateRule(Rule):
    """A rule decided by a whole-file ``ast`` analysis: ``findings(facts)``
    maps (line, column) starts of nodes to the fields of their messages, and
    the libcst nodes of the types in ``reported_on`` that start there carry
    the reports (so positions, suppressions and fixes work as for any rule)."""

    finds_candidates = True
    reported_on: ClassVar[Tuple[str, ...]] = ()
    METADATA_DEPENDENCIES = ("PositionProvider",)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for type_name in cls.reported_on:
            setattr(cls, f"visit_{type_name}", CandidateRule._check)

    @classmethod
    def findings(cls, facts: "FileFacts") -> Mapping[Tuple[int, int], Mapping[str, object]]:
        raise NotImplementedError

    @classmethod
    def _findings(cls, facts: "FileFacts") -> Mapping[Tuple[int, int], Mapping[str, object]]:
        key = ("candidate findings", cls.code)
        cache = facts.rule_findings
        if key not in cache:
            cache[key] = cls.findings(facts)
        return cache[key]

    @classmethod
    def candidate_lines(cls, facts: "FileFacts") -> Collection[int]:
        return {line for line, _ in cls._findings(facts)}

    def _check(self, node: cst.CSTNode) -> None:
        fields = self._findings(self.context.facts).get(self.context.start(node))
        if fields is None:
            return
        # ``type(self).x = self``: an Assign and a Call start at one place; ``NODE`` says which.
        wanted = fields.get(NODE_TYPE)
        if wanted is not None and wanted != type(node).__name__:
            return
        # ``type(self).pool.append(self)``: calls nested at one start; the outermost, visited first, reports.
        start = self.context.start(node)
        reported = self.__dict__.setdefault("_reported_starts", set())
        if start not in reported:
            reported.add(start)
            self.report(node, **{k: v for k, v in fields.items() if k != NODE_TYPE})
