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
from typing import TYPE_CHECKING, ClassVar, Dict, FrozenSet, Mapping, Optional, Sequence, Tuple

from leaklint.syntax.lazy import libcst as cst

if TYPE_CHECKING:
    from leaklint.core.context import FileContext, FileFacts, Place, ProposedFix

# The sections of a rule's documentation, in this order; "Limitations"
# (what the rule deliberately leaves out) is optional.
DOC_SECTIONS = ("What it finds", "Limitations", "Why it leaks", "Example", "Fix")
OPTIONAL_DOC_SECTIONS = frozenset({"Limitations"})


class Documented:
    """What every entry of ``leaklint rule``, the README table and SARIF has:
    a code, a name, whether it is on by default, and documentation in the
    sections of ``DOC_SECTIONS``. Rules (below) and the engine's file
    diagnostics (``FileDiagnostic``) both are."""

    code: ClassVar[str]
    name: ClassVar[str]
    # A few words for tables (README, --list-rules, SARIF): what it finds.
    summary_text: ClassVar[str] = ""
    default_enabled: ClassVar[bool] = True
    # False for rules about growth and lifetimes over a long-running process,
    # which test modules are not (``leaklint.analysis.test_code``).
    checks_test_modules: ClassVar[bool] = True

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
        """``summary_text``, else the first sentence of "What it finds"."""
        if cls.summary_text:
            return cls.summary_text
        text = " ".join(cls.doc_sections().get("What it finds", "").split())
        sentence = re.split(r"(?<=\.)\s", text, maxsplit=1)[0]
        return sentence.rstrip(".")


class FileDiagnostic(Documented):
    """What the engine itself reports about a file it could not check
    (LL001-LL003, ``leaklint.syntax.diagnostics``): documented like a rule,
    run by no runner."""


class Rule(Documented):
    """Base class of every rule. Subclasses set the class attributes below."""

    # ``str.format`` template of the one-line message, filled by ``report``.
    message: ClassVar[str]
    # Identifiers that must occur in the source for the rule to find anything.
    triggers: ClassVar[FrozenSet[str]] = frozenset()
    # Names of the ``libcst.metadata`` providers the rule reads (``"PositionProvider"``):
    # names, so that defining a rule does not import libcst.
    METADATA_DEPENDENCIES: ClassVar[Tuple[str, ...]] = ()
    # Snippets that must stay clean, and snippets whose lines carry
    # ``# expect: CODE`` markers for every finding.
    VALID: ClassVar[Sequence[str]] = ()
    INVALID: ClassVar[Sequence[str]] = ()
    # (code the rule reports, the code ``--fix --unsafe-fixes`` makes of it):
    # for rules with a fix, Fixit's expected replacements.
    FIXES: ClassVar[Sequence[Tuple[str, str]]] = ()

    def __init__(self, context: "FileContext") -> None:
        self.context = context

    def report(
        self,
        node: cst.CSTNode,
        related: "Optional[Mapping[str, cst.CSTNode]]" = None,
        watch: Optional[str] = None,
        fix: "Optional[ProposedFix]" = None,
        **fields: object,
    ) -> None:
        """Report ``node``; ``related`` nodes' lines fill ``{NAME_line}``
        fields; ``watch`` says how to find the object at run time; ``fix``
        is the edit that removes the problem, when the rule knows one."""
        self.context.report(self.code, node, self.message, fields, related, watch, fix)


# The fields of a candidate rule's findings that hold ``Finding.watch`` and
# the fix (a ``leaklint.fixes.Fix``, placed by the rule itself).
WATCH_FIELD = "watch"
FIX_FIELD = "proposed_fix"


class CandidateRule(Rule):
    """A rule decided by a whole-file ``ast`` analysis, with no libcst at
    all: ``findings(facts)`` maps the places of the ``ast`` nodes it reports
    (``facts.place(node)``) to the fields of their messages. The engine
    turns them into findings, applies suppressions as for any rule, and
    parses nothing with libcst for them. A field named ``WATCH_FIELD`` is
    not part of the message: it is the finding's run-time watch target."""

    @classmethod
    def findings(cls, facts: "FileFacts") -> Mapping["Place", Mapping[str, object]]:
        raise NotImplementedError
