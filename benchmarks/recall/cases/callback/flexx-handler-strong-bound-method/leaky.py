class Emitter:
    """A long-lived event source (one per app session)."""

    def __init__(self):
        self._handlers = {}

    def connect(self, event_type, func):
        self._handlers.setdefault(event_type, []).append(func)

    def disconnect(self, event_type, func):
        handlers = self._handlers.get(event_type, [])
        if func in handlers:
            handlers.remove(func)

    def emit(self, event_type, **info):
        for func in list(self._handlers.get(event_type, [])):
            func(dict(info, type=event_type))


relay = Emitter()


class ColabPainting:
    """One per connected browser; created and dropped as users come and go."""

    def __init__(self, session_id):
        self.session_id = session_id
        self.strokes = []
        relay.connect("new_stroke", self._push_stroke)  # leak

    def _push_stroke(self, ev):
        self.strokes.append(ev["points"])

    def dispose(self):
        relay.disconnect("new_strokes", self._push_stroke)
        self.strokes = []
