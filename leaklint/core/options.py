"""What the analysis is told by configuration, beyond which codes to report.

Linting a file is a function of its bytes, its path and these options, so
they travel with every file (to worker processes, into cache keys).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Tuple


@dataclass(frozen=True)
class AnalysisOptions:
    # Functions that return a fresh resource, by qualified name (``mylib.connect``).
    resource_functions: Tuple[str, ...] = ()
    # Extra callback registration methods (``add_hook`` or ``add_hook:remove_hook``).
    callback_registries: Tuple[str, ...] = ()
