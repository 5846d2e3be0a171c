"""``leaklint server``: the language server, over standard input and output.

Documents are linted when opened and saved, and shortly after each change
(``CHANGE_DELAY``: a burst of keystrokes is linted once, at its end). One
thread lints, one document at a time, so the protocol stays answered while
it works; a document changed again before its turn is linted only in its
newest version, and results for a version the editor has moved past are
dropped. When a document changes, the open documents whose findings read it
as a project module are linted again; so are all of them when a
``pyproject.toml`` changes.

A failure while linting one document is logged to the client and leaves the
server running.
"""

from __future__ import annotations

import asyncio
import os
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidRequest
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import lsp_method
from pygls.uris import to_fs_path

from leaklint import __version__
from leaklint.core.finding import Finding
from leaklint.fixes import Fix
from leaklint.server.documents import Document, Documents
from leaklint.server.linting import LintedText, WorkspaceLinter, is_configuration
from leaklint.server.positions import UTF8, UTF16, UTF32, LineIndex
from leaklint.server.protocol import FIX_ALL_KIND, SOURCE, code_actions, diagnostic, fix_all_action

# Seconds between the last change of a burst and its lint.
CHANGE_DELAY = 0.0
_ENCODINGS: Dict[str, str] = {
    types.PositionEncodingKind.Utf8.value: UTF8,
    types.PositionEncodingKind.Utf16.value: UTF16,
    types.PositionEncodingKind.Utf32.value: UTF32,
}
_WATCHERS = ("**/pyproject.toml", "**/*.py", "**/*.pyi")


@dataclass(frozen=True)
class _Snapshot:
    """A document as it was when its lint was started."""

    document: Document  # the open document (a document opened again is another)
    path: str
    text: str
    version: Optional[int]
    buffers: Mapping[str, str]
    changed: bool  # its text changed (rather than a module it reads)

    @property
    def uri(self) -> str:
        return self.document.uri

    def is_current(self, documents: Documents) -> bool:
        """The editor still has this text: same document, same version."""
        document = documents.get(self.uri)
        return document is self.document and document.version == self.version and document.text == self.text


@dataclass
class _Published:
    version: Optional[int]
    findings: List[Finding] = field(default_factory=list)
    reads: FrozenSet[str] = frozenset()


class _Protocol(LanguageServerProtocol):
    def handle_message(self, message: Any) -> None:
        # The protocol asks for an error answer to a request after shutdown;
        # pygls would leave it unanswered, and a client would wait forever.
        method = getattr(message, "method", None)
        if self._shutdown and method and method != types.EXIT and getattr(message, "id", None) is not None:
            error = JsonRpcInvalidRequest(message="the server is shutting down")
            self._send_response(message.id, error=error.to_response_error())
            return
        super().handle_message(message)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Any:
        # The server keeps the documents itself (``leaklint.server.documents``):
        # pygls's copy splits lines where the protocol does not, and applying
        # a change to it can alter the change's range before the server sees it.
        handler = self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)
        if handler is not None:
            yield handler, (params,), None


class LeaklintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            name=SOURCE,
            version=__version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=_Protocol,
        )
        self.linter = WorkspaceLinter(None, self._show_error_soon)
        self.documents = Documents()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        # (uri, the document, version) -> the fixed text of "fix all", or None
        self._fixed_all: Dict[Tuple[str, int, Optional[int]], Optional[str]] = {}
        self._lint_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="leaklint-lint")
        self._timers: Dict[str, asyncio.TimerHandle] = {}
        self._changed: Dict[str, bool] = {}
        self._newest: Dict[str, _Snapshot] = {}
        self._published: Dict[str, _Published] = {}
        self.stopped = False  # ``shutdown`` was asked for: ``exit`` then ends with status 0

    # -- messages to the client --------------------------------------------------

    def _log(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=message))

    def _show_error(self, message: str) -> None:
        self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=f"leaklint: {message}"))

    def _show_error_soon(self, message: str) -> None:
        """From the lint thread: messages are written from the event loop's thread only."""
        self._on_loop(self._show_error, message)

    def _on_loop(self, function: Any, *args: Any) -> None:
        if self._loop is None:
            return
        try:
            self._loop.call_soon_threadsafe(function, *args)
        except RuntimeError:
            pass  # the loop has closed: the server is ending

    def report_server_error(self, error: Exception, source: Any) -> None:
        detail = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        self._log(f"leaklint: internal error, please report it: {detail}", types.MessageType.Error)

    # -- documents -----------------------------------------------------------------

    def encoding(self) -> str:
        encoding = self.workspace.position_encoding
        return _ENCODINGS.get(getattr(encoding, "value", encoding) or "", UTF16)

    def path_of(self, uri: str) -> str:
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path is None:  # an unsaved buffer ("untitled:"): linted as a file of the workspace
            name = os.path.basename(unquote(urlparse(uri).path)) or "untitled"
            path = os.path.join(self.linter.root, name if name.endswith((".py", ".pyi")) else name + ".py")
        return path

    def _open_texts(self) -> Dict[str, str]:
        texts = {}
        for document in self.documents:
            if document.uri.startswith("file:"):
                path = to_fs_path(document.uri)
                if path is not None:
                    texts[os.path.abspath(path)] = document.text
        return texts

    def schedule(self, uri: str, delay: float, changed: bool) -> None:
        """Lint ``uri`` after ``delay`` seconds, once for all the requests in between."""
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        self._changed[uri] = self._changed.get(uri, False) or changed
        self._loop = asyncio.get_running_loop()
        self._timers[uri] = self._loop.call_later(delay, self._start, uri)

    def _start(self, uri: str) -> None:
        self._timers.pop(uri, None)
        changed = self._changed.pop(uri, False)
        document = self.documents.get(uri)
        if document is None or not _is_python(document.language_id, uri):
            return
        waiting = self._newest.get(uri)
        if waiting is not None:  # not linted yet, and never will be: what it was owed passes on
            changed = changed or waiting.changed
        snapshot = _Snapshot(document, self.path_of(uri), document.text, document.version, self._open_texts(), changed)
        self._newest[uri] = snapshot
        future = self._lint_thread.submit(self._lint, snapshot)
        future.add_done_callback(lambda done: self._on_loop(self._finish, snapshot, done))

    def _lint(self, snapshot: _Snapshot) -> Optional[LintedText]:
        if self._newest.get(snapshot.uri) is not snapshot:
            return None  # a newer version is waiting its turn: lint that one
        return self.linter.lint(snapshot.path, snapshot.text, snapshot.buffers) or LintedText([], frozenset())

    def _finish(self, snapshot: _Snapshot, done: "Future[Optional[LintedText]]") -> None:
        if self._newest.get(snapshot.uri) is snapshot:
            del self._newest[snapshot.uri]
        if done.cancelled():
            return  # the server is shutting down
        try:
            linted = done.result()
        except Exception as error:  # one document's failure is a log line, never a dead server
            self.report_server_error(error, None)
            return
        if linted is None or not snapshot.is_current(self.documents):
            return  # superseded, or closed meanwhile
        index = LineIndex(snapshot.text, self.encoding())
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=snapshot.uri,
                version=snapshot.version,
                diagnostics=[diagnostic(finding, index, snapshot.version) for finding in linted.findings],
            )
        )
        self._published[snapshot.uri] = _Published(snapshot.version, linted.findings, linted.reads)
        if snapshot.changed:
            self.lint_dependents([os.path.abspath(snapshot.path)], but=snapshot.uri)

    def lint_dependents(self, paths: Sequence[str], but: Optional[str] = None) -> None:
        """Lint again the open documents whose last lint read one of ``paths``."""
        changed = set(paths)
        for uri, published in list(self._published.items()):
            if uri != but and not changed.isdisjoint(published.reads):
                self.schedule(uri, CHANGE_DELAY, changed=False)

    def lint_all(self) -> None:
        for document in self.documents:
            self.schedule(document.uri, 0, changed=False)

    def forget(self, uri: str, publish: bool = True) -> None:
        timer = self._timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        self._changed.pop(uri, None)
        self._newest.pop(uri, None)
        self._published.pop(uri, None)
        self._fixed_all = {key: text for key, text in self._fixed_all.items() if key[0] != uri}
        if publish:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def stop(self) -> None:
        self.stopped = True
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        self._lint_thread.shutdown(wait=False, cancel_futures=True)

    # -- code actions --------------------------------------------------------------

    async def actions(self, params: types.CodeActionParams) -> List[types.CodeAction]:
        uri = params.text_document.uri
        document = self.documents.get(uri)
        if document is None:
            return []
        only = params.context.only
        text, version = document.text, document.version
        index = LineIndex(text, self.encoding())
        found: List[types.CodeAction] = []
        if _wanted(types.CodeActionKind.QuickFix.value, only):
            ours = [item for item in params.context.diagnostics if item.source == SOURCE]
            found += code_actions(uri, text, version, index, ours)
        # "Fix all" lints the file in rounds: only when asked for by kind (on
        # save) or from a menu the user opened, not for every cursor move.
        automatic = params.context.trigger_kind == types.CodeActionTriggerKind.Automatic
        if _wanted(FIX_ALL_KIND, only) and (only is not None or not automatic):
            fixed = await self._fix_all(document)
            if fixed is not None and document.text == text and self.documents.get(uri) is document:
                found.append(fix_all_action(uri, text, fixed, index))
        return found

    async def _fix_all(self, document: Document) -> Optional[str]:
        key = (document.uri, id(document), document.version)
        if key not in self._fixed_all:
            published = self._published.get(document.uri)
            if published is not None and published.version == document.version and not any(
                map(_has_safe_fix, published.findings)
            ):
                return None  # the latest findings of this version have no safe fix
            loop = asyncio.get_running_loop()
            path, text, buffers = self.path_of(document.uri), document.text, self._open_texts()
            fixed = await loop.run_in_executor(self._lint_thread, self.linter.fix_all, path, text, buffers)
            self._fixed_all = {k: v for k, v in self._fixed_all.items() if k[0] != document.uri}
            self._fixed_all[key] = fixed
        return self._fixed_all[key]


