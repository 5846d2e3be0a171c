"""Findings as the Language Server Protocol shows them: diagnostics, quick
fixes, "ignore on this line", and "fix all".

Each diagnostic carries, in its ``data``, the document version it was
computed for and the finding's fix; a code action is offered only for a
diagnostic of the document's current version, so an edit is never placed
on a text it was not made for.
"""

from __future__ import annotations

import difflib
from typing import Any, Dict, List, Optional, Sequence

from lsprotocol import types

from leaklint.docs import rule_url
from leaklint.core.finding import Finding
from leaklint.fixes import Edit, Fix
from leaklint.syntax.noqa import noqa_edit
from leaklint.core.registry import rule_for_code
from leaklint.server.positions import LineIndex, lines_with_breaks
from leaklint.syntax.diagnostics import FILE_DIAGNOSTICS, PARSE_ERROR

SOURCE = "leaklint"
FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.{SOURCE}"
# Files leaklint could not read as Python are errors; the leaks are warnings.
_ERRORS = (PARSE_ERROR,)
# What a ``# noqa`` cannot silence: leaklint could not check the file.
_NOT_SILENCED = FILE_DIAGNOSTICS


def diagnostic(finding: Finding, index: LineIndex, version: Optional[int]) -> types.Diagnostic:
    code_description = None
    try:
        code_description = types.CodeDescription(href=rule_url(rule_for_code(finding.code)))
    except KeyError:
        pass
    return types.Diagnostic(
        range=_range(index, finding.line, finding.column, finding.end_line, finding.end_column),
        message=finding.message,
        severity=types.DiagnosticSeverity.Error if finding.code in _ERRORS else types.DiagnosticSeverity.Warning,
        code=finding.code,
        code_description=code_description,
        source=SOURCE,
        data={"version": version, "fix": finding.fix},
    )


def code_actions(
    uri: str,
    text: str,
    version: Optional[int],
    index: LineIndex,
    diagnostics: Sequence[types.Diagnostic],
) -> List[types.CodeAction]:
    """Quick fixes for the client's ``diagnostics`` that are leaklint's and
    of this version: the finding's fix, then ``# noqa: CODE`` for its line."""
    actions: List[types.CodeAction] = []
    for item in diagnostics:
        data = diagnostic_data(item)
        if item.source != SOURCE or not isinstance(item.code, str) or data.get("version") != version:
            continue
        fix = Fix.loads(data.get("fix"))
        if fix is not None:
            title = fix.title if fix.safe else f"{fix.title} (unsafe: review the change)"
            actions.append(_action(title, uri, [_text_edit(index, edit) for edit in fix.edits], item, fix.safe))
        if item.code in _NOT_SILENCED:
            continue
        ignore = noqa_edit(text, item.range.start.line + 1, item.code)
        actions.append(_action(f"Ignore {item.code} here (# noqa: {item.code})", uri, [_text_edit(index, ignore)], item))
    return actions


def fix_all_action(uri: str, before: str, after: str, index: LineIndex) -> types.CodeAction:
    return types.CodeAction(
        title="Fix all leaklint findings in this file",
        kind=FIX_ALL_KIND,
        edit=types.WorkspaceEdit(changes={uri: text_changes(before, after, index)}),
    )


def text_changes(before: str, after: str, index: LineIndex) -> List[types.TextEdit]:
    """The edits that turn ``before`` into ``after``, one per changed run of
    lines (the editor keeps its cursor and folds where nothing changed)."""
    old, new = lines_with_breaks(before), lines_with_breaks(after)
    edits = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, first, last, new_first, new_last in matcher.get_opcodes():
        if tag == "equal":
            continue
        start = types.Position(line=first, character=0)
        if last < len(old) or (old and old[-1].endswith(("\n", "\r"))):
            end = types.Position(line=last, character=0)
        else:  # up to the end of a last line without a line break
            end = types.Position(*index.end())
        edits.append(types.TextEdit(range=types.Range(start=start, end=end), new_text="".join(new[new_first:new_last])))
    return edits


def _action(
    title: str, uri: str, edits: List[types.TextEdit], diagnostic: types.Diagnostic, preferred: bool = False
) -> types.CodeAction:
    return types.CodeAction(
        title=title,
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        is_preferred=preferred or None,
        edit=types.WorkspaceEdit(changes={uri: edits}),
    )


def _text_edit(index: LineIndex, edit: Edit) -> types.TextEdit:
    return types.TextEdit(
        range=_range(index, edit.line, edit.column, edit.end_line, edit.end_column), new_text=edit.replacement
    )


def _range(index: LineIndex, line: int, column: int, end_line: int, end_column: int) -> types.Range:
    return types.Range(
        start=types.Position(*index.to_client(line, column)),
        end=types.Position(*index.to_client(end_line, end_column)),
    )


def diagnostic_data(item: types.Diagnostic) -> Dict[str, Any]:
    return item.data if isinstance(item.data, dict) else {}
