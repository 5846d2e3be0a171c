"""The documents the editor has open, as the editor has them.

Kept here rather than in pygls's workspace, which splits lines with
``str.splitlines`` (at form feeds, ``\\x1c``, ``\\u2028``...) where the
protocol and Python break only at ``\\r\\n``, ``\\r`` and ``\\n``: an
incremental change after a form feed would land on the wrong line. Documents
are keyed by the URI exactly as the client wrote it, and the diagnostics go
back under that same URI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterator, Optional, Sequence

from lsprotocol import types

from leaklint.server.positions import UTF16, LineIndex


@dataclass(eq=False)
class Document:
    """One open document; a document opened again is a new object."""

    uri: str
    text: str
    version: Optional[int]
    language_id: str


class Documents:
    def __init__(self) -> None:
        self._open: Dict[str, Document] = {}

    def open(self, item: types.TextDocumentItem) -> Document:
        document = Document(item.uri, item.text, item.version, item.language_id)
        self._open[item.uri] = document
        return document

    def change(
        self, uri: str, version: Optional[int], changes: Sequence[types.TextDocumentContentChangeEvent], encoding: str = UTF16
    ) -> Optional[Document]:
        document = self._open.get(uri)
        if document is None:
            return None
        text = document.text
        for change in changes:
            span = getattr(change, "range", None)
            if span is None:  # the whole text
                text = change.text
                continue
            index = LineIndex(text, encoding)
            start = index.offset(span.start.line, span.start.character)
            end = max(start, index.offset(span.end.line, span.end.character))
            text = text[:start] + change.text + text[end:]
        document.text, document.version = text, version
        return document

    def close(self, uri: str) -> Optional[Document]:
        return self._open.pop(uri, None)

    def get(self, uri: str) -> Optional[Document]:
        return self._open.get(uri)

    def __iter__(self) -> Iterator[Document]:
        return iter(list(self._open.values()))
