"""The codes of what leaklint says about a file it could not check.

They are reported by the engine itself, not by a rule: the file is not valid
Python (``PARSE_ERROR``), a rule failed on it (``INTERNAL_ERROR``), or Python
accepts it but libcst or the analysis cannot (``UNSUPPORTED_SYNTAX``). They
are always reported unless ignored, and a ``# noqa`` cannot silence them.
"""

from __future__ import annotations

PARSE_ERROR = "LL001"
INTERNAL_ERROR = "LL002"
UNSUPPORTED_SYNTAX = "LL003"
FILE_DIAGNOSTICS = frozenset({PARSE_ERROR, INTERNAL_ERROR, UNSUPPORTED_SYNTAX})
