"""The runner of the libcst rules (``Rule`` subclasses that visit nodes).

read the ``ast`` -> only the top-level statements that hold a trigger word
of one of the rules are parsed by libcst, each as a small module (LL003 if
it cannot) -> one traversal of each runs the rules it triggers, each rule
contained (LL002) -> positions are computed only where something was
reported, and the rules' fixes placed -> the statement's noqa comments.
"""

from __future__ import annotations

import ast
import functools
import re
from collections import defaultdict
from typing import Any, Callable, Dict, FrozenSet, Iterable, List, Optional, Sequence, Tuple, Type

from leaklint.analysis.import_block import import_insertion, name_insertion
from leaklint.analysis.visiting import NodeVisitor, walk
from leaklint.core.context import FileContext, FileFacts, ProposedFix, Report
from leaklint.core.failures import failure_finding, internal_error
from leaklint.core.finding import Finding
from leaklint.core.rule import CandidateRule, Rule
from leaklint.fixes import Edit, Fix, indent_unit
from leaklint.syntax.diagnostics import INTERNAL_ERROR, UNSUPPORTED_SYNTAX
from leaklint.syntax.lazy import libcst as cst
from leaklint.syntax.lazy import libcst_metadata
from leaklint.syntax.noqa import Suppressions
from leaklint.syntax.parsing import (
    CST_RECURSION_LIMIT,
    ParseFailure,
    ast_may_exceed_cst_depth,
    exceeds_depth,
    parse_cst,
    recursion_limit,
)
from leaklint.syntax.segments import Segment, segments_with_words

# The trigger word of the resource rules that a file's own allocating helpers
# stand in for (``def connect(): return socket.create_connection(...)``).
FACTORY_STAND_IN = "open"


def runs(rule: Type[Rule]) -> bool:
    return not issubclass(rule, CandidateRule)


def findings(rule_classes: Sequence[Type[Rule]], facts: FileFacts, prescan: bool = True) -> List[Finding]:
    """Findings of the libcst rules: only the top-level statements holding a
    trigger word of one of them are parsed, each as a small module, and
    visited once by the rules it triggers. ``prescan=False`` parses every
    statement and runs every rule on it (to check the first look)."""
    text, tree, options = facts.text, facts.tree, facts.options
    findings: List[Finding] = []
    triggers = Triggers(rule_classes, tree)
    if not prescan:
        triggers.pattern = None  # every statement, every rule
    segments = segments_with_words(text, tree, triggers.pattern)
    if any(FACTORY_STAND_IN in rule.triggers for rule in rule_classes):
        # Functions that return a fresh resource (the file's own, or imported
        # from the project's other modules) make the statements calling them
        # worth a look.
        helpers = {word for _, word in facts.imported_factories.values()}
        helpers |= {name.rsplit(".", 1)[-1] for name in options.resource_functions}
        if segments:
            factories = facts.factories
            helpers |= {*factories.functions, *factories.classes, *(method for _, method in factories.methods)}
        helpers -= set(triggers.aliases)
        if helpers:
            triggers.add_stand_ins(helpers, for_word=FACTORY_STAND_IN)
            segments = segments_with_words(text, tree, triggers.pattern)
    if segments and ast_may_exceed_cst_depth() and exceeds_depth(tree):
        too_deep = ParseFailure(UNSUPPORTED_SYNTAX, "nested too deeply for libcst; the file was not analysed")
        return [failure_finding(too_deep)]
    for segment in segments:
        findings.extend(_lint_segment(segment, triggers, facts))
    return findings


def _lint_segment(segment: Segment, triggers: Triggers, facts: FileFacts) -> List[Finding]:
    """Parse one top-level statement with libcst and run the rules it triggers."""
    rules = triggers.rules_for(segment)
    if not rules:
        return []
    try:
        module = parse_cst(segment.text)
    except ParseFailure as failure:
        return [failure_finding(failure, segment.line_offset)]
    findings = _run_rules(rules, facts, module, segment.line_offset)
    if not findings:
        return []
    # A noqa comment applies within its statement, so the segment's comments suffice.
    suppressions = Suppressions(segment.text, segment.first_line)
    return [f for f in findings if f.code == INTERNAL_ERROR or not suppressions.suppresses(f.code, f.line)]


class Triggers:
    """The words that make libcst rules worth running on (part of) one file:
    each rule's trigger words, and the names those are imported under in the
    module (``from functools import lru_cache as memo``: memo)."""

    def __init__(self, rules: Sequence[Type[Rule]], tree: ast.Module) -> None:
        self.rules = list(rules)
        words = frozenset().union(*(rule.triggers for rule in rules))
        self.aliases: Dict[str, str] = {}
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    imported = alias.name.rsplit(".", 1)[-1]
                    if alias.asname and imported in words:
                        self.aliases[alias.asname] = imported
        everything = any(not rule.triggers for rule in rules)
        # None: some rule has no trigger words, so every part of the file counts.
        self.pattern = None if everything else _trigger_pattern(words | frozenset(self.aliases))

    def add_stand_ins(self, words: Iterable[str], for_word: str) -> None:
        """Let ``words`` trigger whatever ``for_word`` triggers."""
        if self.pattern is None:
            return
        self.aliases.update(dict.fromkeys(words, for_word))
        triggered = frozenset().union(*(rule.triggers for rule in self.rules))
        self.pattern = _trigger_pattern(triggered | frozenset(self.aliases))

    def rules_for(self, segment: Segment) -> List[Type[Rule]]:
        """The rules that could find something in ``segment``."""
        found = (
            {self.aliases.get(word, word) for word in self.pattern.findall(segment.text)}
            if self.pattern is not None
            else None
        )
        return [
            rule
            for rule in self.rules
            if not rule.triggers or found is None or not rule.triggers.isdisjoint(found)
        ]


