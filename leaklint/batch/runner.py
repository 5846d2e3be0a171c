"""Run the engine over discovered files with each file's resolved codes.

Files whose findings are in the cache (``leaklint.batch.cache``) are answered from
it; the others are linted in this process when they are few or small, in a
pool of worker processes (``leaklint.batch.parallel``) otherwise. Whichever way,
the result is the same and in the same order.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Dict, FrozenSet, List, Optional, Sequence, Tuple, Union

from leaklint.analysis.project import Reads, recording_reads
from leaklint.batch.cache import Cache, content_digest, default_folder
from leaklint.batch.config import Settings
from leaklint.batch.discovery import SourceFile, matches_any
from leaklint.core.engine import BUG_REPORT_HINT, engine_failure, lint_source
from leaklint.core.finding import Finding
from leaklint.core.options import AnalysisOptions
from leaklint.batch.parallel import Failure, available_cores, map_unordered
from leaklint.syntax.source import DecodeError, decode_source
from leaklint.syntax.diagnostics import INTERNAL_ERROR

# Below either bound a run is linted in this process: starting workers would
# cost more than they save (pre-commit passing a few changed files).
SMALL_RUN_FILES = 8
SMALL_RUN_BYTES = 128 * 1024


@dataclass
class FileResult:
    path: str
    findings: List[Finding]
    # The decoded text, kept only for files with findings (for --show-source).
    text: Optional[str] = None


@dataclass
class RunResult:
    files: List[FileResult] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)  # files that could not be read
    warnings: List[str] = field(default_factory=list)  # the cache could not be written...

    @property
    def findings_count(self) -> int:
        return sum(len(result.findings) for result in self.files)


def enabled_codes(settings: Settings, display_path: str) -> FrozenSet[str]:
    """Codes to report for one file, per-file ignores applied."""
    path = Path(display_path).absolute()
    extra = [
        code
        for pattern, codes in settings.per_file_ignores
        if matches_any(path, settings.root, (pattern,))
        for code in codes
    ]
    return settings.selection.enabled(extra)


@dataclass(frozen=True)
class _Job:
    """One file to lint, as sent to a worker."""

    display: str
    location: str
    codes: FrozenSet[str]


@dataclass(frozen=True)
class _Outcome:
    findings: List[Finding]
    text: Optional[str] = None
    error: Optional[str] = None  # the file could not be read
    digest: Optional[str] = None  # of the bytes linted; None: do not cache
    reads: Optional[Reads] = None  # project modules the analysis looked for


def run(
    files: Sequence[SourceFile],
    settings: Settings,
    stdin: Optional[BinaryIO] = None,
    progress: Optional[Callable[[int, int], None]] = None,
) -> RunResult:
    """Lint ``files``; ``settings.jobs`` workers (None: one per core) and
    ``settings.cache`` / ``settings.cache_dir`` say how. ``progress(done,
    total)`` is told each time a file is done."""
    cache = Cache(settings.cache_dir or default_folder(settings.root), settings.analysis) if settings.cache else None
    jobs = settings.jobs or available_cores()
    slots: List[Union[FileResult, str, None]] = [None] * len(files)
    todo: List[Tuple[int, _Job, int]] = []  # (slot, job, size in bytes)
    kept: Dict[int, bytes] = {}  # bytes already read, while this may stay an in-process run
    total = 0
    done = 0

    def settle(slot: int, value: Union[FileResult, str]) -> None:
        nonlocal done
        slots[slot] = value
        done += 1
        if progress is not None:
            progress(done, len(files))

    def finish(slot: int, job: _Job, outcome: Union[_Outcome, Failure]) -> None:
        if isinstance(outcome, Failure):
            outcome = _failed(job, outcome)
        if outcome.error is not None:
            settle(slot, outcome.error)
            return
        settle(slot, FileResult(job.display, outcome.findings, outcome.text))
        if cache is not None and outcome.digest is not None and outcome.reads is not None:
            cache.store(job.display, outcome.digest, job.codes, outcome.reads, outcome.findings)

    for slot, source in enumerate(files):
        codes = enabled_codes(settings, source.display)
        if source.location is None:  # standard input: never cached
            try:
                piped = _read(source, stdin)
            except OSError as exc:
                settle(slot, _read_error(source.display, exc))
                continue
            outcome = _lint_job(settings.analysis, _Job(source.display, "-", codes), piped)
            settle(slot, FileResult(source.display, outcome.findings, outcome.text))
            continue
        job = _Job(source.display, source.location, codes)
        data: Optional[bytes] = None
        if cache is not None:
            try:
                data = _read(source, stdin)
            except OSError as exc:
                settle(slot, _read_error(source.display, exc))
                continue
            findings = cache.lookup(source.display, data, codes)
            if findings is not None:
                settle(slot, FileResult(source.display, findings, _text_for_display(data) if findings else None))
                continue
            size = len(data)
        else:
            size = _size(source.location)
        if jobs == 1:  # no pool: lint now, keep nothing
            finish(slot, job, _lint_job(settings.analysis, job, data))
            continue
        todo.append((slot, job, size))
        total += size
        if data is not None and (len(todo) < SMALL_RUN_FILES or total < SMALL_RUN_BYTES):
            kept[slot] = data
        elif kept:
            kept.clear()  # a run for the pool: workers read their files themselves

    if len(todo) < SMALL_RUN_FILES or total < SMALL_RUN_BYTES:
        for slot, job, _ in todo:
            finish(slot, job, _lint_job(settings.analysis, job, kept.pop(slot, None)))
    else:
        outcomes = map_unordered(
            _lint_job, settings.analysis, [job for _, job, _ in todo], [size for _, _, size in todo], jobs
        )
        for index, outcome in outcomes:
            finish(todo[index][0], todo[index][1], outcome)

    result = RunResult()
    for item in slots:
        if isinstance(item, FileResult):
            result.files.append(item)
        elif item is not None:
            result.errors.append(item)
    result.files.sort(key=lambda f: f.path)
    if cache is not None:
        cache.prune(settings.root)
        if cache.warning:
            result.warnings.append(cache.warning)
    return result


def _lint_job(options: AnalysisOptions, job: _Job, data: Optional[bytes] = None) -> _Outcome:
    """Lint one file (in this process or a worker); never raises."""
    if data is None:
        try:
            data = _read(SourceFile(job.display, job.location), None)
        except OSError as exc:
            return _Outcome([], error=_read_error(job.display, exc))
    cacheable = True
    with recording_reads() as reads:
        try:
            findings = lint_source(data, job.display, job.codes, options)
        except Exception as exc:  # a bug in the engine itself: report it, go on
            findings = [engine_failure(exc)] if INTERNAL_ERROR in job.codes else []
            cacheable = False
    text = _text_for_display(data) if findings else None
    return _Outcome(findings, text, None, content_digest(data) if cacheable else None, dict(reads))


def _failed(job: _Job, failure: Failure) -> _Outcome:
    """LL002 for a file whose worker died or failed; the run goes on."""
    if INTERNAL_ERROR not in job.codes:
        return _Outcome([])
    finding = Finding(1, 1, INTERNAL_ERROR, f"{failure.reason}; {BUG_REPORT_HINT}", 1, 1)
    try:
        text: Optional[str] = _text_for_display(_read(SourceFile(job.display, job.location), None))
    except OSError:
        text = None
    return _Outcome([finding], text)


def _read_error(display: str, exc: OSError) -> str:
    return f"{display}: cannot read file: {exc.strerror or exc}"


def _size(location: str) -> int:
    try:
        return Path(location).stat().st_size
    except OSError:
        return 0  # reported when it is read


def _read(source: SourceFile, stdin: Optional[BinaryIO]) -> bytes:
    if source.location is None:
        if stdin is None:
            if sys.stdin is None:
                raise OSError("standard input is closed")
            stdin = sys.stdin.buffer
        return stdin.read()
    with open(source.location, "rb") as handle:
        return handle.read()


def _text_for_display(data: bytes) -> str:
    try:
        return decode_source(data).text
    except DecodeError:
        return data.decode("utf-8", "replace")
