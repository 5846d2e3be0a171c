"""Robustness sweep: lint every Python file under some roots, report how it went.

    python -m leaklint.tools.sweep PATH... [-j N] [--select CODES] [--exclude-dir NAME]

Prints file and line counts, findings per code, LL001 split by whether
``ast.parse()`` agrees, internal errors (LL002), files whose worker died,
unreadable files, the slowest files and peak memory. Exits 1 if there is any
internal error, dead worker, LL001 that only leaklint raises, or file slower
than ``--max-seconds``; else 0.
"""

from __future__ import annotations

import argparse
import ast
import os
import resource
import sys
import time
import warnings
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from leaklint.core.engine import engine_failure, lint_source
from leaklint.core.finding import Finding
from leaklint.core.registry import all_codes
from leaklint.syntax.diagnostics import INTERNAL_ERROR, PARSE_ERROR

BATCH_SIZE = 16
# Only these are skipped by default: a robustness sweep covers everything else
# (``venv``, ``build``, ... that leaklint itself would skip).
ALWAYS_EXCLUDED_DIRS = frozenset({".git", "__pycache__"})
PYTHON_SUFFIXES = (".py", ".pyi")
SHOWN_ONLY_LEAKLINT = 20
SHOWN_SLOWEST = 10


@dataclass
class FileResult:
    path: str
    lines: int = 0
    seconds: float = 0.0
    findings: List[Finding] = field(default_factory=list)
    read_error: Optional[str] = None


@dataclass
class BatchResult:
    files: List[FileResult]
    max_rss_kb: int  # of the process that linted the batch


def lint_file(path: str, codes: Sequence[str]) -> FileResult:
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as exc:
        return FileResult(path, read_error=f"{type(exc).__name__}: {exc.strerror or exc}")
    lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    start = time.perf_counter()
    try:
        findings = lint_source(data, path, codes)
    except Exception as exc:  # the engine should never raise; record it and go on
        findings = [engine_failure(exc)]
    return FileResult(path, lines, time.perf_counter() - start, findings)


