"""The other modules of the project a linted file imports from.

Some facts live in another file: ``from .net import connect`` where
``connect`` returns a fresh socket, or ``class Client(BaseClient)`` whose base
closes ``self.sock``. The imported module is located from the import
statement (relative or absolute) below the directory holding the linted
file's top-level package; only such files count, so nothing is read from the
standard library or site-packages. Each module is read with ``ast`` once per
process and read again only when it changes.

An editor has newer text than the disk for the files it has open: within
``reading_buffers(texts)`` a module is read from ``texts`` where it is there
(unsaved edits, a file not yet saved at all), from the disk otherwise.
"""

from __future__ import annotations

import ast
import contextlib
import os
import re
from contextvars import ContextVar
from functools import lru_cache
from typing import Dict, FrozenSet, Iterator, List, Mapping, Optional, Tuple

from leaklint.analysis.module_facts import ModuleFacts
from leaklint.catalog.resources import ResourceKind
from leaklint.syntax.source import DecodeError, decode_source

# Modules imported from are mostly the same few (a package's base, utils);
# 512 kept trees (with their analyses) took a worker to 375 MB over the
# standard library, 64 keep it at 227 MB for the same time and findings.
_MODULES_KEPT = 64


# A module of the project, read for what the linted file imports from it.
ProjectModule = ModuleFacts

# What a file's findings depend on besides its own bytes: every project module
# looked for while linting it, as path -> (mtime_ns, size), or None where no
# module was found. The cache (leaklint/batch/cache.py) stores it with the findings.
Reads = Dict[str, Optional[Tuple[int, int]]]
_reads: "ContextVar[Optional[Reads]]" = ContextVar("leaklint_project_reads", default=None)
# A module read from an editor's buffer has no identity on disk: this one
# never matches a file's, so a cached result that used it is never reused.
BUFFER_IDENTITY = (-1, -1)

# Open editor buffers: absolute path -> text.
_buffers: "ContextVar[Mapping[str, str]]" = ContextVar("leaklint_project_buffers", default={})


@contextlib.contextmanager
def recording_reads() -> Iterator[Reads]:
    """Note every project module looked for within the block."""
    reads: Reads = {}
    token = _reads.set(reads)
    try:
        yield reads
    finally:
        _reads.reset(token)


@contextlib.contextmanager
def reading_buffers(texts: Mapping[str, str]) -> Iterator[None]:
    """Within the block, read project modules from ``texts`` (absolute path
    -> text) where they are there, from the disk otherwise."""
    token = _buffers.set({os.path.abspath(path): text for path, text in texts.items()})
    forget_layout()  # which modules exist depends on the buffers too
    try:
        yield
    finally:
        _buffers.reset(token)
        forget_layout()


def _exists(path: str) -> bool:
    return path in _buffers.get() or os.path.isfile(path)


def _note(path: str, identity: Optional[Tuple[int, int]]) -> None:
    reads = _reads.get()
    if reads is not None:
        reads[os.path.abspath(path)] = identity


def package_of(path: str) -> Tuple[str, List[str]]:
    """The directory the file's top-level package lives in, and the dotted
    parts of the package holding the file (``[]`` for a lone script)."""
    directory = os.path.dirname(os.path.abspath(path))
    parts: List[str] = []
    while _exists(os.path.join(directory, "__init__.py")):
        parts.insert(0, os.path.basename(directory))
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return directory, parts


def locate(importer: str, qualified: str) -> Optional[Tuple[ProjectModule, str]]:
    """The project module defining ``qualified`` (as the importer's names
    resolve it: ``.net.connect``, ``pkg.net.connect``) and the name in it."""
    rest = qualified.lstrip(".")
    module_part, _, name = rest.rpartition(".")
    module_name = qualified[: len(qualified) - len(rest)] + module_part  # keeps the leading dots
    if not name or not module_name:
        return None
    module = module_at(importer, module_name)
    return (module, name) if module is not None else None


def module_at(importer: str, module_name: str) -> Optional[ProjectModule]:
    """The project module ``module_name`` names in the file ``importer``."""
    if module_name.startswith("<"):
        return None  # the importer's own module
    root, package = _package_of_directory(os.path.dirname(os.path.abspath(importer)))
    stripped = module_name.lstrip(".")
    level = len(module_name) - len(stripped)
    if level:
        if level - 1 > len(package):
            return None
        modpath = (*package[: len(package) - (level - 1)], *(stripped.split(".") if stripped else ()))
    else:
        modpath = tuple(stripped.split("."))
    path = _module_path(root, modpath) if modpath else None
    if path is None:
        if modpath and _reads.get() is not None:  # a module created later changes the findings
            for candidate in _candidates(root, modpath):
                _note(candidate, None)
        return None
    return load(path)


