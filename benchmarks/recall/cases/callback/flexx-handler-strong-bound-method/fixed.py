import weakref


class Emitter:
    """A long-lived event source (one per app session)."""

    def __init__(self):
        self._handlers = {}

    def connect(self, event_type, func):
        if hasattr(func, "__self__") and hasattr(func, "__func__"):
            ref = weakref.WeakMethod(func)
        else:
            ref = lambda func=func: func  # noqa: E731 - plain functions are kept strongly
        self._handlers.setdefault(event_type, []).append(ref)

    def disconnect(self, event_type, func):
        self._handlers[event_type] = [
            ref for ref in self._handlers.get(event_type, []) if ref() not in (None, func)
        ]

    def emit(self, event_type, **info):
        alive = []
        for ref in self._handlers.get(event_type, []):
            func = ref()
            if func is None:
                continue
            alive.append(ref)
            func(dict(info, type=event_type))
        self._handlers[event_type] = alive


relay = Emitter()


class ColabPainting:
    """One per connected browser; created and dropped as users come and go."""

    def __init__(self, session_id):
        self.session_id = session_id
        self.strokes = []
        relay.connect("new_stroke", self._push_stroke)

    def _push_stroke(self, ev):
        self.strokes.append(ev["points"])

    def dispose(self):
        relay.disconnect("new_stroke", self._push_stroke)
        self.strokes = []
