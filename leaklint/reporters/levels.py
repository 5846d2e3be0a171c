"""How serious a finding is for formats that say so (SARIF, GitHub annotations)."""

from __future__ import annotations

# LL001-LL003 mean a file was not (fully) checked: an error, not a leak warning.
FILE_NOT_CHECKED = frozenset({"LL001", "LL002", "LL003"})


def level(code: str) -> str:
    """'error' for the files leaklint could not check, 'warning' for every leak."""
    return "error" if code in FILE_NOT_CHECKED else "warning"