def lint_batch(paths: Sequence[str], codes: Sequence[str]) -> BatchResult:
    files = [lint_file(path, codes) for path in paths]
    return BatchResult(files, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def python_files(roots: Iterable[str], excluded_dirs: frozenset) -> List[str]:
    found = []
    for root in roots:
        if os.path.isfile(root):
            found.append(root)
            continue
        for directory, subdirs, names in os.walk(root):
            subdirs[:] = sorted(d for d in subdirs if d not in excluded_dirs)
            found.extend(os.path.join(directory, n) for n in sorted(names) if n.endswith(PYTHON_SUFFIXES))
    return found


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def batches_biggest_first(paths: List[str]) -> List[List[str]]:
    # Big files first so the slowest work does not end up alone at the tail.
    ordered = sorted(paths, key=_size, reverse=True)
    return [ordered[i : i + BATCH_SIZE] for i in range(0, len(ordered), BATCH_SIZE)]


def run_in_pool(batches: List[List[str]], codes: Sequence[str], jobs: int) -> Iterator[Tuple[List[str], Optional[BatchResult]]]:
    """(batch, result) for every batch; result None if its worker died.

    At most ``2 * jobs`` batches are in flight, so when the pool breaks only
    those are suspects: each is retried alone in a fresh one-worker pool (the
    one that kills it again is reported), then a new pool takes the rest.
    """
    pending = list(reversed(batches))  # pop() from the end = biggest first
    while pending:
        suspects: List[List[str]] = []
        with ProcessPoolExecutor(jobs) as pool:
            in_flight: Dict[Future, List[str]] = {}
            while (pending or in_flight) and not suspects:
                while pending and len(in_flight) < 2 * jobs:
                    batch = pending.pop()
                    in_flight[pool.submit(lint_batch, batch, codes)] = batch
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    batch = in_flight.pop(future)
                    try:
                        yield batch, future.result()
                    except BrokenProcessPool:
                        suspects.append(batch)
            suspects.extend(in_flight.values())  # broken too, or about to be
        for batch in suspects:
            with ProcessPoolExecutor(1) as alone:
                try:
                    yield batch, alone.submit(lint_batch, batch, codes).result()
                except BrokenProcessPool:
                    yield batch, None


def run_in_process(batches: List[List[str]], codes: Sequence[str]) -> Iterator[Tuple[List[str], Optional[BatchResult]]]:
    for batch in batches:
        yield batch, lint_batch(batch, codes)


def ast_rejects(path: str) -> bool:
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError:
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for odd escapes etc.
            ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return True
    return False


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m leaklint.tools.sweep", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes; 1 lints in this process")
    parser.add_argument("--select", default=",".join(all_codes()), help="comma-separated codes or prefixes (default: all)")
    parser.add_argument("--exclude-dir", action="append", default=[], metavar="NAME", help="directory name to skip (repeatable)")
    parser.add_argument("--max-seconds", type=float, default=2.0, help="slowest acceptable file (default: 2)")
    args = parser.parse_args(argv)
    prefixes = [p.strip().upper() for p in args.select.split(",") if p.strip()]
    args.codes = [code for code in all_codes() if code.startswith(tuple(prefixes))]
    if not args.codes:
        parser.error(f"--select {args.select!r} matches no code")
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    return args


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = parse_args(argv)
    paths = python_files(args.paths, ALWAYS_EXCLUDED_DIRS | set(args.exclude_dir))
    batches = batches_biggest_first(paths)
    started = time.perf_counter()
    if args.jobs == 1:
        results = run_in_process(batches, args.codes)
    else:
        results = run_in_pool(batches, args.codes, args.jobs)

    linted: List[FileResult] = []
    died: List[str] = []
    max_worker_rss_kb = 0
    for batch, result in results:
        if result is None:
            died.extend(batch)
            continue
        linted.extend(result.files)
        max_worker_rss_kb = max(max_worker_rss_kb, result.max_rss_kb)
    wall = time.perf_counter() - started

    unreadable = [f for f in linted if f.read_error is not None]
    read = [f for f in linted if f.read_error is None]
    per_code = Counter(finding.code for f in read for finding in f.findings)
    syntax_errors = [(f.path, x) for f in read for x in f.findings if x.code == PARSE_ERROR]
    only_leaklint = [(path, x) for path, x in syntax_errors if not ast_rejects(path)]
    internal_errors = [(f.path, x) for f in read for x in f.findings if x.code == INTERNAL_ERROR]
    slowest = sorted(read, key=lambda f: f.seconds, reverse=True)[:SHOWN_SLOWEST]
    too_slow = [f for f in read if f.seconds > args.max_seconds]

    out = sys.stdout
    print(f"files: {len(paths)} ({sum(f.lines for f in read)} lines) in {wall:.1f} s with {args.jobs} job(s)", file=out)
    print("findings per code:" + ("" if per_code else " none"), file=out)
    for code, count in sorted(per_code.items()):
        print(f"  {code}  {count}", file=out)
    print(f"LL001: {len(syntax_errors)}", file=out)
    print(f"  ast.parse() also rejects it: {len(syntax_errors) - len(only_leaklint)}", file=out)
    print(f"  only leaklint rejects it: {len(only_leaklint)}", file=out)
    for path, finding in only_leaklint[:SHOWN_ONLY_LEAKLINT]:
        print(f"    {path}:{finding.line}:{finding.column}: {finding.message}", file=out)
    print(f"internal errors (LL002): {len(internal_errors)}", file=out)
    for path, finding in internal_errors:
        print(f"  {path}:{finding.line}: {finding.message}", file=out)
    print(f"worker died: {len(died)}", file=out)
    for path in died:
        print(f"  {path}", file=out)
    print(f"unreadable: {len(unreadable)}", file=out)
    for f in unreadable:
        print(f"  {f.path}: {f.read_error}", file=out)
    print(f"slowest {len(slowest)} files:", file=out)
    for f in slowest:
        print(f"  {f.seconds:7.3f} s  {f.path}", file=out)
    # ru_maxrss is in kilobytes on Linux (bytes on macOS; this is a Linux tool).
    parent_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if args.jobs == 1:
        print(f"peak memory: {parent_rss_kb / 1024:.1f} MB (linted in-process)", file=out)
    else:
        print(f"peak memory: largest worker {max_worker_rss_kb / 1024:.1f} MB, parent {parent_rss_kb / 1024:.1f} MB", file=out)

    failures = []
    if internal_errors:
        failures.append(f"{len(internal_errors)} internal error(s)")
    if died:
        failures.append(f"{len(died)} file(s) in dead workers")
    if only_leaklint:
        failures.append(f"{len(only_leaklint)} LL001 only leaklint raises")
    if too_slow:
        failures.append(f"{len(too_slow)} file(s) slower than {args.max_seconds:g} s")
    print("result: " + ("FAIL: " + ", ".join(failures) if failures else "PASS"), file=out)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
