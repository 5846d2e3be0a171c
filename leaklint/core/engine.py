"""Lint one file: bytes in, sorted findings out.

read bytes -> decode as Python does -> ``ast`` decides validity (LL001) and
whether libcst could parse it (LL003) -> each kind of rule runs through its
runner: the ``ast`` rules (``leaklint.core.ast_runner``) and the libcst
visitor rules (``leaklint.core.cst_runner``) -> findings of the enabled
codes, sorted.

Linting is a pure function of (bytes, path, enabled codes, the project
modules it reads); the engine knows nothing of output formats,
configuration files or the command line.
"""

from __future__ import annotations

import contextlib
import gc
from typing import Collection, Iterator, List, Type

from leaklint.analysis.test_code import is_test_module
from leaklint.core import ast_runner, cst_runner
from leaklint.core.context import FileFacts
from leaklint.core.failures import BUG_REPORT_HINT, engine_failure, failure_finding
from leaklint.core.finding import Finding
from leaklint.core.options import AnalysisOptions
from leaklint.core.registry import all_rules
from leaklint.core.rule import Rule
from leaklint.syntax.diagnostics import PARSE_ERROR, UNSUPPORTED_SYNTAX
from leaklint.syntax.noqa import skips_file
from leaklint.syntax.parsing import ParseFailure, frames_above_caller, libcst_unsupported, parse_ast
from leaklint.syntax.source import DecodeError, decode_source

# Each kind of rule and what runs it: a runner says which rules it runs.
RUNNERS = (ast_runner, cst_runner)
__all__ = ["BUG_REPORT_HINT", "RUNNERS", "engine_failure", "lint_source"]

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
            return _only(enabled, Finding(1, 1, UNSUPPORTED_SYNTAX, message, 1, 1))


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
        return _only(enabled, Finding(exc.line, exc.column, PARSE_ERROR, exc.message, exc.line, exc.column))
    if skips_file(text):
        return []
    try:
        tree = parse_ast(text, path)
    except ParseFailure as failure:
        return _only(enabled, failure_finding(failure))

    unsupported = libcst_unsupported(text, tree)
    if unsupported is not None:
        return _only(enabled, failure_finding(unsupported))
    rule_classes = _rule_classes(enabled)
    if is_test_module(path):
        rule_classes = [rule for rule in rule_classes if rule.checks_test_modules]
    if not rule_classes:
        return []
    facts = FileFacts(path, text, tree, options)
    findings: List[Finding] = []
    for runner in RUNNERS:
        mine = [rule for rule in rule_classes if runner.runs(rule)]
        if mine:
            findings.extend(runner.findings(mine, facts, prescan))
    return sorted((f for f in findings if f.code in enabled), key=Finding.sort_key)



def _only(enabled: Collection[str], finding: Finding) -> List[Finding]:
    return [finding] if finding.code in enabled else []


def _rule_classes(enabled: Collection[str]) -> List[Type[Rule]]:
    return [rule for rule in all_rules() if rule.code in enabled and issubclass(rule, Rule)]
