"""Lint one file: bytes in, sorted findings out.

read bytes -> decode as Python does -> ``ast`` decides validity (LL001) ->
only the top-level statements that hold a trigger word of an enabled rule are
parsed by libcst, each as a small module (LL003 if it cannot) -> one traversal
of each runs the rules it triggers, each rule contained (LL002) -> positions
are computed only where something was reported -> noqa.

Linting is a pure function of (bytes, path, enabled codes); the engine knows
nothing of output formats, configuration files or the command line.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import gc
import re
import traceback
from collections import defaultdict
from typing import Any, Callable, Collection, Dict, FrozenSet, Iterable, Iterator, List, Optional, Sequence, Tuple, Type

from leaklint.syntax.lazy import libcst as cst
from leaklint.syntax.lazy import libcst_metadata

from leaklint.analysis.import_block import import_insertion, name_insertion
from leaklint.analysis.test_code import is_test_module
from leaklint.analysis.visiting import NodeVisitor, walk
from leaklint.core.context import FileContext, FileFacts, ProposedFix, Report
from leaklint.core.finding import Finding
from leaklint.fixes import Edit, Fix, indent_unit
from leaklint.syntax.noqa import Suppressions, skips_file
from leaklint.core.options import AnalysisOptions
from leaklint.syntax.parsing import (
    CST_RECURSION_LIMIT,
    ParseFailure,
    ast_may_exceed_cst_depth,
    exceeds_depth,
    frames_above_caller,
    libcst_unsupported,
    parse_ast,
    parse_cst,
    recursion_limit,
)
from leaklint.core.registry import all_rules
from leaklint.core.rule import FIX_FIELD, WATCH_FIELD, CandidateRule, Rule
from leaklint.syntax.segments import Segment, segments_with_words
from leaklint.syntax.source import DecodeError, decode_source

# The trigger word of the resource rules that a file's own allocating helpers
# stand in for (``def connect(): return socket.create_connection(...)``).
FACTORY_STAND_IN = "open"

BUG_REPORT_HINT = "please report this to the leaklint issue tracker"
# Stack frames free above ``lint_source`` for the whole-file analyses.
ANALYSIS_FRAMES = 1000


def lint_source(
    data: bytes,
    path: str,
    enabled: Collection[str],
    options: AnalysisOptions = AnalysisOptions(),
    *,
    prescan: bool = True,
) -> List[Finding]:
    """Findings for one file's bytes, sorted by (line, column, code).

    ``enabled`` holds the codes to report (diagnostics LL001-LL003 included).
    ``prescan=False`` parses every top-level statement whole with libcst and
    runs every rule on it: slow, and only there to check that the cheap first
    look never changes what is found.
    """
    # The analyses recurse over the tree: give them the same stack wherever
    # they are called from (in this process, in a worker, under flake8), so
    # a deep file gets the same verdict everywhere.
    with _garbage_collection_paused(), frames_above_caller(ANALYSIS_FRAMES):
        try:
            return _lint(data, path, enabled, options, prescan)
        except RecursionError:
            # ``ast.parse`` accepted it, but a whole-file analysis walks the
            # tree recursively and ran out of stack (a 1,500-term ``a + a + ...``).
            message = "nested too deeply for leaklint's analysis; the file was not analysed"
            return _only(enabled, Finding(1, 1, "LL003", message, 1, 1))


@contextlib.contextmanager
def _garbage_collection_paused() -> Iterator[None]:
    """Syntax trees hold no reference cycles, but a big one makes every full
    collection walk millions of objects (a 20 MB generated file took twice
    as long with the collector on). Whatever cycles appear are collected once
    it is back on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _lint(
    data: bytes, path: str, enabled: Collection[str], options: AnalysisOptions, prescan: bool = True
) -> List[Finding]:
    try:
        text = decode_source(data).text
    except DecodeError as exc:
        return _only(enabled, Finding(exc.line, exc.column, "LL001", exc.message, exc.line, exc.column))
    if skips_file(text):
        return []
    try:
        tree = parse_ast(text, path)
    except ParseFailure as failure:
        return _only(enabled, _failure_finding(failure))

    unsupported = libcst_unsupported(text, tree)
    if unsupported is not None:
        return _only(enabled, _failure_finding(unsupported))
    rule_classes = _rule_classes(enabled)
    if is_test_module(path):
        rule_classes = [rule for rule in rule_classes if rule.checks_test_modules]
    if not rule_classes:
        return []
    facts = FileFacts(path, text, tree, options)
    # Rules decided from the ``ast`` alone: no libcst for them.
    findings = _ast_findings([rule for rule in rule_classes if issubclass(rule, CandidateRule)], facts)
    rule_classes = [rule for rule in rule_classes if not issubclass(rule, CandidateRule)]
    if not rule_classes:
        return sorted((f for f in findings if f.code in enabled), key=Finding.sort_key)
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
        too_deep = ParseFailure("LL003", "nested too deeply for libcst; the file was not analysed")
        return _only(enabled, _failure_finding(too_deep))
    for segment in segments:
        findings.extend(_lint_segment(segment, triggers, facts))
    return sorted((f for f in findings if f.code in enabled), key=Finding.sort_key)


