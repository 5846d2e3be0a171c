"""The runner of the rules decided from the whole file's ``ast``
(``CandidateRule``): each rule's ``findings(facts)`` places its findings by
``ast`` nodes; no libcst at all.

``ast`` is the tree for what only reads: it is ten times cheaper to build
than libcst's and every whole-file analysis is built on it. libcst is for
what must be written back exactly (fixes) or needs its metadata (scopes,
qualified names at a node): ``leaklint.core.cst_runner``.
"""

from __future__ import annotations

from typing import List, Sequence, Type

from leaklint.core.context import FileFacts
from leaklint.core.failures import internal_error
from leaklint.core.finding import Finding
from leaklint.core.rule import FIX_FIELD, WATCH_FIELD, CandidateRule, Rule
from leaklint.fixes import Fix
from leaklint.syntax.diagnostics import INTERNAL_ERROR
from leaklint.syntax.noqa import Suppressions


def runs(rule: Type[Rule]) -> bool:
    return issubclass(rule, CandidateRule)


def findings(rule_classes: Sequence[Type[CandidateRule]], facts: FileFacts, prescan: bool = True) -> List[Finding]:
    """Findings of the rules decided from the ``ast``, placed by its nodes and
    filtered by the file's suppression comments; a rule that raises is
    dropped (LL002), the others go on. (``prescan`` is the libcst runner's.)"""
    findings: List[Finding] = []
    for rule in rule_classes:
        try:
            found = rule.findings(facts)
        except RecursionError:
            raise  # the whole file is too deep for leaklint's analyses: LL003, from lint_source
        except Exception as exc:  # contain the rule, keep the others going
            findings.append(internal_error(f"rule {rule.code} ({rule.name})", exc))
            continue
        for place, fields in found.items():
            fields = dict(fields)
            watch = fields.pop(WATCH_FIELD, None)
            fix = fields.pop(FIX_FIELD, None)
            message = rule.message.format(**fields)
            findings.append(
                Finding(
                    place.line, place.column + 1, rule.code, message, place.end_line, place.end_column + 1,
                    fix=fix.dumps() if isinstance(fix, Fix) else None,
                    watch=watch if isinstance(watch, str) else None,
                )
            )
    if any(f.code != INTERNAL_ERROR for f in findings):
        suppressions = Suppressions(facts.text)
        findings = [f for f in findings if f.code == INTERNAL_ERROR or not suppressions.suppresses(f.code, f.line)]
    return findings
