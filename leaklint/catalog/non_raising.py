"""Calls that, in practice, do not raise.

Work between acquiring a resource and releasing it that cannot fail leaves
no path on which the release is skipped: registering a clean-up, appending
to a list, asking an object's length or type, reading a clock, logging.
"""

from __future__ import annotations

# Methods, by name: registering a clean-up, appending to a list, asking a
# socket for its descriptor, waking waiters, closing something else.
NON_RAISING_METHODS = frozenset(
    {
        "append",
        "appendleft",
        "add",
        "addCleanup",
        "enterContext",
        # asking a socket for its descriptor or name, setting its timeout
        "fileno",
        "getsockname",
        "settimeout",
        "setblocking",
        # waking waiters of a condition already held
        "notify",
        "notify_all",
        # closing something else: clean-up, not work that fails half-way
        "close",
    }
)
# Builtins, as written.
NON_RAISING_FUNCTIONS = frozenset(
    {"len", "isinstance", "issubclass", "id", "type", "callable", "round", "abs", "min", "max"}
)
# Reading clocks and identities, waiting, as written.
NON_RAISING_DOTTED = frozenset(
    {"time.time", "time.monotonic", "time.perf_counter", "time.time_ns", "time.monotonic_ns", "time.sleep", "os.getpid",
     "threading.get_ident"}
)
# ``logging.Logger``'s reporting methods: logging reports its handlers'
# failures itself instead of raising them.
LOGGING_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})
