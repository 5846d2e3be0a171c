"""Turn a file's bytes into text exactly as the interpreter would (PEP 263, BOM)."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass
from typing import List

# Where a line ends, for Python and for the editors' protocol alike: not at
# form feeds or the other separators ``str.splitlines`` also splits at.
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def text_lines(text: str) -> List[str]:
    """The text's lines as Python numbers them, without their line breaks."""
    return LINE_BREAK.split(text)


def line_starts(text: str) -> List[int]:
    """The offset where each line starts."""
    return [0, *(match.end() for match in LINE_BREAK.finditer(text))]


class DecodeError(Exception):
    """The bytes cannot be decoded as Python source; carries a 1-based position."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True)
class SourceText:
    text: str
    encoding: str


def decode_source(data: bytes) -> SourceText:
    """Decode with the encoding declared by a BOM or coding cookie (default UTF-8).

    Bytes that are not UTF-8 inside comments of UTF-8 source do not stop
    Python's parser (``ast.parse`` and the importer accept the file; only
    ``python file.py`` refuses it), so they do not stop leaklint either: they
    are decoded as U+FFFD, which changes no code.
    """
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        # Undecodable bytes in the first two lines, an unknown codec, or a
        # cookie that contradicts the BOM. Say which bytes when it is the first.
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as decode_error:
            found = _encoding_despite_bad_bytes(data)
            if found is None:
                raise _undecodable(data, decode_error, "utf-8") from None
            encoding = found
        else:
            raise DecodeError(exc.msg, exc.lineno or 1) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding in ("utf-8", "utf-8-sig") and _python_accepts(data):
            return SourceText(text=data.decode(encoding, "replace"), encoding=encoding)
        raise _undecodable(data, exc, encoding) from None
    except LookupError:
        raise DecodeError(f"unknown source encoding {encoding!r}") from None
    return SourceText(text=text, encoding=encoding)


def encode_source(text: str) -> bytes:
    """The bytes of source ``text`` in the encoding its coding cookie
    declares (UTF-8 when none, or when the cookie is unknown or
    contradictory: the engine, decoding by the cookie, then reports it)."""
    data = text.encode("utf-8", "surrogateescape")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        return data
    if encoding in ("utf-8", "utf-8-sig"):
        return data
    try:
        return text.encode(encoding)
    except (LookupError, UnicodeError):
        return data


def _encoding_despite_bad_bytes(data: bytes) -> "str | None":
    """The BOM or cookie of a file whose first two lines hold bytes that are
    not UTF-8 (``tokenize`` gives up on those; Python reads on)."""
    head = io.BytesIO(data)
    lines = [head.readline(), head.readline()]
    cleaned = b"".join(line.decode("utf-8", "replace").encode("utf-8") for line in lines)
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(cleaned).readline)
    except SyntaxError:
        return None
    return encoding


def _python_accepts(data: bytes) -> bool:
    import ast
    import warnings

    from leaklint.syntax.parsing import PARSER_FRAMES, frames_above_caller

    try:
        with warnings.catch_warnings(), frames_above_caller(PARSER_FRAMES):
            warnings.simplefilter("ignore")
            ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _undecodable(data: bytes, exc: UnicodeDecodeError, encoding: str) -> DecodeError:
    line, column = _position_of_offset(data, exc.start)
    return DecodeError(f"cannot decode file as {encoding}: invalid byte 0x{data[exc.start]:02x}", line, column)


def _position_of_offset(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1
