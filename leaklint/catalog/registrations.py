"""Calls that register a callback somewhere long-lived, and their inverses.

Keyed by method name, because registries are objects of every library
(``signal.connect``, ``bus.subscribe``, ``widget.bind``): whether the
receiver outlives the registering object is decided by the analysis, from
where the receiver comes from. Also here: what keeps a callback weakly,
the handles a registration returns, and the signal libraries that hold
their receivers by weak reference.
"""

from __future__ import annotations

from typing import Dict, FrozenSet, Iterable, Mapping

# registering method -> the methods that undo it
REGISTRATION_METHODS: Mapping[str, FrozenSet[str]] = {
    "connect": frozenset({"disconnect", "disconnect_all", "receivers_for"}),
    "subscribe": frozenset({"unsubscribe"}),
    "add_listener": frozenset({"remove_listener", "remove_all_listeners"}),
    "addListener": frozenset({"removeListener"}),
    "addEventListener": frozenset({"removeEventListener"}),
    "on": frozenset({"off", "remove_listener", "remove_all_listeners"}),
    "bind": frozenset({"unbind", "unbind_all"}),
    "trace_add": frozenset({"trace_remove"}),
    "addHandler": frozenset({"removeHandler"}),
    "register": frozenset({"unregister"}),
    "add_callback": frozenset({"remove_callback"}),
    "add_observer": frozenset({"remove_observer"}),
    "addObserver": frozenset({"removeObserver"}),
    "watch": frozenset({"unwatch"}),
}

# Module-level functions that register, by qualified name, and their inverses.
REGISTRATION_FUNCTIONS: Mapping[str, FrozenSet[str]] = {
    "atexit.register": frozenset({"atexit.unregister"}),
    # A new handler replaces the old one: setting it again is the undo.
    "signal.signal": frozenset({"signal.signal"}),
    "sys.addaudithook": frozenset(),
    # Fork hooks cannot be unregistered: they last as long as the process.
    "os.register_at_fork": frozenset(),
}

# Wrapping a callback in these keeps no strong reference to its object.
WEAK_WRAPPERS = frozenset({"weakref.WeakMethod", "weakref.ref", "weakref.proxy"})

# Methods of a handle a registration returns that undo it: ``self._hook.disable()``.
HANDLE_UNDOERS = frozenset(
    {"remove", "disable", "cancel", "unregister", "close", "stop", "dispose", "disconnect", "unsubscribe"}
)

# Registrations that append to a process-wide list, and what undoes them
# (None: nothing can).
PROCESS_WIDE_REGISTRATIONS = {
    "atexit.register": "atexit.unregister",
    "sys.addaudithook": None,
}

# Signal libraries, by top-level module, that hold receivers by weak
# reference unless told otherwise (Qt's bindings drop a connection when the
# receiving QObject is destroyed).
WEAK_BY_DEFAULT = (
    "django", "blinker", "psygnal", "mitmproxy", "PyQt5", "PyQt6", "PySide2", "PySide6", "qtpy", "pyqtgraph"
)
# Flask's signals, by the names ``flask`` exports: they are blinker's, so weak too.
FLASK_SIGNALS = frozenset(
    {
        "signals", "request_started", "request_finished", "request_tearing_down", "got_request_exception",
        "template_rendered", "before_render_template", "appcontext_tearing_down", "appcontext_pushed",
        "appcontext_popped", "message_flashed",
    }
)


def registration_methods(extra: Iterable[str] = ()) -> Dict[str, FrozenSet[str]]:
    """The catalog, with ``callback-registries`` entries from the
    configuration (``register`` or ``register:unregister``) added."""
    methods = dict(REGISTRATION_METHODS)
    for entry in extra:
        name, _, inverse = entry.partition(":")
        methods[name] = methods.get(name, frozenset()) | (frozenset({inverse}) if inverse else frozenset())
    return methods