def forget_layout() -> None:
    """Forget which project modules and packages exist: a process that lints
    again later (an editor, a test) sees modules created since. Module
    contents are not forgotten: ``load`` checks each file's identity anyway."""
    _package_of_directory.cache_clear()
    _module_path.cache_clear()


@lru_cache(maxsize=_MODULES_KEPT)
def _package_of_directory(directory: str) -> Tuple[str, Tuple[str, ...]]:
    root, parts = package_of(os.path.join(directory, "_"))
    return root, tuple(parts)


@lru_cache(maxsize=_MODULES_KEPT * 4)
def _module_path(root: str, modpath: Tuple[str, ...]) -> Optional[str]:
    """``root/a/b.py`` or ``root/a/b/__init__.py`` for ``a.b``. Looked up by
    hand: finders built on importlib import parent packages to find a
    submodule, and a linter must never run the code."""
    for candidate in _candidates(root, modpath):
        if _exists(candidate):
            return candidate
    return None


def _candidates(root: str, modpath: Tuple[str, ...]) -> Tuple[str, str]:
    directory = os.path.join(root, *modpath[:-1])
    return os.path.join(directory, modpath[-1] + ".py"), os.path.join(directory, modpath[-1], "__init__.py")


def load(path: str) -> Optional[ProjectModule]:
    """The module at ``path``, read again only when the file has changed."""
    buffered = _buffers.get().get(os.path.abspath(path))
    if buffered is not None:
        _note(path, BUFFER_IDENTITY)
        return _from_text(path, buffered)
    try:
        status = os.stat(path)
    except OSError:
        _note(path, None)
        return None
    _note(path, (status.st_mtime_ns, status.st_size))
    return _load(path, status.st_mtime_ns, status.st_size)


@lru_cache(maxsize=_MODULES_KEPT)
def _load(path: str, mtime_ns: int, size: int) -> Optional[ProjectModule]:
    try:
        with open(path, "rb") as stream:
            text = decode_source(stream.read()).text
    except (OSError, DecodeError, ValueError, MemoryError):
        return None
    return ProjectModule(path, text=text, locate=locate)


@lru_cache(maxsize=_MODULES_KEPT)
def _from_text(path: str, text: str) -> ProjectModule:
    return ProjectModule(path, text=text, locate=locate)


def imported_factories(path: str, text: str, tree: ast.Module) -> Dict[str, Tuple[ResourceKind, str]]:
    """Functions of other project modules that hand back a fresh resource, as
    the file refers to them: qualified name -> (kind, the word its calls use).
    Only names the file calls (``name(`` or ``name.attr``) are looked up."""
    found: Dict[str, Tuple[ResourceKind, str]] = {}
    imports = list(_from_imports(tree))
    if not imports:
        return found
    used = _called_or_dotted(text, frozenset(local for _, _, local in imports))
    for module_name, imported, local in imports:
        if local not in used:
            continue
        qualified = (module_name if module_name.endswith(".") else module_name + ".") + imported
        target = locate(path, qualified)
        if target is not None:
            kind = target[0].factories.functions.get(target[1])
            if kind is not None:
                found[qualified] = (kind, local)
        submodule = module_at(path, qualified)  # ``from . import net``, then ``net.connect()``
        if submodule is not None:
            for function, kind in submodule.factories.functions.items():
                found[f"{qualified}.{function}"] = (kind, function)
    return found


def _called_or_dotted(text: str, names: FrozenSet[str]) -> FrozenSet[str]:
    """Those of ``names`` that the text calls or takes an attribute of."""
    alternatives = "|".join(sorted(map(re.escape, names)))
    return frozenset(re.findall(rf"\b({alternatives})\s*[(.]", text))


def _from_imports(tree: ast.Module) -> Iterator[Tuple[str, str, str]]:
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            module_name = "." * (node.level or 0) + (node.module or "")
            for alias in node.names:
                if alias.name != "*":
                    yield module_name, alias.name, alias.asname or alias.name
