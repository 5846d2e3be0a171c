"""Lint one file: bytes in, sorted findings out.

read bytes -> decode as Python does -> ``ast`` decides validity (LL001) ->
rules whose trigger words occur in the text are chosen -> libcst parses once
(LL003 if it cannot) -> one traversal runs every chosen rule, each contained
(LL002) -> positions are computed only if something was reported -> noqa.

Linting is a pure function of (bytes, path, enabled codes); the engine knows
nothing of output formats, configuration files or the command line.
"""

from __future__ import annotations

import ast
import functools
import re
import traceback
from collections import defaultdict
from typing import Callable, Collection, Dict, FrozenSet, Iterable, List, Sequence, Tuple, Type

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from leaklint.context import FileContext, Report
from leaklint.finding import Finding
from leaklint.noqa import Suppressions, skips_file
from leaklint.parsing import (
    CST_RECURSION_LIMIT,
    ParseFailure,
    ast_may_exceed_cst_depth,
    exceeds_depth,
    libcst_unsupported,
    parse_ast,
    parse_cst,
    recursion_limit,
)
from leaklint.registry import all_rules
from leaklint.rule import Rule
from leaklint.source import DecodeError, decode_source

BUG_REPORT_HINT = "please report this to the leaklint issue tracker"


def lint_source(data: bytes, path: str, enabled: Collection[str]) -> List[Finding]:
    """Findings for one file's bytes, sorted by (line, column, code).

    ``enabled`` holds the codes to report (diagnostics LL001-LL003 included).
    """
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
    rules = rules_triggered_by(text, _rule_classes(enabled))
    if not rules:
        return []
    try:
        if ast_may_exceed_cst_depth() and exceeds_depth(tree):
            raise ParseFailure("LL003", "nested too deeply for libcst; the file was not analysed")
        module = parse_cst(text)
    except ParseFailure as failure:
        return _only(enabled, _failure_finding(failure))

    findings = _run_rules(rules, path, text, tree, module)
    if findings:
        suppressions = Suppressions(text)
        findings = [
            f
            for f in findings
            if f.code in enabled and not (f.code != "LL002" and suppressions.suppresses(f.code, f.line))
        ]
    return sorted(findings, key=Finding.sort_key)


def _only(enabled: Collection[str], finding: Finding) -> List[Finding]:
    return [finding] if finding.code in enabled else []


def _failure_finding(failure: ParseFailure) -> Finding:
    return Finding(failure.line, failure.column, failure.code, failure.message, failure.line, failure.column)


def _rule_classes(enabled: Collection[str]) -> List[Type[Rule]]:
    return [rule for rule in all_rules() if rule.code in enabled and not rule.engine_diagnostic]


def rules_triggered_by(text: str, rules: Sequence[Type[Rule]]) -> List[Type[Rule]]:
    """The rules that could find something in ``text``, judged by its words."""
    if not rules:
        return []
    wanted = frozenset().union(*(rule.triggers for rule in rules))
    words = frozenset(_trigger_pattern(wanted).findall(text)) if wanted else frozenset()
    return [rule for rule in rules if not rule.triggers or not rule.triggers.isdisjoint(words)]


@functools.lru_cache(maxsize=16)
def _trigger_pattern(words: FrozenSet[str]) -> "re.Pattern[str]":
    alternatives = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b")


def _run_rules(
    rule_classes: Sequence[Type[Rule]], path: str, text: str, tree: ast.Module, module: cst.Module
) -> List[Finding]:
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    findings: List[Finding] = []
    providers = {p for rule in rule_classes for p in rule.METADATA_DEPENDENCIES}
    with recursion_limit(CST_RECURSION_LIMIT):
        try:
            metadata = wrapper.resolve_many(providers) if providers else {}
        except Exception as exc:  # a libcst provider failed: no rule can run safely
            return [_internal_error("libcst metadata for " + ", ".join(r.code for r in rule_classes), exc)]
        context = FileContext(path, text, tree, module, metadata)
        dispatcher = _Dispatcher([rule(context) for rule in rule_classes], context)
        try:
            module.visit(dispatcher)
            findings.extend(dispatcher.failures)
            if context.reports:
                findings.extend(_positioned(wrapper, context.reports))
        except RecursionError:
            # libcst's own traversal, not a rule, ran out of stack.
            failure = ParseFailure("LL003", "nested too deeply for libcst; the file was not analysed")
            return [_failure_finding(failure)]
    return findings


def _positioned(wrapper: MetadataWrapper, reports: Iterable[Report]) -> List[Finding]:
    positions = wrapper.resolve(PositionProvider)
    findings = []
    for report in reports:
        span = positions[report.node]
        findings.append(
            Finding(
                span.start.line,
                span.start.column + 1,
                report.code,
                report.message,
                span.end.line,
                span.end.column + 1,
            )
        )
    return findings


def _internal_error(subject: str, exc: BaseException, line: int = 1) -> Finding:
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    at = f" at {where.name}:{where.lineno}" if where else ""
    detail = f"{type(exc).__name__}: {exc}".strip().splitlines()[0][:200]
    message = f"{subject} failed on this file ({detail}{at}); {BUG_REPORT_HINT}"
    return Finding(line, 1, "LL002", message, line, 1)


def engine_failure(exc: BaseException) -> Finding:
    """LL002 for a failure outside any rule (the caller goes on with other files)."""
    return _internal_error("leaklint's engine", exc)


Handler = Tuple[Rule, Callable[[cst.CSTNode], object]]


class _Dispatcher(cst.CSTVisitor):
    """One traversal for all rules; a rule that raises is dropped (LL002)."""

    def __init__(self, rules: Sequence[Rule], context: FileContext) -> None:
        super().__init__()
        self._context = context
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
                self.failures.append(_internal_error(f"rule {rule.code} ({rule.name})", exc))

    def on_visit(self, node: cst.CSTNode) -> bool:
        self._context.ancestors.append(node)
        handlers = self._visit.get(type(node).__name__)
        if handlers:
            self._call(handlers, node)
        return True

    # Rules do not visit attributes of nodes: skip libcst's per-field callbacks.
    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        return None

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None

    def on_leave(self, original_node: cst.CSTNode) -> None:
        handlers = self._leave.get(type(original_node).__name__)
        if handlers:
            self._call(handlers, original_node)
        self._context.ancestors.pop()


def diagnostic_codes() -> FrozenSet[str]:
    return frozenset(rule.code for rule in all_rules() if rule.engine_diagnostic)
