"""Latency of ``leaklint server``: from a change to its diagnostics.

For each file (by default, the standard library's modules of 900 to 1,100
lines), the server opens it, then the script makes ``--edits`` incremental
changes one after the other, as typing would (a comment typed a character at
a time at the end of lines chosen at random, so that no two versions are the
same), and times each from the ``didChange`` notification to the
``publishDiagnostics`` for that version: the server's wait for more changes
(``CHANGE_DELAY``), the lint and the protocol. Beside it, in the same run:
the same edits linted by the engine alone, in this process (what the server
cannot go below), and with ``--peer`` another language server on the same
edits (``ruff server``, for a ratio).

    python benchmarks/server.py                        # 17 stdlib files, 27 edits each
    python benchmarks/server.py --peer "ruff server"   # and ruff's server
    python benchmarks/server.py FILE ... --edits 100

Machines are noisy: read the ratios of one run, not the milliseconds of two.
"""

from __future__ import annotations

import argparse
import random
import shlex
import statistics
import sys
import sysconfig
import time
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from leaklint.batch.config import Settings
from leaklint.core.engine import lint_source
from leaklint.batch.runner import enabled_codes
from leaklint.server.app import CHANGE_DELAY
from leaklint.server.client import LanguageClient

# The standard library's modules of 900 to 1,100 lines (3.11), sysconfig data aside.
DEFAULT_FILES = (
    "random.py", "tempfile.py", "plistlib.py", "asyncio/sslproto.py", "asyncio/windows_events.py",
    "multiprocessing/pool.py", "logging/config.py", "socket.py", "ftplib.py", "aifc.py",
    "multiprocessing/connection.py", "asyncio/tasks.py", "xmlrpc/server.py", "cgi.py", "functools.py",
    "traceback.py", "nntplib.py",
)
TYPED = "  # noted"  # typed a character an edit
# Lines a comment cannot follow: a continuation, the end of a string spanning lines.
_NOT_COMMENTABLE = ("\\", '"""', "'''", ",")


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def edits(text: str, count: int, seed: str) -> Iterator[Tuple[int, int, str]]:
    """(line, character, inserted), 0-based: ``TYPED`` typed at the end of
    lines chosen at random (seeded by the file's name)."""
    lines = text.splitlines()
    chosen = random.Random(seed)
    while count > 0:
        line = chosen.randrange(len(lines))
        content = lines[line].rstrip()
        if not content.strip() or content.endswith(_NOT_COMMENTABLE) or "#" in content:
            continue
        for offset, character in enumerate(TYPED[:count]):
            yield line, len(lines[line]) + offset, character
        count -= len(TYPED)


def server_latencies(command: Optional[Sequence[str]], path: Path, count: int) -> List[float]:
    text = path.read_text(encoding="utf-8")
    uri = path.resolve().as_uri()
    with LanguageClient(command, cwd=str(path.parent)) as client:
        client.initialize(path.parent.resolve().as_uri())
        client.open(uri, text)
        client.diagnostics(uri, version=1, timeout=120)
        latencies = []
        for version, (line, character, inserted) in enumerate(edits(text, count, path.name), start=2):
            at = {"line": line, "character": character}
            change = {"range": {"start": at, "end": at}, "text": inserted}
            began = time.perf_counter()
            client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [change]},
            )
            client.diagnostics(uri, version=version, timeout=120)
            latencies.append(time.perf_counter() - began)
        client.close()
    return latencies


def engine_times(path: Path, count: int) -> List[float]:
    text = path.read_text(encoding="utf-8")
    codes = enabled_codes(Settings(), str(path))
    lint_source(text.encode("utf-8"), str(path), codes)  # imports and first-use caches, as at the server's open
    lines = text.splitlines(keepends=True)
    times = []
    for line, character, inserted in edits(text, count, path.name):
        body = lines[line].rstrip("\r\n")
        lines[line] = body[:character] + inserted + body[character:] + lines[line][len(body) :]
        edited = "".join(lines).encode("utf-8")
        began = time.perf_counter()
        lint_source(edited, str(path), codes)
        times.append(time.perf_counter() - began)
    return times


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--edits", type=int, default=3 * len(TYPED), help="edits per file")
    parser.add_argument("--peer", help="another language server's command, timed on the same edits")
    args = parser.parse_args(argv)
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = args.files or [stdlib / name for name in DEFAULT_FILES]
    peer = shlex.split(args.peer) if args.peer else None
    peer_name = Path(peer[0]).name if peer else ""

    print(
        f"leaklint server (CHANGE_DELAY {_ms(CHANGE_DELAY)}), default selection; {args.edits} edits a file; "
        f"Python {sys.version.split()[0]}\n"
    )
    header = "| file | lines | engine p50 | server p50 | server p95 | server max |"
    rule = "|---|---:|---:|---:|---:|---:|"
    if peer:
        header += f" {peer_name} p50 | {peer_name} p95 | server p95 ÷ {peer_name} |"
        rule += "---:|---:|---:|"
    print(header)
    print(rule)
    every: Dict[str, List[float]] = {"engine": [], "server": [], "peer": []}
    for path in files:
        lines = len(path.read_text(encoding="utf-8").splitlines())
        engine = engine_times(path, args.edits)
        server = server_latencies(None, path, args.edits)
        every["engine"] += engine
        every["server"] += server
        row = (
            f"| {path.relative_to(stdlib) if path.is_relative_to(stdlib) else path} | {lines} | "
            f"{_ms(statistics.median(engine))} | {_ms(statistics.median(server))} | "
            f"{_ms(percentile(server, 0.95))} | {_ms(max(server))} |"
        )
        if peer:
            other = server_latencies(peer, path, args.edits)
            every["peer"] += other
            row += (
                f" {_ms(statistics.median(other))} | {_ms(percentile(other, 0.95))} | "
                f"{percentile(server, 0.95) / percentile(other, 0.95):.0f} |"
            )
        print(row, flush=True)
    server = every["server"]
    print(
        f"\nall {len(server)} edits: server p50 {_ms(statistics.median(server))}, "
        f"p95 {_ms(percentile(server, 0.95))} (goal: p95 <= 100 ms), max {_ms(max(server))}; "
        f"engine p50 {_ms(statistics.median(every['engine']))}, p95 {_ms(percentile(every['engine'], 0.95))}"
    )
    if peer:
        print(f"{peer_name}: p50 {_ms(statistics.median(every['peer']))}, p95 {_ms(percentile(every['peer'], 0.95))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
