"""``--fix`` and ``--diff``: apply the fixes findings carry, checked, in rounds.

A round applies every fix that does not overlap another (``leaklint.fixes``),
then checks the result: it must parse, and each fix must have removed its
finding (the file, linted again, reports fewer of that rule's findings by as
many as were fixed). A fix that breaks the parse is dropped and the others
are kept; a round that does not remove what it fixed is undone and fixing
stops there. Rounds go on while fixes are left (overlapping ones wait for
the next), at most ``MAX_ROUNDS``, so a second ``--fix`` finds nothing to do.

Files are written atomically: a temporary file in the same folder, with the
original's mode, then renamed over it. The text keeps its encoding, BOM and
line endings: edits change only the characters they replace.
"""

from __future__ import annotations

import ast
import difflib
import os
import stat
import warnings
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Collection, List, Optional, Sequence, Tuple

from leaklint.batch.atomic import replace_atomically
from leaklint.core.engine import lint_source
from leaklint.core.finding import Finding
from leaklint.fixes import Fix, apply
from leaklint.core.options import AnalysisOptions
from leaklint.syntax.source import DecodeError, decode_source

if TYPE_CHECKING:  # pragma: no cover
    from leaklint.batch.config import Settings
    from leaklint.batch.discovery import SourceFile
    from leaklint.batch.runner import RunResult

MAX_ROUNDS = 4
_TEMPORARY_PREFIX = ".leaklint-fix-"


@dataclass
class FixedSource:
    text: str  # the fixed text (the original when nothing was fixed)
    fixed: int  # findings fixed
    findings: List[Finding] = field(default_factory=list)  # what is left, in the fixed text
    changed: bool = False
    # Why the file was not fixed at all, when it was not (it does not decode, say).
    skipped: Optional[str] = None


def wanted_fixes(findings: Sequence[Finding], unsafe: bool) -> List[Tuple[Finding, Fix]]:
    """The findings ``--fix`` (``--unsafe-fixes`` too, if ``unsafe``) would fix, with their fix."""
    found = []
    for finding in findings:
        fix = Fix.loads(finding.fix)
        if fix is not None and (fix.safe or unsafe):
            found.append((finding, fix))
    return found


def fix_source(
    data: bytes, path: str, codes: Collection[str], options: AnalysisOptions, unsafe: bool
) -> Tuple[FixedSource, str]:
    """Fix one file's bytes; the outcome and the encoding to write it back in."""
    try:
        decoded = decode_source(data)
    except DecodeError as exc:
        return FixedSource("", 0, skipped=exc.message), "utf-8"
    encoding = decoded.encoding
    text = decoded.text
    if encode_text(text, encoding) != data:
        # Bytes that do not survive decoding (not UTF-8 in a comment): writing
        # the text back would change them.
        return FixedSource(text, 0, skipped="its bytes would not be written back as they are"), encoding

    def lint(source: str) -> List[Finding]:
        return lint_source(encode_text(source, encoding), path, codes, options)

    findings = lint(text)
    fixed = 0
    for _ in range(MAX_ROUNDS):
        wanted = wanted_fixes(findings, unsafe)
        if not wanted:
            break
        code_of = {id(fix): finding.code for finding, fix in wanted}
        candidate, applied = _parsing(text, [fix for _, fix in wanted])
        if not applied:
            break
        after = lint(candidate)
        if not _removed(findings, after, [code_of[id(fix)] for fix in applied]):
            break  # the fixes did not remove what they were for: keep the text before them
        text, findings, fixed = candidate, after, fixed + len(applied)
    return FixedSource(text, fixed, findings, changed=fixed > 0), encoding


def _parsing(text: str, fixes: Sequence[Fix]) -> Tuple[str, List[Fix]]:
    """The text with the fixes applied, when the result parses; else with
    those that parse when applied alone."""
    candidate, applied = apply(text, fixes)
    if _parses(candidate):
        return candidate, applied
    good = [fix for fix in applied if _parses(apply(text, [fix])[0])]
    candidate, applied = apply(text, good)
    return (candidate, applied) if _parses(candidate) else apply(text, good[:1])


def _parses(text: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences and the like: the file's own
            ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def _removed(before: Sequence[Finding], after: Sequence[Finding], fixed_codes: Sequence[str]) -> bool:
    """Each rule reports at least as many fewer findings as were fixed."""
    counted_before = Counter(finding.code for finding in before)
    counted_after = Counter(finding.code for finding in after)
    return all(
        counted_after[code] <= counted_before[code] - times for code, times in Counter(fixed_codes).items()
    )


def encode_text(text: str, encoding: str) -> bytes:
    return text.encode(encoding, "surrogateescape" if encoding.startswith("utf") else "strict")


def unified_diff(path: str, before: str, after: str) -> str:
    """A diff that ``patch -p1`` applies from the folder the path is relative to."""
    shown = path.replace(os.sep, "/")
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{shown}", f"b/{shown}"
    )
    text = ""
    for line in lines:
        text += line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n"
    return text


def write_atomically(location: str, data: bytes) -> None:
    """Replace the file at ``location`` by ``data``, keeping its mode."""
    mode = stat.S_IMODE(os.stat(location).st_mode)
    replace_atomically(location, data, _TEMPORARY_PREFIX, mode=mode, durable=True)


@dataclass
class FixRun:
    """What ``--fix``/``--diff`` did to a run's files."""

    fixed: int = 0  # findings fixed
    files: int = 0  # files changed
    diffs: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)  # files that could not be fixed, and why
    errors: List[str] = field(default_factory=list)  # files that could not be written


def fix_run(result: "RunResult", sources: Sequence["SourceFile"], settings: "Settings", unsafe: bool, write: bool) -> FixRun:
    """Fix every file of ``result`` that has a fix to apply; with ``write``,
    write them and leave in ``result`` the findings left after fixing; without,
    collect their diffs. Files are fixed one after the other, in this
    process: only those with fixes are parsed again."""
    from leaklint.batch.runner import enabled_codes

    locations = {source.display: source.location for source in sources}
    outcome = FixRun()
    for file in result.files:
        if not wanted_fixes(file.findings, unsafe):
            continue
        location = locations.get(file.path)
        if location is None:
            outcome.notes.append(f"{file.path}: standard input is not fixed")
            continue
        try:
            with open(location, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            outcome.errors.append(f"{file.path}: cannot read file: {exc.strerror or exc}")
            continue
        fixed, encoding = fix_source(data, file.path, enabled_codes(settings, file.path), settings.analysis, unsafe)
        if fixed.skipped:
            outcome.notes.append(f"{file.path}: not fixed: {fixed.skipped}")
            continue
        if not fixed.changed:
            continue
        outcome.fixed += fixed.fixed
        outcome.files += 1
        if not write:
            outcome.diffs.append(unified_diff(file.path, decode_source(data).text, fixed.text))
            continue
        try:
            write_atomically(location, encode_text(fixed.text, encoding))
        except OSError as exc:
            outcome.errors.append(f"{file.path}: cannot write file: {exc.strerror or exc}")
            continue
        file.findings = fixed.findings
        file.text = fixed.text if fixed.findings else None
    return outcome
