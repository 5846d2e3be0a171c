"""Findings kept between runs, so an unchanged file is not linted again.

Layout of the cache folder (``.leaklint_cache`` beside the configuration file
by default)::

    CACHEDIR.TAG                 tells backup tools to skip the folder
    .gitignore                   "*": never committed
    v1/ab/ab12...ef.json         one entry per linted file, named by the
                                 SHA-256 of the file's absolute path

An entry holds, for that file, up to :data:`MAX_VARIANTS` results (one per
resolved configuration, most recent first)::

    {"tool": <hash of leaklint's version and code, Python, libcst>,
     "path": "/abs/path/app.py",
     "variants": [{"config": <hash of the enabled codes and analysis options>,
                   "sha256": <hash of the file's bytes>,
                   "reads": [["/abs/path/net.py", mtime_ns, size], ["/abs/path/gone.py", null, null]],
                   "findings": [[line, column, code, message, end_line, end_column, fix, watch], ...]}]}

A result is reused only when the tool, the configuration and the file's bytes
are the same and every project module the analysis read for it (``reads``,
recorded by ``leaklint.analysis.project``) still has the same modification
time and size, or is still missing. Entries are named by path, so the cache
grows with the number of files, not with their edits; at most once a day
(``v1/.pruned`` records when), a run removes the entries of files that no
longer exist. Entries are written to
a temporary file in their folder and moved into place, so concurrent runs never
see half an entry; an entry that cannot be read or does not fit is ignored and
written again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterable, Iterator, List, Mapping, Optional, Tuple

from leaklint import __version__
from leaklint.batch.atomic import replace_atomically
from leaklint.core.finding import Finding
from leaklint.core.options import AnalysisOptions

FOLDER_NAME = ".leaklint_cache"
SCHEMA = "v1"
MAX_VARIANTS = 4
# Seconds between two look-outs for entries of deleted files.
PRUNE_INTERVAL = 24 * 60 * 60
_PRUNE_STAMP = ".pruned"
# Names of files being written (then renamed into place).
_TEMPORARY_PREFIX = ".tmp-"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by leaklint.\n"
    "# For information about cache directory tags, see:\n"
    "#\thttps://bford.info/cachedir/\n"
)
GITIGNORE = "# Created by leaklint automatically.\n*\n"

Identity = Optional[Tuple[int, int]]  # (mtime_ns, size); None: no such file


class Cache:
    """The cache folder of one run."""

    def __init__(self, folder: Path, options: AnalysisOptions = AnalysisOptions()) -> None:
        self.folder = Path(folder).absolute()
        self._options = json.dumps(asdict(options), sort_keys=True)
        self._tool = tool_fingerprint()
        self._config_keys: Dict[FrozenSet[str], str] = {}
        self._identities: Dict[str, Identity] = {}
        self._previous: Dict[str, List[Dict[str, Any]]] = {}
        self._ready = False
        self._refused: Optional[str] = None  # why the folder is not used
        self._failure: Optional[str] = None  # why an entry could not be written
        self._written = 0

    @property
    def warning(self) -> Optional[str]:
        """Why the cache could not be used, if it could not: one line for the user.
        An entry that fails now and then (another run holds it) is no news."""
        if self._refused is not None:
            return self._refused
        if self._failure is not None and not self._written:
            return f"{self.folder}: cannot write the cache: {self._failure}"
        return None

    # --- reading ------------------------------------------------------------------------

    def lookup(self, path: str, data: bytes, codes: FrozenSet[str]) -> Optional[List[Finding]]:
        """The cached findings for ``path`` with these bytes and codes, or None."""
        absolute = os.path.abspath(path)
        variants = self._variants(absolute)
        config = self._config_key(codes)
        digest = content_digest(data)
        for variant in variants:
            if variant.get("config") != config or variant.get("sha256") != digest:
                continue
            findings = _findings(variant.get("findings"))
            if findings is not None and self._reads_unchanged(variant.get("reads")):
                return findings
        self._previous[absolute] = variants  # kept beside the new result
        return None

    def _variants(self, absolute: str) -> List[Dict[str, Any]]:
        try:
            with open(self._entry(absolute), "rb") as stream:
                entry = json.load(stream)
        except (OSError, ValueError, RecursionError):
            return []
        if not isinstance(entry, dict) or entry.get("tool") != self._tool or entry.get("path") != absolute:
            return []
        variants = entry.get("variants")
        if not isinstance(variants, list):
            return []
        return [variant for variant in variants if isinstance(variant, dict)][:MAX_VARIANTS]

    def _reads_unchanged(self, reads: Any) -> bool:
        if not isinstance(reads, list):
            return False
        for item in reads:
            if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str)):
                return False
            recorded = None if item[1] is None else (item[1], item[2])
            if self._identity(item[0]) != recorded:
                return False
        return True

    def _identity(self, path: str) -> Identity:
        if path not in self._identities:
            try:
                status = os.stat(path)
                self._identities[path] = (status.st_mtime_ns, status.st_size)
            except OSError:
                self._identities[path] = None
        return self._identities[path]

    # --- writing ------------------------------------------------------------------------

    def store(
        self,
        path: str,
        digest: str,
        codes: FrozenSet[str],
        reads: Mapping[str, Identity],
        findings: Iterable[Finding],
    ) -> None:
        """Record the findings of ``path`` (bytes hashed to ``digest``);
        ``reads``: the project modules its analysis looked for."""
        if not self._prepare():
            return
        absolute = os.path.abspath(path)
        config = self._config_key(codes)
        variant = {
            "config": config,
            "sha256": digest,
            "reads": [[name, *(identity or (None, None))] for name, identity in sorted(reads.items())],
            "findings": [
                [f.line, f.column, f.code, f.message, f.end_line, f.end_column, f.fix, f.watch] for f in findings
            ],
        }
        others = [v for v in self._previous.pop(absolute, []) if v.get("config") != config]
        entry = {"tool": self._tool, "path": absolute, "variants": [variant, *others][:MAX_VARIANTS]}
        target = self._entry(absolute)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            _write_atomically(target, json.dumps(entry, separators=(",", ":")).encode("utf-8"))
        except (OSError, ValueError) as exc:
            self._failure = self._failure or _reason(exc)
        else:
            self._written += 1

    def _prepare(self) -> bool:
        """Create the folder, its CACHEDIR.TAG and .gitignore, before the first entry."""
        if self._ready or self._refused is not None:
            return self._ready
        try:
            tag = self.folder / "CACHEDIR.TAG"
            # Never tag (and git-ignore) a folder of someone else's files. A
            # concurrent run that has just made the folder may be writing its
            # tag: its temporary file is ours, not someone else's.
            if self.folder.is_dir() and not tag.exists() and any(
                not entry.name.startswith(_TEMPORARY_PREFIX) for entry in self.folder.iterdir()
            ):
                self._refused = f"{self.folder}: not used as a cache: it is not empty and has no CACHEDIR.TAG"
                return False
            self.folder.mkdir(parents=True, exist_ok=True)
            if not tag.exists():
                _write_atomically(tag, CACHEDIR_TAG.encode("ascii"))
            gitignore = self.folder / ".gitignore"
            if not gitignore.exists():
                _write_atomically(gitignore, GITIGNORE.encode("ascii"))
            stamp = self.folder / SCHEMA / _PRUNE_STAMP
            if not stamp.exists():  # a new cache: nothing to prune for a day
                stamp.parent.mkdir(exist_ok=True)
                stamp.touch()
        except OSError as exc:
            self._refused = f"{self.folder}: cannot write the cache: {_reason(exc)}"
            return False
        self._ready = True
        return True

    # --- pruning ------------------------------------------------------------------------

    def prune(self, root: Path) -> int:
        """Remove the entries of files under ``root`` that no longer exist
        (deleted, renamed), at most once every :data:`PRUNE_INTERVAL`; the
        number removed. Entries of files elsewhere (another project sharing
        the folder, the same cache mounted at another path) are left alone,
        and so is a folder leaklint has not made its own."""
        stamp = self.folder / SCHEMA / _PRUNE_STAMP
        if self._refused is not None or not (self.folder / "CACHEDIR.TAG").is_file():
            return 0
        now = time.time()
        try:
            age = now - stamp.stat().st_mtime
            if 0 <= age < PRUNE_INTERVAL:
                return 0  # pruned lately (a stamp from the future does not count)
            # Claimed for the day before the scan, so that runs starting
            # together do not all scan; a failing entry is skipped, not retried.
            os.utime(stamp, (now, now))
        except OSError:
            return 0
        prefix = os.path.join(os.path.abspath(root), "")
        removed = 0
        for entry in _entry_files(stamp.parent):
            path = _entry_path(entry)
            if path is None or not path.startswith(prefix) or _exists(path):
                continue
            try:
                os.unlink(entry)
            except OSError:
                continue  # gone already, or not ours to remove
            removed += 1
        return removed

    # --- keys ---------------------------------------------------------------------------

    def _entry(self, absolute: str) -> Path:
        name = hashlib.sha256(absolute.encode("utf-8", "surrogateescape")).hexdigest()
        return self.folder / SCHEMA / name[:2] / f"{name}.json"

    def _config_key(self, codes: FrozenSet[str]) -> str:
        key = self._config_keys.get(codes)
        if key is None:
            text = json.dumps({"codes": sorted(codes), "options": self._options})
            key = self._config_keys[codes] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return key


def default_folder(root: Path) -> Path:
    return root / FOLDER_NAME


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_TOOL: Optional[str] = None


def tool_fingerprint() -> str:
    """What else findings depend on: leaklint's version and its own source
    files (so an edited rule is never answered from the cache), Python, libcst."""
    global _TOOL
    if _TOOL is None:
        package = Path(__file__).resolve().parent
        code = hashlib.sha256()
        for folder, subfolders, names in os.walk(package):
            subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
            for name in sorted(names):
                if name.endswith(".py"):
                    path = os.path.join(folder, name)
                    try:
                        status = os.stat(path)
                    except OSError:
                        continue
                    relative = os.path.relpath(path, package)
                    code.update(f"{relative}\0{status.st_mtime_ns}\0{status.st_size}\n".encode("utf-8", "replace"))
        parts = {
            "schema": SCHEMA,
            "leaklint": __version__,
            "code": code.hexdigest(),
            "python": sys.version,
            "implementation": sys.implementation.cache_tag,
            "libcst": _libcst_version(),
        }
        _TOOL = hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()
    return _TOOL


def _libcst_version() -> str:
    try:
        from libcst._version import __version__ as version

        return str(version)
    except ImportError:  # pragma: no cover - another libcst layout
        from importlib.metadata import PackageNotFoundError, version as installed

        try:
            return installed("libcst")
        except PackageNotFoundError:
            return "unknown"


def _reason(exc: Exception) -> str:
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def _findings(rows: Any) -> Optional[List[Finding]]:
    """Findings back from JSON, or None if anything does not fit."""
    if not isinstance(rows, list):
        return None
    findings = []
    for row in rows:
        if not isinstance(row, list) or len(row) != 8:
            return None
        line, column, code, message, end_line, end_column, fix, watch = row
        if not all(type(value) is int for value in (line, column, end_line, end_column)):
            return None
        if type(code) is not str or type(message) is not str:
            return None
        if not all(value is None or type(value) is str for value in (fix, watch)):
            return None
        findings.append(Finding(line, column, code, message, end_line, end_column, fix, watch))
    return findings


def _entry_files(folder: Path) -> Iterator[str]:
    """The entries in ``folder`` (``ab/ab12...ef.json``), not following links,
    nor temporary files being written."""
    try:
        shards = [s for s in os.scandir(folder) if _SHARD.fullmatch(s.name) and s.is_dir(follow_symlinks=False)]
    except OSError:
        return
    for shard in shards:
        try:
            names = [e.path for e in os.scandir(shard.path) if _ENTRY.fullmatch(e.name) and e.is_file(follow_symlinks=False)]
        except OSError:
            continue
        yield from names


def _exists(path: str) -> bool:
    """False only when the file is known to be gone (not when it cannot be looked at)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True


def _entry_path(entry: str) -> Optional[str]:
    """The file an entry is for, read from its start (``{"tool":"...","path":...``)."""
    try:
        with open(entry, "rb") as stream:
            head = stream.read(8192)
    except OSError:
        return None
    match = _PATH_FIELD.search(head)
    if match is None:
        return None
    try:
        path = json.loads(match.group(1))
    except ValueError:
        return None
    return path if isinstance(path, str) else None


_PATH_FIELD = re.compile(rb'\A\{"tool":"[0-9a-f]{64}","path":("(?:[^"\\]|\\.)*")')
_SHARD = re.compile(r"[0-9a-f]{2}")
_ENTRY = re.compile(r"[0-9a-f]{64}\.json")


def _write_atomically(target: Path, data: bytes) -> None:
    """A new entry or file of the cache, with the usual mode of new files."""
    replace_atomically(target, data, _TEMPORARY_PREFIX, suffix=target.suffix)
