"""Suppression comments, parsed the way flake8 parses them.

``# noqa`` silences every finding on its line, ``# noqa: LL301,LL3`` the
listed codes and code prefixes (case-insensitive, separated by commas or
spaces). A comment anywhere in a statement that spans several lines applies to
all of its lines, as in flake8. ``# leaklint: skip-file`` on a line of its own
skips the whole file.

Suppressions written for a peer linter's check of the same problem count too
(see ``leaklint.catalog.peer_codes``): ``# noqa: SIM115`` or
``# pylint: disable=consider-using-with`` silences the resource rules on its
line, as a ``# noqa`` naming them would. Peer codes are matched exactly, not as
prefixes; other codes (``# noqa: E501``) silence nothing of leaklint's. Only a
pylint comment on the reported line (or in its statement) counts: leaklint does
not follow pylint's block-wide disables (a ``# pylint: disable`` on a line of
its own or on a ``def`` line) nor ``disable-next``.
"""

from __future__ import annotations

import io
import re
import tokenize
from typing import Dict, FrozenSet, Iterable, List, Optional, Tuple

from leaklint.catalog.peer_codes import noqa_aliases, pylint_aliases
from leaklint.fixes import Edit
from leaklint.syntax.source import text_lines

_CODE = r"[A-Z]+[0-9]+"
NOQA = re.compile(rf"#\s*noqa(?::\s?(?P<codes>{_CODE}(?:[,\s]+{_CODE})*))?", re.IGNORECASE)
# pylint's pragma: ``# pylint: disable=name, name``, up to a ``;`` or ``#``.
PYLINT_DISABLE = re.compile(r"#.*?\bpylint:\s*disable\s*=\s*(?P<names>[^;#\n]*)", re.IGNORECASE)
SKIP_FILE = re.compile(r"^[ \t]*#[ \t]*leaklint:[ \t]*skip-file[ \t]*$", re.MULTILINE | re.IGNORECASE)

# None means "every code" (a bare ``# noqa``).
CodeSet = Optional[FrozenSet[str]]


def skips_file(text: str) -> bool:
    return SKIP_FILE.search(text) is not None


def parse_noqa(comment: str) -> Tuple[bool, CodeSet]:
    """(whether the comment is a noqa, which codes it names: None for all)."""
    match = NOQA.search(comment)
    if match is None:
        return False, None
    codes = match.group("codes")
    if not codes:
        return True, None
    return True, frozenset(code.upper() for code in re.split(r"[,\s]+", codes) if code)


def parse_pylint_disable(comment: str) -> FrozenSet[str]:
    """The message names a ``# pylint: disable=...`` comment lists (as written)."""
    names: List[str] = []
    for match in PYLINT_DISABLE.finditer(comment):
        for name in re.split(r"[,\s]+", match.group("names").strip()):
            if "=" in name:  # another pragma keyword (``enable=...``) starts here
                break
            if name:
                names.append(name)
    return frozenset(names)


def _silenced(comment: str) -> Tuple[bool, CodeSet]:
    """Whether ``comment`` silences anything of leaklint's, and what: the codes
    and prefixes a noqa lists plus the leaklint codes of the peer codes named
    by it or by a pylint disable (None for every code)."""
    is_noqa, codes = parse_noqa(comment)
    if is_noqa and codes is None:
        return True, None
    silenced = set(codes or ())
    silenced |= noqa_aliases(silenced)
    silenced |= pylint_aliases(parse_pylint_disable(comment))
    return (is_noqa or bool(silenced)), frozenset(silenced)


def noqa_edit(text: str, line: int, code: str) -> Edit:
    """The edit that silences ``code`` on ``line`` (an editor's "ignore this
    finding"): the code added to the ``# noqa: ...`` the statement already
    has, else ``  # noqa: CODE`` at the end of the statement's last line, the
    one line of a statement that can always hold a comment."""
    try:
        comments, statements = _comments_and_statements(text)
    except (tokenize.TokenError, SyntaxError):
        comments, statements = [], []
    first, last = next(((start, end) for start, end in statements if start <= line <= end), (line, line))
    lines = text_lines(text)
    for number, comment in comments:
        match = NOQA.search(comment) if first <= number <= last else None
        if match is not None and match.group("codes"):
            column = len(lines[number - 1]) - len(comment) + match.end("codes") + 1
            return Edit(number, column, number, column, f", {code}")
    content = lines[last - 1] if last <= len(lines) else ""
    end = len(content.rstrip()) + 1
    return Edit(last, end, last, len(content) + 1, f"  # noqa: {code}")


def _merge(a: CodeSet, b: CodeSet) -> CodeSet:
    if a is None or b is None:
        return None
    return a | b


class Suppressions:
    """Which codes are silenced on which line of one file, or of a part of
    it whose first line is ``first_line`` (lines are always the file's)."""

    def __init__(self, text: str, first_line: int = 1) -> None:
        offset = first_line - 1
        self._by_line = {line + offset: codes for line, codes in _suppressions_by_line(text).items()}

    def suppresses(self, code: str, line: int) -> bool:
        if line not in self._by_line:
            return False
        codes = self._by_line[line]
        return codes is None or code.startswith(tuple(codes))


def _suppressions_by_line(text: str) -> Dict[int, CodeSet]:
    try:
        comments, statements = _comments_and_statements(text)
    except (tokenize.TokenError, SyntaxError):
        comments = [(number, line) for number, line in enumerate(text.splitlines(), 1) if "#" in line]
        statements = []
    by_line: Dict[int, CodeSet] = {}
    for line, comment in comments:
        silences, codes = _silenced(comment)
        if silences:
            by_line[line] = _merge(by_line[line], codes) if line in by_line else codes
    for first, last in statements:
        found = [by_line[line] for line in range(first, last + 1) if line in by_line]
        if not found:
            continue
        merged = found[0]
        for codes in found[1:]:
            merged = _merge(merged, codes)
        for line in range(first, last + 1):
            by_line[line] = merged
    return by_line


def _comments_and_statements(text: str) -> Tuple[List[Tuple[int, str]], List[Tuple[int, int]]]:
    """Comments by line, and the line ranges of statements spanning several lines."""
    comments: List[Tuple[int, str]] = []
    statements: List[Tuple[int, int]] = []
    start: Optional[int] = None
    skip = {tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT, tokenize.ENCODING}
    tokens: Iterable[tokenize.TokenInfo] = tokenize.generate_tokens(io.StringIO(text, newline=None).readline)
    for token in tokens:
        if token.type == tokenize.COMMENT:
            comments.append((token.start[0], token.string))
        elif token.type in (tokenize.NEWLINE, tokenize.ENDMARKER):
            if start is not None and token.end[0] > start:
                statements.append((start, token.end[0]))
            start = None
        elif token.type not in skip and start is None:
            start = token.start[0]
    return comments, statements
