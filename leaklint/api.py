"""leaklint as a library, for tools that embed it (editors, review bots, scripts).

::

    import leaklint

    for finding in leaklint.lint_paths(["src"], config={"select": ["LL3"]}):
        print(finding)  # src/app.py:12:20: LL303 file opened by open() is never closed; ...

The same analysis as the command line, with the same findings; nothing is
printed and nothing exits. ``config`` is resolved the same way by both
functions:

- ``None``: the defaults, ignoring every configuration file (``--isolated``);
- a path to a ``pyproject.toml`` (its ``[tool.leaklint]`` table) or to a
  dedicated leaklint TOML file (``--config FILE``);
- a mapping shaped like the ``[tool.leaklint]`` table, with the same keys
  (``{"select": ["LL3"], "per-file-ignores": {"tests/*": ["LL303"]}}``);
  relative patterns are then matched against paths relative to the current
  folder.

Unlike the command line, the API caches findings only when the configuration
names a ``cache-dir``: a library call writes no files it was not asked for.

A configuration problem raises :class:`ConfigError` (its message names the
file or ``config`` and the key). A file leaklint cannot parse is not an
exception: it is an LL001 finding, as on the command line.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Union

from leaklint.analysis.project import forget_layout
from leaklint.batch.config import ConfigError, Settings, load_table, settings_from_table
from leaklint.batch.discovery import STDIN, PathError, discover
from leaklint.core.engine import engine_failure
from leaklint.core.engine import lint_source as lint_bytes
from leaklint.core.finding import Finding
from leaklint.fixes import Fix
from leaklint.watch import WatchTarget
from leaklint.batch.runner import enabled_codes, run
from leaklint.syntax.source import encode_source
from leaklint.syntax.diagnostics import INTERNAL_ERROR

__all__ = ["ConfigError", "LintFinding", "ReadError", "lint_paths", "lint_source"]

PathArg = Union[str, "os.PathLike[str]"]
ConfigArg = Union[None, str, "os.PathLike[str]", Mapping[str, Any]]

# How a mapping given as ``config`` is named in error messages.
_MAPPING_NAME = "config"


@dataclass(frozen=True, order=True)
class LintFinding:
    """A finding in a file: the fields of ``--format json``, with the same meaning.

    Lines and columns are 1-based; ``end_line``/``end_column`` point just past
    the flagged code (exclusive). ``fix`` is the rule's fix when it has one
    (``leaklint.fixes.Fix``: a title, whether it is safe, the edits), else None. ``watch`` says where a growth finding's object
    lives at run time (``leaklint.watch.WatchTarget``), else None.
    ``str(finding)`` is the command line's text line.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    message: str
    fix: Optional[Fix] = None
    watch: Optional[WatchTarget] = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"

    @classmethod
    def _of(cls, path: str, finding: Finding) -> "LintFinding":
        return cls(
            path=path,
            line=finding.line,
            column=finding.column,
            end_line=finding.end_line,
            end_column=finding.end_column,
            code=finding.code,
            message=finding.message,
            fix=Fix.loads(finding.fix),
            watch=WatchTarget.parse(finding.watch),
        )


class ReadError(OSError):
    """Some files could not be read (``lint_paths``). ``errors`` says which
    and why, one line each; ``findings`` holds the findings of the files that
    were read, so that a caller can still use them."""

    def __init__(self, errors: Sequence[str], findings: Sequence[LintFinding]) -> None:
        super().__init__("; ".join(errors))
        self.errors = list(errors)
        self.findings = list(findings)


