"""``[tool.leaklint]`` in pyproject.toml, validated, merged with command-line flags."""

from __future__ import annotations

import difflib
import os
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Sequence, Tuple

from leaklint.core.options import AnalysisOptions
from leaklint.core.selection import Selection, known_prefix

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on older interpreters only
    import tomli as tomllib

DEFAULT_EXCLUDE: Tuple[str, ...] = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".leaklint_cache",
    ".mypy_cache",
    ".nox",
    ".pytest_cache",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pycache__",
    "__pypackages__",
    "build",
    "dist",
    "node_modules",
    "venv",
    "*.egg-info",
)

_CODE_LIST_KEYS = ("select", "ignore", "extend-select", "extend-ignore")
_PATTERN_LIST_KEYS = ("exclude", "extend-exclude")
KNOWN_KEYS = (
    *_CODE_LIST_KEYS,
    *_PATTERN_LIST_KEYS,
    "per-file-ignores",
    "resource-functions",
    "callback-registries",
    "jobs",
    "cache-dir",
)
_DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)+")
_REGISTRY_ENTRY = re.compile(r"[A-Za-z_]\w*(:[A-Za-z_]\w*)?")


class ConfigError(Exception):
    """A configuration problem, said in one line that names the file and key."""


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know, resolved from the config file and flags."""

    selection: Selection = Selection()
    exclude: Tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: Tuple[str, ...] = ()
    per_file_ignores: Tuple[Tuple[str, Tuple[str, ...]], ...] = ()
    # Relative patterns are matched against paths relative to this folder.
    root: Path = field(default_factory=Path.cwd)
    config_file: Optional[Path] = None
    analysis: AnalysisOptions = AnalysisOptions()
    # Worker processes; None: one per available core.
    jobs: Optional[int] = None
    # Findings are cached here (None: .leaklint_cache in ``root``) unless ``cache`` is off.
    cache_dir: Optional[Path] = None
    cache: bool = True

    @property
    def excludes(self) -> Tuple[str, ...]:
        return (*self.exclude, *self.extend_exclude)


def find_pyproject(start: Path) -> Optional[Path]:
    """The nearest pyproject.toml with a [tool.leaklint] table, from ``start`` upward."""
    directory = start if start.is_dir() else start.parent
    for folder in (directory, *directory.parents):
        candidate = folder / "pyproject.toml"
        if _is_file(candidate):
            data = _read_toml(candidate)
            tool = data.get("tool")
            if isinstance(tool, dict) and "leaklint" in tool:
                return candidate
    return None


def _is_file(path: Path) -> bool:
    """``path.is_file()``, False where the folder cannot be searched (it
    raises ``PermissionError`` then): a folder leaklint cannot read has no
    configuration it can use, and the walk reports the folder itself."""
    try:
        return path.is_file()
    except OSError:
        return False


def _read_toml(path: Path) -> Dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not valid TOML: not UTF-8 text") from None


def load_table(path: Path) -> Mapping[str, Any]:
    """The leaklint table of a config file: [tool.leaklint] of a pyproject.toml,
    the whole file otherwise (for a dedicated ``--config leaklint.toml``)."""
    data = _read_toml(path)
    if path.name != "pyproject.toml":
        return data
    tool = data.get("tool", {})
    table = tool.get("leaklint") if isinstance(tool, dict) else None
    if table is None:
        raise ConfigError(f"{path}: has no [tool.leaklint] table")
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.leaklint] must be a table, not {_type_name(table)}")
    return table


def settings_from_table(table: Mapping[str, Any], path: Path) -> Settings:
    """Validate a leaklint table; every problem is a ConfigError naming the key."""
    where = f"{path}: [tool.leaklint]" if path.name == "pyproject.toml" else str(path)
    for key in table:
        if key not in KNOWN_KEYS:
            close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise ConfigError(f"{where}: unknown key '{key}'{hint}")

    def strings(key: str) -> Optional[Tuple[str, ...]]:
        if key not in table:
            return None
        value = table[key]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ConfigError(f"{where}: '{key}' must be a list of strings, not {_type_name(value)}")
        return tuple(value)

    def codes(key: str, value: Optional[Tuple[str, ...]]) -> Optional[Tuple[str, ...]]:
        if value is None:
            return None
        return tuple(check_code(item, f"{where}: '{key}'") for item in value)

    per_file: list = []
    raw = table.get("per-file-ignores", {})
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: 'per-file-ignores' must be a table, not {_type_name(raw)}")
    for pattern, listed in raw.items():
        if not isinstance(listed, list) or not all(isinstance(item, str) for item in listed):
            raise ConfigError(
                f"{where}: 'per-file-ignores' entry '{pattern}' must be a list of codes"
            )
        per_file.append(
            (pattern, tuple(check_code(c, f"{where}: 'per-file-ignores' entry '{pattern}'") for c in listed))
        )

    selection = Selection(
        select=codes("select", strings("select")),
        extend_select=codes("extend-select", strings("extend-select")) or (),
        ignore=codes("ignore", strings("ignore")) or (),
        extend_ignore=codes("extend-ignore", strings("extend-ignore")) or (),
    )
    analysis = analysis_options(
        strings("resource-functions") or (), strings("callback-registries") or (), where
    )
    exclude = strings("exclude")
    jobs = table.get("jobs")
    if jobs is not None:
        jobs = check_jobs(jobs, f"{where}: 'jobs'")
    cache_dir = table.get("cache-dir")
    if cache_dir is not None and (not isinstance(cache_dir, str) or not cache_dir.strip()):
        raise ConfigError(f"{where}: 'cache-dir' must be a folder name, not {_type_name(cache_dir)}")
    return Settings(
        selection=selection,
        exclude=DEFAULT_EXCLUDE if exclude is None else exclude,
        extend_exclude=strings("extend-exclude") or (),
        per_file_ignores=tuple(per_file),
        root=path.parent.resolve(),
        config_file=path,
        analysis=analysis,
        jobs=jobs,
        cache_dir=None if cache_dir is None else path.parent.resolve() / cache_dir,
    )


def check_jobs(value: object, where: str) -> Optional[int]:
    """A number of worker processes: a positive integer, or ``auto`` (None: one per core)."""
    if value == "auto":
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    shown = repr(value) if isinstance(value, (int, str)) and not isinstance(value, bool) else _type_name(value)
    raise ConfigError(f"{where} must be a positive integer or 'auto', not {shown}")


def analysis_options(resource_functions: Sequence[str], callback_registries: Sequence[str], where: str) -> AnalysisOptions:
    """Validated analysis options (shared with the flake8 plugin); ConfigError names the bad entry."""
    for name in resource_functions:
        if not _DOTTED_NAME.fullmatch(name):
            raise ConfigError(
                f"{where}: 'resource-functions' entry '{name}' must be a dotted name such as 'mylib.connect'"
            )
    for entry in callback_registries:
        if not _REGISTRY_ENTRY.fullmatch(entry):
            raise ConfigError(
                f"{where}: 'callback-registries' entry '{entry}' must be a method name, optionally with its "
                "inverse, such as 'add_hook' or 'add_hook:remove_hook'"
            )
    return AnalysisOptions(resource_functions=tuple(resource_functions), callback_registries=tuple(callback_registries))


def check_code(value: str, where: str) -> str:
    """Normalize a code or prefix (``ll3`` -> ``LL3``); ConfigError if unknown."""
    code = value.strip().upper()
    if not code or not known_prefix(code):
        raise ConfigError(f"{where}: unknown rule code '{value}' (see 'leaklint --list-rules')")
    return code


def _type_name(value: object) -> str:
    names = {str: "a string", int: "a number", float: "a number", bool: "a boolean", list: "a list",
             dict: "a table"}
    return names.get(type(value), type(value).__name__)


def load_settings(config: Optional[str], isolated: bool, search_from: Path) -> Settings:
    """Settings from ``--config``, else the nearest pyproject.toml, else defaults."""
    if isolated:
        return Settings()
    if config is not None:
        path = Path(config)
        if not path.is_file():
            raise ConfigError(f"{config}: configuration file not found")
        return settings_from_table(load_table(path), path)
    found = find_pyproject(search_from)
    if found is None:
        return Settings()
    return settings_from_table(load_table(found), found)


def with_overrides(
    settings: Settings,
    select: Optional[Tuple[str, ...]] = None,
    ignore: Optional[Tuple[str, ...]] = None,
    extend_select: Tuple[str, ...] = (),
    extend_ignore: Tuple[str, ...] = (),
    exclude: Optional[Tuple[str, ...]] = None,
    extend_exclude: Tuple[str, ...] = (),
    jobs: Optional[int] = None,
    cache_dir: Optional[Path] = None,
    no_cache: bool = False,
) -> Settings:
    """Command-line flags on top of the file: select/ignore/exclude replace, extend-* add.

    ``jobs`` 0 means one worker per core, None keeps the configured number."""
    current = settings.selection
    selection = Selection(
        select=current.select if select is None else select,
        ignore=current.ignore if ignore is None else ignore,
        extend_select=(*current.extend_select, *extend_select),
        extend_ignore=(*current.extend_ignore, *extend_ignore),
    )
    return replace(
        settings,
        selection=selection,
        exclude=settings.exclude if exclude is None else exclude,
        extend_exclude=(*settings.extend_exclude, *extend_exclude),
        jobs=settings.jobs if jobs is None else (jobs or None),
        cache_dir=settings.cache_dir if cache_dir is None else cache_dir,
        cache=settings.cache and not no_cache,
    )


def common_parent(paths: Tuple[str, ...]) -> Path:
    """Where to start looking for pyproject.toml: the folder shared by all paths."""
    real = [os.path.abspath(p) for p in paths if p != "-"]
    if not real:
        return Path.cwd()
    try:
        return Path(os.path.commonpath(real))
    except ValueError:  # different drives
        return Path.cwd()
