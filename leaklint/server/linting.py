"""Editor documents linted as the command line lints the files they are.

Each document gets the settings ``leaklint FILE`` would use from its folder:
the nearest ``pyproject.toml`` with a ``[tool.leaklint]`` table, else the
defaults with the workspace folder as root. Settings are kept per
configuration file and read again when that file (or a ``pyproject.toml``
nearer the document) changes on disk, so an edited configuration applies at
the next lint without a restart. Excluded files get no findings, as with
ruff's and flake8's ``--force-exclude`` in editors.

Other project modules are read from the open buffers the caller passes
(``leaklint.analysis.project.reading_buffers``), else from disk; what a lint
read is returned, so that the server can lint a document again when a module
it depends on changes.

Nothing here knows the protocol: ``leaklint.server.protocol`` turns the
results into diagnostics and code actions.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Dict, FrozenSet, List, Mapping, Optional, Set, Tuple

from leaklint.analysis.project import reading_buffers, recording_reads
from leaklint.batch.autofix import fix_source
from leaklint.batch.config import ConfigError, Settings, load_settings
from leaklint.batch.discovery import excluded_from_walk
from leaklint.core.engine import engine_failure, lint_source
from leaklint.core.finding import Finding
from leaklint.syntax.parsing import reusing_trees
from leaklint.batch.runner import enabled_codes
from leaklint.syntax.source import encode_source
from leaklint.syntax.diagnostics import INTERNAL_ERROR

# The identity of each pyproject.toml from a folder up to the file system's
# root ((mtime_ns, size), or None where there is none): settings resolved for
# a folder stay right as long as this is unchanged.
ConfigKey = Tuple[Tuple[str, Optional[Tuple[int, int]]], ...]
# Folders whose settings are kept (a workspace has few configurations).
_SETTINGS_KEPT = 16


@dataclass(frozen=True)
class LintedText:
    findings: List[Finding]
    # Absolute paths of the project modules the lint looked for.
    reads: FrozenSet[str]


class WorkspaceLinter:
    """Lints documents of one editor session.

    ``on_config_error`` is told each configuration problem once (the message
    names the file and key); the document is then linted with the defaults.
    """

    def __init__(self, root: Optional[str], on_config_error: Callable[[str], None]) -> None:
        self.root = Path(root) if root else Path.cwd()
        self._on_config_error = on_config_error
        self._settings: Dict[ConfigKey, Settings] = {}
        self._reported: Set[str] = set()

    def settings_for(self, path: str) -> Settings:
        folder = Path(path).parent
        key = _config_key(folder)
        settings = self._settings.get(key)
        if settings is None:
            if len(self._settings) >= _SETTINGS_KEPT:
                self._settings.clear()
            settings = self._settings[key] = self._resolve(folder)
        return settings

    def _resolve(self, folder: Path) -> Settings:
        try:
            settings = load_settings(None, isolated=False, search_from=folder)
        except ConfigError as exc:
            message = f"{exc}; linting with the default settings until it is corrected"
            if message not in self._reported:
                self._reported.add(message)
                self._on_config_error(message)
            settings = Settings()
        else:
            self._reported.clear()  # a problem made again after it was corrected is told again
        if settings.config_file is None:
            settings = replace(settings, root=self.root)
        # An editor lints a buffer at each change: findings are not cached on disk.
        return replace(settings, cache=False)

    def lint(self, path: str, text: str, buffers: Mapping[str, str]) -> Optional[LintedText]:
        """The findings of ``text`` as the file ``path``; None when the
        configuration excludes the file."""
        settings = self.settings_for(path)
        if excluded_from_walk(path, settings.root, settings.excludes):
            return None
        codes = enabled_codes(settings, path)
        with reading_buffers(buffers), recording_reads() as reads, reusing_trees():
            try:
                findings = lint_source(encode_source(text), path, codes, settings.analysis)
            except Exception as exc:  # a bug in the engine itself: LL002, as on the command line
                findings = [engine_failure(exc)] if INTERNAL_ERROR in codes else []
        return LintedText(findings, frozenset(reads))

    def fix_all(self, path: str, text: str, buffers: Mapping[str, str]) -> Optional[str]:
        """``text`` with every safe fix applied (as ``leaklint --fix``), or
        None when there is nothing to fix."""
        settings = self.settings_for(path)
        data = encode_source(text)
        with reading_buffers(buffers):
            fixed, _ = fix_source(data, path, enabled_codes(settings, path), settings.analysis, unsafe=False)
        return fixed.text if fixed.changed else None


def is_configuration(path: str) -> bool:
    return os.path.basename(path) == "pyproject.toml"


def _config_key(folder: Path) -> ConfigKey:
    key = []
    for directory in (folder, *folder.parents):
        candidate = os.path.join(directory, "pyproject.toml")
        try:
            status = os.stat(candidate)
            key.append((candidate, (status.st_mtime_ns, status.st_size)))
        except OSError:
            continue
    return tuple(key)