def lint_source(
    source: Union[str, bytes], path: PathArg = "<string>", config: ConfigArg = None
) -> List[LintFinding]:
    """Lint one file's text (``str``) or bytes (decoded as Python does: coding
    cookie, BOM) as if it were the file ``path``.

    ``path`` names the file in the findings and decides which per-file ignores
    apply; the file itself is never read, and excludes do not apply (the
    source is linted as a file named explicitly is). Findings are sorted by
    line, column and code.
    """
    forget_layout()  # modules created since the last call count
    settings = _settings(config)
    display = os.fsdecode(path)
    data = _source_bytes(source)
    codes = enabled_codes(settings, display)
    try:
        findings = lint_bytes(data, display, codes, settings.analysis)
    except Exception as exc:  # a bug in the engine itself: an LL002 finding, as on the command line
        findings = [engine_failure(exc)] if INTERNAL_ERROR in codes else []
    return [LintFinding._of(display, finding) for finding in findings]


def lint_paths(paths: Union[PathArg, Iterable[PathArg]], config: ConfigArg = None) -> List[LintFinding]:
    """Lint files and folders as ``leaklint PATH ...`` does: folders are walked
    for ``*.py`` and ``*.pyi`` files, skipping excluded names; files named
    explicitly are always linted. Findings are sorted by path, line, column
    and code; paths are as given (folders joined with the names found in them).

    Raises :class:`FileNotFoundError` for a path that does not exist,
    :class:`ReadError` when files could not be read (the findings of the
    others are on it; a folder that cannot be listed too), :class:`ConfigError` for a bad configuration. Paths
    that are neither regular files nor folders are skipped silently. Standard
    input (``"-"``) is not accepted: pass its text to :func:`lint_source`.
    """
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]
    names = [os.fsdecode(path) for path in paths]
    if STDIN in names:
        raise ValueError("lint_paths() does not read standard input; pass the text to lint_source()")
    forget_layout()  # modules created since the last call count
    settings = _settings(config)
    try:
        discovery = discover(names, settings.root, settings.excludes)
    except PathError as exc:
        missing = next((name for name in names if not os.path.lexists(name)), None)
        raise FileNotFoundError(errno.ENOENT, str(exc), missing) from None
    result = run(discovery.files, settings)
    findings = [LintFinding._of(file.path, finding) for file in result.files for finding in file.findings]
    errors = [*discovery.errors, *result.errors]  # folders that cannot be listed, files that cannot be read
    if errors:
        raise ReadError(errors, findings)
    return findings


def _settings(config: ConfigArg) -> Settings:
    settings = _configured(config)
    # A library call writes no files it was not asked for: findings are cached
    # only where the configuration names a cache-dir (the command line caches
    # in .leaklint_cache by default).
    if settings.cache_dir is None:
        settings = replace(settings, cache=False)
    return settings


def _configured(config: ConfigArg) -> Settings:
    if config is None:
        return Settings()
    if isinstance(config, Mapping):
        return _settings_from_mapping(config)
    if isinstance(config, (str, os.PathLike)):
        path = Path(os.fsdecode(config))
        if not path.is_file():
            raise ConfigError(f"{path}: configuration file not found")
        return settings_from_table(load_table(path), path)
    raise TypeError(
        f"config must be None, a path to a configuration file or a mapping, not {type(config).__name__}"
    )


def _settings_from_mapping(config: Mapping[str, Any]) -> Settings:
    stand_in = Path.cwd() / _MAPPING_NAME  # patterns are relative to the current folder
    try:
        settings = settings_from_table(_as_toml_values(config), stand_in)
    except ConfigError as exc:
        message = str(exc)
        if message.startswith(str(stand_in)):
            message = _MAPPING_NAME + message[len(str(stand_in)) :]
        raise ConfigError(message) from None
    return replace(settings, config_file=None)


def _as_toml_values(value: Any) -> Any:
    """Tuples as lists and any mapping as a dict, as TOML would have given them."""
    if isinstance(value, Mapping):
        return {key: _as_toml_values(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [_as_toml_values(item) for item in value]
    return value


def _source_bytes(source: Union[str, bytes]) -> bytes:
    """Bytes for the engine, which decodes by the coding cookie: text is
    encoded in the encoding its cookie declares (UTF-8 when none)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if not isinstance(source, str):
        raise TypeError(f"source must be str or bytes, not {type(source).__name__}")
    return encode_source(source)
