"""A small Language Server Protocol client that drives ``leaklint server`` in
a child process over its standard input and output, as an editor does.

For the tests and the latency benchmark (``benchmarks/server.py``); it
speaks plain JSON-RPC, without pygls, so that it checks what the server
really writes.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time
from typing import IO, Any, Callable, Dict, List, Optional, Sequence

Message = Dict[str, Any]
# The server as an editor starts it: not ``python -m``, which would put the
# current folder (the project being edited) first on the module path.
SERVER_COMMAND = (
    sys.executable,
    "-c",
    "import sys; del sys.path[0]; from leaklint.cli import main; sys.exit(main(['server']))",
)


class ServerError(Exception):
    """The server answered a request with an error, or did not answer in time."""


class LanguageClient:
    def __init__(self, command: Optional[Sequence[str]] = None, cwd: Optional[str] = None) -> None:
        self.process = subprocess.Popen(
            list(command or SERVER_COMMAND),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
        )
        self._next_id = 0
        self._responses: Dict[int, "queue.Queue[Message]"] = {}
        self.notifications: "queue.Queue[Message]" = queue.Queue()
        # Every publishDiagnostics, in the order the server sent them (never dropped).
        self.published: List[Message] = []
        self._lock = threading.Lock()
        self._gone = threading.Event()
        self.stderr: List[bytes] = []  # what the server logged, for a failing test to show
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()
        threading.Thread(target=self._drain, args=(self.process.stderr,), daemon=True).start()

    # -- framing -------------------------------------------------------------------

    def send(self, message: Message) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        with self._lock:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            length = None
            while True:
                header = stream.readline()
                if not header:  # the server closed its output: nothing more will come
                    self._gone.set()
                    return
                if header in (b"\r\n", b"\n"):
                    break
                name, _, value = header.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            if length is None:
                continue
            message = json.loads(stream.read(length))
            if "id" in message and "method" in message:  # a request from the server: accept it
                self.send({"id": message["id"], "result": None})
                self.notifications.put(message)
            elif "id" in message:
                self._responses.setdefault(message["id"], queue.Queue()).put(message)
            else:
                if message.get("method") == "textDocument/publishDiagnostics":
                    self.published.append(message["params"])
                self.notifications.put(message)

    def _drain(self, stream: IO[bytes]) -> None:
        for line in stream:
            self.stderr.append(line)

    # -- requests and notifications ----------------------------------------------

    def request(self, method: str, params: Any = None, timeout: float = 30) -> Any:
        self._next_id += 1
        number = self._next_id
        answers = self._responses.setdefault(number, queue.Queue())
        self.send({"id": number, "method": method, "params": params})
        answer = self._next(answers, timeout, f"no answer to {method}")
        if "error" in answer:
            raise ServerError(f"{method}: {answer['error']}")
        return answer.get("result")

    def _next(self, messages: "queue.Queue[Message]", timeout: float, missing: str) -> Message:
        """The next of ``messages``; an error once ``timeout`` has passed or the server has exited."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                return messages.get(timeout=min(0.1, max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                if self._gone.is_set() and messages.empty():
                    log = b"".join(self.stderr).decode("utf-8", "replace")[-2000:]
                    raise ServerError(f"{missing}: the server exited (status {self.process.poll()}); it said: {log}") from None
                if time.monotonic() >= deadline:
                    raise ServerError(f"{missing} within {timeout:.0f} s") from None

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"method": method, "params": params})

    def wait_for(
        self, method: str, where: Callable[[Any], bool] = lambda params: True, timeout: float = 30
    ) -> Any:
        """The params of the next notification ``method`` that satisfies
        ``where``; others of that method before it are dropped, other
        methods are kept in ``skipped``."""
        deadline = time.monotonic() + timeout
        skipped: List[Message] = []
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ServerError(f"no {method} within {timeout} s")
                message = self._next(self.notifications, remaining, f"no {method}")
                if message.get("method") == method and where(message.get("params")):
                    return message.get("params")
                if message.get("method") != method:
                    skipped.append(message)
        finally:
            for message in skipped:
                self.notifications.put(message)

    def diagnostics(self, uri: str, version: Optional[int] = None, timeout: float = 30) -> List[Message]:
        """The next diagnostics published for ``uri`` (for ``version``, if given)."""
        params = self.wait_for(
            "textDocument/publishDiagnostics",
            lambda params: params["uri"] == uri and (version is None or params.get("version") == version),
            timeout,
        )
        return params["diagnostics"]

    # -- a session -----------------------------------------------------------------

    def initialize(self, root_uri: Optional[str], capabilities: Optional[Message] = None) -> Message:
        result = self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": root_uri,
                "workspaceFolders": [{"uri": root_uri, "name": "workspace"}] if root_uri else None,
                "capabilities": capabilities or {},
            },
        )
        self.notify("initialized", {})
        return result

    def open(self, uri: str, text: str, version: int = 1) -> None:
        document = {"uri": uri, "languageId": "python", "version": version, "text": text}
        self.notify("textDocument/didOpen", {"textDocument": document})

    def change(self, uri: str, text: str, version: int) -> None:
        """Replace the whole text (clients may send whole texts even to an incremental server)."""
        self.notify(
            "textDocument/didChange",
            {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
        )

    def close(self, timeout: float = 10) -> int:
        """``shutdown`` then ``exit``; the server's exit status."""
        try:
            self.request("shutdown", timeout=timeout)
            self.notify("exit")
            return self.process.wait(timeout=timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()

    def __enter__(self) -> "LanguageClient":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self.process.poll() is None:
            self.close()
