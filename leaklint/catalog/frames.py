"""Calls that hand out frames, exceptions and tracebacks, by qualified name.

A frame keeps all of its locals alive; a traceback keeps every frame it runs
through. Whoever stores one keeps all of that.
"""

from __future__ import annotations

# Functions returning the running frame (or one of its callers).
FRAME_GETTERS = frozenset({"inspect.currentframe", "sys._getframe"})
# The function returning the exception being handled as (type, value, traceback).
EXC_INFO = "sys.exc_info"