def _has_safe_fix(finding: Finding) -> bool:
    fix = Fix.loads(finding.fix)
    return fix is not None and fix.safe


def _is_python(language_id: Optional[str], uri: str) -> bool:
    return language_id == "python" or uri.endswith((".py", ".pyi"))


def _wanted(kind: str, only: Optional[Sequence[str]]) -> bool:
    """Whether a client that asked for the kinds ``only`` wants ``kind``."""
    if only is None:
        return True
    return any(kind == str(wanted) or kind.startswith(f"{wanted}.") for wanted in map(_kind_value, only))


def _kind_value(kind: Any) -> str:
    return kind.value if isinstance(kind, types.CodeActionKind) else str(kind)


def build_server() -> LeaklintServer:
    server = LeaklintServer()

    @server.feature(types.INITIALIZED)
    def initialized(params: types.InitializedParams) -> None:
        server.linter.root = Path(_workspace_root(server))
        workspace = server.client_capabilities.workspace
        watched = workspace.did_change_watched_files if workspace is not None else None
        if watched is not None and watched.dynamic_registration:
            options = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=pattern) for pattern in _WATCHERS]
            )
            registration = types.Registration(
                id="leaklint-watched-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES, register_options=options
            )
            server.client_register_capability(types.RegistrationParams(registrations=[registration]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        server.forget(params.text_document.uri, publish=False)  # opened again: nothing of before holds
        server.documents.open(params.text_document)
        server.schedule(params.text_document.uri, 0, changed=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        uri, version = params.text_document.uri, params.text_document.version
        if server.documents.change(uri, version, params.content_changes, server.encoding()) is not None:
            server.schedule(uri, CHANGE_DELAY, changed=True)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        if is_configuration(server.path_of(params.text_document.uri)):
            server.lint_all()
        else:
            server.schedule(params.text_document.uri, 0, changed=False)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        server.documents.close(uri)
        server.forget(uri)
        server.lint_dependents([os.path.abspath(server.path_of(uri))])  # they read it from disk now

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(params: types.DidChangeWatchedFilesParams) -> None:
        found = [to_fs_path(change.uri) for change in params.changes if change.uri.startswith("file:")]
        paths = [os.path.abspath(path) for path in found if path]
        if any(is_configuration(path) for path in paths):
            server.lint_all()
        else:
            server.lint_dependents(paths)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    async def code_action(params: types.CodeActionParams) -> List[types.CodeAction]:
        return await server.actions(params)

    @server.feature(types.SHUTDOWN)
    def shutdown(params: Any) -> None:
        server.stop()

    return server


def _workspace_root(server: LeaklintServer) -> str:
    folders = list(server.workspace.folders.values())
    if folders:
        path = to_fs_path(folders[0].uri)
        if path:
            return path
    return server.workspace.root_path or os.getcwd()


def serve(args: Sequence[str]) -> int:
    """``leaklint server``: speak LSP on standard input and output until
    ``exit``; the status is 0 after a ``shutdown``, 1 without (as the
    protocol asks), also when the client goes away."""
    server = build_server()
    try:
        server.start_io()
    finally:
        shut_down = server.stopped
        server.stop()  # queued lints are dropped, not run, when the client goes away
    return 0 if shut_down else 1

