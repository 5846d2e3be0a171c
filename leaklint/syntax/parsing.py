"""Parsing with guards.

Python's own parser (``ast``) decides whether a file is valid Python (LL001).
libcst parses only files that some rule needs, and only once ``ast`` accepted
them and their nesting is shallow enough for libcst's recursive parser and
visitors (LL003 otherwise); libcst's native parser can overflow the C stack
and kill the process on input that ``ast`` accepts: deep expressions on newer
interpreters, and on every interpreter a long ``and``/``or`` chain, which
``ast`` keeps flat but libcst nests one level per operator (a 10,000-term
chain is a segmentation fault in libcst 1.9).
"""

from __future__ import annotations

import ast
import contextlib
import re
import sys
import threading
import warnings
from contextvars import ContextVar
from functools import lru_cache
from types import FrameType
from typing import Iterator, Optional

from leaklint.syntax.lazy import libcst as cst
from leaklint.syntax.diagnostics import PARSE_ERROR, UNSUPPORTED_SYNTAX

# Deeper than this, libcst is not asked to parse or visit the tree. Python
# 3.9-3.11 refuse expressions nested much deeper than ~3000 themselves.
MAX_CST_DEPTH = 3000
# Python frames needed to visit a tree of MAX_CST_DEPTH (several per level).
CST_RECURSION_LIMIT = 8 * MAX_CST_DEPTH
# Python's parser counts the caller's frames against the recursion limit (on
# 3.9-3.11 a frame is worth three levels of nesting), so the same file could
# pass when parsed in this process and fail in a worker, deeper in the stack.
# It parses with this many frames free, as a fresh interpreter running the
# file would at the default limit: the verdict is the file's alone.
PARSER_FRAMES = 1000
# Source with fewer 'and'/'or' substrings than this cannot nest deep through
# boolean chains; with more, ``parse_cst`` measures before calling libcst.
BOOL_CHAIN_GATE = 500


