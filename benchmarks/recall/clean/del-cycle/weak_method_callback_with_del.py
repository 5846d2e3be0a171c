"""The player keeps only a WeakMethod to the stimulus callback, so the stimulus with its __del__ is never part of a cycle."""
import weakref


class Player:
    def __init__(self):
        self._on_eos = None

    def set_on_eos(self, bound_method):
        self._on_eos = weakref.WeakMethod(bound_method)

    def end_of_stream(self):
        callback = self._on_eos() if self._on_eos is not None else None
        if callback is not None:
            callback()

    def release(self):
        self._on_eos = None


class MovieStim:
    def __init__(self):
        self.finished = False
        self._player = Player()
        self._player.set_on_eos(self._on_eos)

    def _on_eos(self):
        self.finished = True

    def __del__(self):
        self._player.release()
