"""Baselines: adopt leaklint on a legacy code base so that only new findings fail.

``--write-baseline FILE`` records today's findings; ``--baseline FILE`` hides
the findings recorded there. Findings are matched by path, code and
fingerprint (see ``leaklint.batch.fingerprints``), never by line, so code added
above a finding or a formatter run does not bring it back.

Paths are stored relative to the baseline file's folder, so the baseline
matches whether leaklint is run from the project root or elsewhere.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterator, List, Tuple

from leaklint.batch.atomic import replace_atomically
from leaklint.batch.fingerprints import fingerprints
from leaklint.batch.runner import FileResult, RunResult

FORMAT_VERSION = 1

Entry = Tuple[str, str, str]  # path, code, fingerprint


class BaselineError(Exception):
    """A baseline file that cannot be read, parsed or written."""


@dataclass
class Baseline:
    folder: str  # absolute: the stored paths are relative to it
    entries: Counter = field(default_factory=Counter)


@dataclass
class Filtered:
    result: RunResult  # the run without the findings in the baseline
    stale: int  # baseline entries for linted files that no longer occur


def load(path: str) -> Baseline:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise BaselineError(f"{path}: not a leaklint baseline (not UTF-8 text)") from None
    except RecursionError:
        raise BaselineError(f"{path}: not a leaklint baseline (nested too deeply)") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(
            f"{path}: not a leaklint baseline (invalid JSON at line {exc.lineno} column {exc.colno}); "
            "write one with --write-baseline"
        ) from None
    return Baseline(_folder_of(path), Counter(_entries(data, path)))


def _entries(data: object, path: str) -> Iterator[Entry]:
    def invalid(why: str) -> BaselineError:
        return BaselineError(f"{path}: not a leaklint baseline ({why}); write one with --write-baseline")

    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise invalid("expected an object with a 'findings' list")
    if type(data.get("version")) is not int or data["version"] != FORMAT_VERSION:
        raise invalid(f"unsupported version {data.get('version')!r}, expected {FORMAT_VERSION}")
    for number, item in enumerate(data["findings"], 1):
        values = [item.get(key) for key in ("path", "code", "fingerprint")] if isinstance(item, dict) else []
        strings = [value for value in values if isinstance(value, str)]
        if len(strings) != 3:
            raise invalid(f"finding {number} needs string 'path', 'code' and 'fingerprint'")
        yield strings[0], strings[1], strings[2]


def write(path: str, result: RunResult) -> int:
    """Record every finding of ``result`` in ``path``; return how many."""
    folder = _folder_of(path)
    entries = sorted(entry for file in result.files for entry in _file_entries(file, folder))
    data = {
        "version": FORMAT_VERSION,
        "findings": [{"path": p, "code": code, "fingerprint": fingerprint} for p, code, fingerprint in entries],
    }
    _write_atomically(path, json.dumps(data, indent=2) + "\n")
    return len(entries)


def apply(baseline: Baseline, result: RunResult, in_scope: Callable[[str, str], bool]) -> Filtered:
    """Drop the findings recorded in ``baseline``.

    ``in_scope(path, code)`` says whether this run checked ``code`` in the
    file shown as ``path``: only unmatched entries for those count as stale,
    so linting part of a project, or fewer rules, does not call the rest stale.
    """
    remaining = Counter(baseline.entries)
    files: List[FileResult] = []
    linted: Dict[str, str] = {}  # stored path -> path as this run shows it
    for file in result.files:
        stored_path = _stored_path(file.path, baseline.folder)
        linted[stored_path] = file.path
        kept = []
        for finding, fingerprint in zip(file.findings, fingerprints(file.text, file.findings)):
            entry = (stored_path, finding.code, fingerprint)
            if remaining[entry] > 0:
                remaining[entry] -= 1
            else:
                kept.append(finding)
        files.append(FileResult(file.path, kept, file.text if kept else None))
    stale = sum(
        count
        for (stored_path, code, _), count in remaining.items()
        if count > 0 and stored_path in linted and in_scope(linted[stored_path], code)
    )
    return Filtered(RunResult(files, list(result.errors)), stale)


def stale_summary(stale: int) -> str:
    if stale == 1:
        return "1 finding in the baseline no longer occurs; refresh it with --write-baseline"
    return f"{stale} findings in the baseline no longer occur; refresh it with --write-baseline"


def _file_entries(file: FileResult, folder: str) -> Iterator[Entry]:
    stored_path = _stored_path(file.path, folder)
    for finding, fingerprint in zip(file.findings, fingerprints(file.text, file.findings)):
        yield stored_path, finding.code, fingerprint


def _stored_path(shown: str, folder: str) -> str:
    """A file's path relative to the baseline's folder, with '/' separators."""
    if shown == "-":  # standard input without --stdin-filename
        return shown
    absolute = os.path.abspath(shown)
    try:
        relative = os.path.relpath(absolute, folder)
    except ValueError:  # another drive on Windows
        relative = absolute
    return relative.replace(os.sep, "/")


def _mode_for(path: str) -> int:
    try:
        return os.stat(path).st_mode & 0o777  # keep the mode of the baseline it replaces
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _folder_of(path: str) -> str:
    return os.path.dirname(os.path.abspath(path))


def _write_atomically(path: str, text: str) -> None:
    """Replace ``path`` in one step: a failed write never leaves half a baseline."""
    try:
        replace_atomically(path, text.encode("utf-8"), ".leaklint-baseline-", suffix=".tmp", mode=_mode_for(path))
    except OSError as exc:
        raise BaselineError(f"{path}: cannot write baseline: {exc.strerror or exc}") from None
