"""Listeners are stored as WeakMethod references that remove themselves when their object dies, so registering never keeps a subscriber alive."""
import weakref


class Source:
    def __init__(self):
        self._listeners = []

    def add_listener(self, method):
        ref = weakref.WeakMethod(method, self._listeners_remove)
        self._listeners.append(ref)

    def _listeners_remove(self, ref):
        try:
            self._listeners.remove(ref)
        except ValueError:
            pass

    def notify(self, *args):
        for ref in list(self._listeners):
            method = ref()
            if method is not None:
                method(*args)


class Table:
    def __init__(self, source: Source):
        self.rows = []
        source.add_listener(self.on_change)

    def on_change(self, row):
        self.rows.append(row)