class ParseFailure(Exception):
    """A file that cannot be analysed: ``code`` is LL001 or LL003."""

    def __init__(self, code: str, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = max(line, 1)
        self.column = max(column, 1)


def parse_ast(text: str, filename: str) -> ast.Module:
    """Parse with the interpreter's parser; failures become LL001."""
    try:
        with warnings.catch_warnings(), frames_above_caller(PARSER_FRAMES):
            warnings.simplefilter("ignore")  # SyntaxWarning would go to stderr
            return ast.parse(text, filename=filename, type_comments=False)
    except SyntaxError as exc:
        if exc.lineno is None and "\0" in text:  # null bytes: Python gives no position
            line, column = _first_null(text)
            raise ParseFailure(PARSE_ERROR, exc.msg, line, column) from None
        raise ParseFailure(
            PARSE_ERROR, f"syntax error: {exc.msg or 'invalid syntax'}", exc.lineno or 1, exc.offset or 1
        ) from None
    except ValueError as exc:  # null bytes, before Python 3.11
        line, column = _first_null(text)
        raise ParseFailure(PARSE_ERROR, str(exc), line, column) from None
    except RecursionError:
        raise ParseFailure(
            PARSE_ERROR, "too deeply nested for Python's parser (maximum recursion depth exceeded)"
        ) from None
    except MemoryError:
        raise ParseFailure(PARSE_ERROR, "too large for Python's parser (out of memory)") from None


def _first_null(text: str) -> tuple[int, int]:
    offset = text.find("\0")
    if offset < 0:
        return 1, 1
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def ast_may_exceed_cst_depth() -> bool:
    """Whether ``ast.parse`` can accept trees deeper than libcst can take.

    Up to Python 3.11 the parser's own limit follows the recursion limit
    (about three levels a frame), so the default limit already keeps trees
    shallow enough; later versions have a C-level limit of their own.
    """
    return sys.version_info >= (3, 12) or 3 * sys.getrecursionlimit() > MAX_CST_DEPTH


def exceeds_depth(tree: ast.AST, limit: int = MAX_CST_DEPTH, *, as_libcst: bool = False) -> bool:
    """Whether any node of ``tree`` lies deeper than ``limit`` (iterative, stops early).

    ``as_libcst``: count the depth libcst's tree will have, where ``a and b
    and c`` is two nested nodes (``ast`` has one ``BoolOp`` with three values).
    """
    stack = [(tree, 0)]
    iter_children = ast.iter_child_nodes
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        depth += 1
        if as_libcst and isinstance(node, ast.BoolOp):
            depth += len(node.values) - 2
        stack.extend((child, depth) for child in iter_children(node))
    return False


def _too_deep_for_libcst(text: str) -> bool:
    """Whether libcst's tree of ``text`` (a top-level statement that ``ast``
    accepted within the file) would nest deeper than MAX_CST_DEPTH through
    ``and``/``or`` chains. Cheap unless the words are frequent."""
    if text.count("and") + text.count("or") < BOOL_CHAIN_GATE:
        return False
    try:
        with warnings.catch_warnings(), frames_above_caller(PARSER_FRAMES):
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return False  # libcst gives its own verdict
    except (RecursionError, MemoryError):
        return True
    return exceeds_depth(tree, as_libcst=True)


def stack_depth() -> int:
    """Frames on the stack of the calling thread, the caller's included."""
    depth = 0
    frame: Optional[FrameType] = sys._getframe(1)
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


# How far the probe of ``counted_depth`` may go above the Python frames.
_PROBE_MARGIN = 64


def counted_depth() -> int:
    """The caller's depth as the interpreter counts it against the recursion
    limit. Python 3.11 also counts calls made through C (``exec`` in
    ``runpy``, a console script's entry point), which no frame shows: the
    same code is deeper by a few under ``python -m`` than under a script. So
    the frames are counted, and then what is left below a limit just above
    them is measured. Only with this thread alone: lowering the limit for a
    moment would fail other threads' deep calls."""
    frames = stack_depth() - 1
    if threading.active_count() > 1:
        return frames
    previous = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(frames + _PROBE_MARGIN)
    except RecursionError:
        return frames  # deeper through C than the margin allows: counted by frames
    try:
        # ``_room`` starts two calls above the caller (this function, then itself).
        return frames + _PROBE_MARGIN - _room() - 2
    finally:
        sys.setrecursionlimit(previous)


def _room(calls: int = 0) -> int:
    """How many calls deeper this one can go before the recursion limit."""
    try:
        return _room(calls + 1)
    except RecursionError:
        return calls


@contextlib.contextmanager
def frames_above_caller(frames: int) -> Iterator[None]:
    """Set the recursion limit so that ``frames`` frames are free above the
    caller for the duration, whatever its depth, so that recursive code gives
    the same verdict wherever it is called from: in this process, in a
    worker, under flake8 or pytest (``counted_depth``). The limit is the
    interpreter's, not the thread's: with other threads running it is only
    ever raised, never lowered under a deeper one."""
    previous = sys.getrecursionlimit()
    limit = counted_depth() + frames
    if threading.active_count() > 1:
        limit = max(limit, previous)
    sys.setrecursionlimit(limit)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


@contextlib.contextmanager
def recursion_limit(limit: int) -> Iterator[None]:
    """Raise the interpreter's recursion limit for the duration (never lower it)."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, limit))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


# A parenthesized name as an annotated target, ``(x): int = 1``: valid Python
# that libcst (1.9 and earlier) rejects. The regex is a cheap first look.
_LINE_END = re.compile(r"\r\n|\r|\n")
_PARENTHESIZED_TARGET = re.compile(r"^[ \t]*\(+[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*\)+[ \t]*:", re.MULTILINE)


def libcst_unsupported(text: str, tree: ast.Module) -> "ParseFailure | None":
    """LL003 for constructs libcst cannot parse, found without running libcst.

    The verdict must not depend on whether any rule wanted libcst for the file.
    """
    if not _PARENTHESIZED_TARGET.search(text):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and not node.simple and isinstance(node.target, ast.Name):
            return ParseFailure(
                UNSUPPORTED_SYNTAX,
                "libcst cannot parse a parenthesized annotated target such as '(x): int'; "
                "the file was not analysed",
                node.lineno,
                _character_column(text, node.lineno, node.col_offset),
            )
    return None


def _character_column(text: str, line: int, byte_offset: int) -> int:
    """1-based column in characters of ``ast``'s UTF-8 byte offset on ``line``."""
    lines = _LINE_END.split(text)  # Python's line ends only (not str.splitlines()'s \f, \u2028...)
    if not 1 <= line <= len(lines):
        return byte_offset + 1
    prefix = lines[line - 1].encode("utf-8", "surrogatepass")[:byte_offset]
    return len(prefix.decode("utf-8", "replace")) + 1


# An editor lints one file again after each change of a few characters:
# within ``reusing_trees()``, a statement whose text has not changed keeps
# its libcst tree (trees are immutable; metadata is computed afresh).
_TREES_KEPT = 512
_reusing_trees: "ContextVar[bool]" = ContextVar("leaklint_reusing_trees", default=False)


@contextlib.contextmanager
def reusing_trees() -> Iterator[None]:
    token = _reusing_trees.set(True)
    try:
        yield
    finally:
        _reusing_trees.reset(token)


def parse_cst(text: str) -> cst.Module:
    """Parse with libcst; source that Python accepts but libcst does not is LL003."""
    if _reusing_trees.get():
        return _kept_tree(text)
    return _parse_cst(text)


@lru_cache(maxsize=_TREES_KEPT)
def _kept_tree(text: str) -> cst.Module:
    return _parse_cst(text)


def _parse_cst(text: str) -> cst.Module:
    if _too_deep_for_libcst(text):
        raise ParseFailure(
            UNSUPPORTED_SYNTAX, "nested too deeply for libcst (a long 'and'/'or' chain); this statement was not analysed"
        )
    try:
        with recursion_limit(CST_RECURSION_LIMIT):
            return cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        detail = str(exc).splitlines()[0] if str(exc) else "parser error"
        raise ParseFailure(
            UNSUPPORTED_SYNTAX,
            f"libcst cannot parse this file ({detail}); it was not analysed",
            exc.raw_line,
            exc.raw_column + 1,
        ) from None
    except RecursionError:
        raise ParseFailure(UNSUPPORTED_SYNTAX, "too deeply nested for libcst; the file was not analysed") from None
    except MemoryError:
        raise ParseFailure(UNSUPPORTED_SYNTAX, "too large for libcst (out of memory); the file was not analysed") from None