def _ast_findings(rule_classes: Sequence[Type[CandidateRule]], facts: FileFacts) -> List[Finding]:
    """Findings of the rules decided from the ``ast``, placed by its nodes and
    filtered by the file's suppression comments; a rule that raises is
    dropped (LL002), the others go on."""
    findings: List[Finding] = []
    for rule in rule_classes:
        try:
            found = rule.findings(facts)
        except RecursionError:
            raise  # the whole file is too deep for leaklint's analyses: LL003, from lint_source
        except Exception as exc:  # contain the rule, keep the others going
            findings.append(_internal_error(f"rule {rule.code} ({rule.name})", exc))
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
    if any(f.code != "LL002" for f in findings):
        suppressions = Suppressions(facts.text)
        findings = [f for f in findings if f.code == "LL002" or not suppressions.suppresses(f.code, f.line)]
    return findings


def _lint_segment(segment: Segment, triggers: Triggers, facts: FileFacts) -> List[Finding]:
    """Parse one top-level statement with libcst and run the rules it triggers."""
    rules = triggers.rules_for(segment)
    if not rules:
        return []
    try:
        module = parse_cst(segment.text)
    except ParseFailure as failure:
        return [_failure_finding(failure, segment.line_offset)]
    findings = _run_rules(rules, facts, module, segment.line_offset)
    if not findings:
        return []
    # A noqa comment applies within its statement, so the segment's comments suffice.
    suppressions = Suppressions(segment.text, segment.first_line)
    return [f for f in findings if f.code == "LL002" or not suppressions.suppresses(f.code, f.line)]


def _only(enabled: Collection[str], finding: Finding) -> List[Finding]:
    return [finding] if finding.code in enabled else []


def _failure_finding(failure: ParseFailure, line_offset: int = 0) -> Finding:
    line = failure.line + line_offset
    return Finding(line, failure.column, failure.code, failure.message, line, failure.column)


def _rule_classes(enabled: Collection[str]) -> List[Type[Rule]]:
    return [rule for rule in all_rules() if rule.code in enabled and not rule.engine_diagnostic]


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
            return [_internal_error(f"libcst metadata for {codes}", exc, 1 + line_offset)]
        context = FileContext(facts, metadata, line_offset)
        dispatcher = _Dispatcher([rule(context) for rule in rule_classes], context, line_offset)
        try:
            walk(module, dispatcher)
            findings.extend(dispatcher.failures)
            if context.reports:
                findings.extend(_positioned(wrapper, context.reports, line_offset, facts))
        except RecursionError:
            # libcst's own traversal, not a rule, ran out of stack.
            failure = ParseFailure("LL003", "nested too deeply for libcst; the file was not analysed")
            return [_failure_finding(failure, line_offset)]
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




def _internal_error(subject: str, exc: BaseException, line: int = 1) -> Finding:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" at {where.name}:{where.lineno}" if where else ""
    detail = f"{type(exc).__name__}: {exc}".strip().splitlines()[0][:200]
    message = f"{subject} failed on this file ({detail}{at}); {BUG_REPORT_HINT}"
    return Finding(line, 1, "LL002", message, line, 1)


def engine_failure(exc: BaseException) -> Finding:
    """LL002 for a failure outside any rule (the caller goes on with other files)."""
    return _internal_error("leaklint's engine", exc)


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
                self.failures.append(_internal_error(f"rule {rule.code} ({rule.name})", exc, 1 + self._line_offset))

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
