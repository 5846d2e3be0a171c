"""Which files a run lints: walk folders, apply excludes, keep order stable."""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, List, Sequence, Set, Tuple

PYTHON_SUFFIXES = (".py", ".pyi")
STDIN = "-"


class PathError(Exception):
    """A path named on the command line that cannot be linted at all."""


@dataclass(frozen=True)
class SourceFile:
    """A file to lint: how findings name it, and where to read it (None: stdin)."""

    display: str
    location: "str | None"


@dataclass
class Discovery:
    files: List[SourceFile]
    skipped: List[str]  # notes on paths passed over (not regular files...)
    # Paths that could not be linted at all: named but missing, folders that
    # cannot be listed. The others are still linted; the run is an error.
    errors: List[str] = field(default_factory=list)


def matches_any(path: Path, root: Path, patterns: Sequence[str]) -> bool:
    """fnmatch ``patterns`` against the name, and against the path relative to ``root``."""
    name = path.name
    try:
        relative = path.relative_to(root).as_posix()
    except ValueError:
        relative = path.as_posix()
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if fnmatch.fnmatchcase(name, pattern) or fnmatch.fnmatchcase(relative, pattern):
            return True
    return False


def discover(
    paths: Sequence[str],
    root: Path,
    excludes: Sequence[str],
    stdin_name: "str | None" = None,
    keep_going: bool = False,
) -> Discovery:
    """Files under ``paths`` in a deterministic order, each once.

    Folders are walked without following symbolic links to folders (so loops
    cannot happen); excluded names are pruned. Files named explicitly are
    linted whatever their suffix or the excludes say, as in ruff. Standard
    input (``-``) is reported as ``stdin_name`` when given, and is not linted
    (nor read) when that name is excluded, so that an editor piping every
    buffer through leaklint respects the project's excludes (ruff's
    ``--force-exclude``, flake8's ``--stdin-display-name``).

    A named path that does not exist raises ``PathError``, or with
    ``keep_going`` is one of the ``errors`` and the other paths are still
    discovered (ruff and flake8 go on too).
    """
    errors: List[str] = []
    missing = [given for given in paths if given != STDIN and not os.path.lexists(given)]
    for given in missing:
        if not keep_going:
            raise PathError(f"{given}: no such file or directory")
        errors.append(f"{given}: no such file or directory")
    paths = [given for given in paths if given not in missing]
    files: List[SourceFile] = []
    skipped: List[str] = []
    seen: Set[str] = set()

    def add(display: str, location: "str | None") -> None:
        key = os.path.realpath(location) if location is not None else STDIN
        if key not in seen:
            seen.add(key)
            files.append(SourceFile(display, location))

    for given in paths:
        if given == STDIN:
            if not (stdin_name and excluded_from_walk(stdin_name, root, excludes)):
                add(stdin_name or STDIN, None)
            continue
        kind = _kind(given)
        if kind == "dir":
            for display in _walk(given, root, excludes, skipped, errors):
                add(display, display)
        elif kind == "file":
            add(os.path.normpath(given), given)
        else:
            skipped.append(f"{given}: skipped, not a regular file or folder")
    return Discovery(files, skipped, errors)


def excluded_from_walk(name: str, root: Path, excludes: Sequence[str]) -> bool:
    """Whether a file named ``name`` would be left out of a walk of ``root``:
    its name or path, or a folder it is in below ``root``, matches an exclude."""
    path = Path(os.path.abspath(name))
    folders = [parent for parent in path.parents if root in parent.parents]
    return any(matches_any(candidate, root, excludes) for candidate in (path, *folders))


def _kind(path: str) -> str:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return "other"  # a dangling or looping symbolic link
    if stat.S_ISDIR(mode):
        return "dir"
    return "file" if stat.S_ISREG(mode) else "other"


def _walk(top: str, root: Path, excludes: Sequence[str], skipped: List[str], errors: List[str]) -> Iterator[str]:
    stack: List[str] = [top]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as exc:
            # Not a pass: what is in it was not checked.
            errors.append(f"{folder}: cannot list folder: {exc.strerror or exc}")
            continue
        subfolders: List[Tuple[str, str]] = []
        for entry in entries:
            path = os.path.normpath(os.path.join(folder, entry.name))
            if matches_any(Path(os.path.abspath(path)), root, excludes):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not os.path.exists(os.path.join(path, "pyvenv.cfg")):  # a virtualenv
                        subfolders.append((entry.name, path))
                elif entry.name.endswith(PYTHON_SUFFIXES):
                    if entry.is_file(follow_symlinks=True):
                        yield path
                    elif not entry.is_symlink() or os.path.exists(path):
                        skipped.append(f"{path}: skipped, not a regular file")
            except OSError:
                continue
        # Depth-first, in name order: push in reverse so the first name pops first.
        stack.extend(path for _, path in reversed(subfolders))