@functools.lru_cache(maxsize=16)
def _trigger_pattern(words: FrozenSet[str]) -> "re.Pattern[str]":
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b")


def _run_rules(
    rule_classes: Sequence[Type[Rule]], facts: FileFacts, module: cst.Module, line_offset: int
) -> List[Finding]:
    wrapper = libcst_metadata.MetadataWrapper(module, unsafe_skip_copy=True)
    findings: List[Finding] = []
    providers = {getattr(libcst_metadata, name) for rule in rule_classes for name in rule.METADATA_DEPENDENCIES}
    with recursion_limit(CST_RECURSION_LIMIT):
        try:
            metadata = wrapper.resolve_many(providers) if providers else {}
        except Exception as exc:  # a libcst provider failed: no rule can run safely
            codes = ", ".join(rule.code for rule in rule_classes)
            return [internal_error(f"libcst metadata for {codes}", exc, 1 + line_offset)]
        context = FileContext(facts, metadata, line_offset)
        dispatcher = _Dispatcher([rule(context) for rule in rule_classes], context, line_offset)
        try:
            walk(module, dispatcher)
            findings.extend(dispatcher.failures)
            if context.reports:
                findings.extend(_positioned(wrapper, context.reports, line_offset, facts))
        except RecursionError:
            # libcst's own traversal, not a rule, ran out of stack.
            failure = ParseFailure(UNSUPPORTED_SYNTAX, "nested too deeply for libcst; the file was not analysed")
            return [failure_finding(failure, line_offset)]
    return findings


def _positioned(
    wrapper: "libcst_metadata.MetadataWrapper", reports: Iterable[Report], line_offset: int, facts: FileFacts
) -> List[Finding]:
    """Findings with the file's positions: computed only for segments that report."""
    positions = wrapper.resolve(libcst_metadata.PositionProvider)
    findings = []
    for report in reports:
        span = positions[report.node]
        lines = {f"{name}_line": positions[node].start.line + line_offset for name, node in report.related.items()}
        findings.append(
            Finding(
                span.start.line + line_offset,
                span.start.column + 1,
                report.code,
                report.template.format(**report.fields, **lines),
                span.end.line + line_offset,
                span.end.column + 1,
                fix=_placed_fix(report.fix, positions, line_offset, facts) if report.fix else None,
                watch=report.watch,
            )
        )
    return findings


def _placed_fix(proposed: ProposedFix, positions: Any, line_offset: int, facts: FileFacts) -> Optional[str]:
    """A rule's fix as edits of the file (``Finding.fix``); None when its
    lines cannot be moved safely."""
    edits = []
    for node, code in proposed.replacements:
        span = positions[node]
        edits.append(
            Edit(span.start.line + line_offset, span.start.column + 1, span.end.line + line_offset, span.end.column + 1, code)
        )
    for node, header, body in proposed.blocks:
        span = positions[node]
        line = span.start.line + line_offset
        indent = facts.indentation(line)
        code = f"{header}{facts.line_break}{indent}{indent_unit(indent)}{body}"
        edits.append(Edit(line, span.start.column + 1, span.end.line + line_offset, span.end.column + 1, code))
    for after, last in proposed.indented:
        start, end = positions[after].end.line + line_offset + 1, positions[last].end.line + line_offset
        if facts.strings_across_lines(start, end):
            return None  # indenting a string's own lines would change the string
        unit = indent_unit(facts.indentation(start - 1))
        edits.extend(Edit(line, 1, line, 1, unit) for line in range(start, end + 1) if facts.line_text(line).strip())
    for statement in proposed.deleted_lines:
        start, end = positions[statement].start.line + line_offset, positions[statement].end.line + line_offset
        edits.append(Edit(start, 1, end + 1, 1, ""))
    edits.extend(import_insertion(facts.tree, facts.text, module) for module in proposed.imports)
    for module, name in proposed.names:
        added = name_insertion(facts.tree, facts.text, module, name)
        if added is None:
            return None
        edits.append(added)
    return Fix(proposed.title, proposed.safe, tuple(edits)).dumps()


Handler = Tuple[Rule, Callable[["cst.CSTNode"], object]]


class _Dispatcher(NodeVisitor):
    """One traversal for all rules; a rule that raises is dropped (LL002)."""

    def __init__(self, rules: Sequence[Rule], context: FileContext, line_offset: int) -> None:
        super().__init__()
        self._context = context
        self._line_offset = line_offset
        self._visit: Dict[str, List[Handler]] = defaultdict(list)
        self._leave: Dict[str, List[Handler]] = defaultdict(list)
        for rule in rules:
            for attribute in dir(type(rule)):
                if attribute.startswith("visit_"):
                    self._visit[attribute[6:]].append((rule, getattr(rule, attribute)))
                elif attribute.startswith("leave_"):
                    self._leave[attribute[6:]].append((rule, getattr(rule, attribute)))
        self._failed: set = set()
        self.failures: List[Finding] = []

    def _call(self, handlers: List[Handler], node: cst.CSTNode) -> None:
        for rule, handler in handlers:
            if rule.code in self._failed:
                continue
            try:
                handler(node)
            except Exception as exc:  # contain the rule, keep the others going
                self._failed.add(rule.code)
                self.failures.append(internal_error(f"rule {rule.code} ({rule.name})", exc, 1 + self._line_offset))

    def on_visit(self, node: cst.CSTNode) -> bool:
        self._context.ancestors.append(node)
        handlers = self._visit.get(type(node).__name__)
        if handlers:
            self._call(handlers, node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        handlers = self._leave.get(type(original_node).__name__)
        if handlers:
            self._call(handlers, original_node)
        self._context.ancestors.pop()
