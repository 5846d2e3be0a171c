"""Fingerprints: names for findings that survive unrelated edits of a file.

A finding's line moves whenever code is added above it, so neither SARIF
consumers nor a baseline can match findings by line. A fingerprint hashes
what stays put instead: the rule code, the innermost ``def``/``class`` around
the finding, the reported code itself with whitespace, quote style and magic
trailing commas normalized away (so a formatter's work does not change it),
and which occurrence of that same (code, scope, text) it is in the file.

The file's path is not part of the hash: SARIF results and baseline entries
carry it beside the fingerprint, each normalized in its own way.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from collections import Counter
from typing import List, Optional, Sequence, Tuple

from leaklint.core.finding import Finding
from leaklint.syntax.source import text_lines

# A reported node longer than this (a whole class...) would change with every
# edit inside it: only its first line counts then.
MAX_SPAN_LINES = 5

_TRAILING_COMMA = re.compile(r",(?=[)\]}])")

Scope = Tuple[int, int, str]  # first line (decorators included), last line, dotted name


def fingerprints(text: Optional[str], findings: Sequence[Finding]) -> List[str]:
    """One fingerprint per finding of one file, in the order given."""
    lines = text_lines(text) if text is not None else []
    scopes = _scopes(text) if text is not None else []
    keyed = [(finding.code, _scope_at(scopes, finding.line), _normalized_code(lines, finding)) for finding in findings]
    # Occurrences are counted in source order, whatever order findings came in.
    order = sorted(range(len(findings)), key=lambda i: findings[i].sort_key())
    seen: Counter = Counter()
    result = [""] * len(findings)
    for i in order:
        key = keyed[i]
        result[i] = _digest(*key, seen[key])
        seen[key] += 1
    return result


def _digest(code: str, scope: str, text: str, occurrence: int) -> str:
    payload = json.dumps([code, scope, text, occurrence], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _normalized_code(lines: List[str], finding: Finding) -> str:
    """The reported code with everything a formatter may change removed."""
    text = _normalize(_span_text(lines, finding))
    if not text and 0 < finding.line <= len(lines):
        text = _normalize(lines[finding.line - 1])  # an empty span: use its line
    return text


def _normalize(code: str) -> str:
    compact = "".join(code.split()).replace("'", '"')
    return _TRAILING_COMMA.sub("", compact)


def _span_text(lines: List[str], finding: Finding) -> str:
    if not 0 < finding.line <= len(lines):
        return ""
    first = lines[finding.line - 1]
    start = max(finding.column, 1) - 1
    if finding.end_line == finding.line and finding.end_column > finding.column:
        return first[start : finding.end_column - 1]
    if finding.line < finding.end_line < finding.line + MAX_SPAN_LINES and finding.end_line <= len(lines):
        middle = lines[finding.line : finding.end_line - 1]
        return "\n".join([first[start:], *middle, lines[finding.end_line - 1][: finding.end_column - 1]])
    return first[start:]


def _scopes(text: str) -> List[Scope]:
    """Every def and class of the file, each after the ones that hold it."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []  # a file leaklint could not parse has findings at module level only
    scopes: List[Scope] = []
    # Iterative, in source order: deeply nested code must not hit the recursion limit.
    stack: List[Tuple[ast.AST, str]] = [(tree, "")]
    while stack:
        node, prefix = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
            prefix = f"{prefix}{node.name}"
            scopes.append((first, node.end_lineno or node.lineno, prefix))
            prefix += "."
        stack.extend((child, prefix) for child in reversed(list(ast.iter_child_nodes(node))))
    return scopes


def _scope_at(scopes: Sequence[Scope], line: int) -> str:
    """The dotted name of the innermost def or class holding ``line`` ('' at module level)."""
    name = ""
    for first, last, scope_name in scopes:
        if first <= line <= last:
            name = scope_name  # later containing scopes are nested deeper
    return name
