"""How serious a finding is for formats that say so (SARIF, GitHub annotations)."""

from __future__ import annotations

from leaklint.syntax.diagnostics import FILE_DIAGNOSTICS

# LL001-LL003 mean a file was not (fully) checked: an error, not a leak warning.
FILE_NOT_CHECKED = FILE_DIAGNOSTICS


def level(code: str) -> str:
    """'error' for the files leaklint could not check, 'warning' for every leak."""
    return "error" if code in FILE_NOT_CHECKED else "warning"
