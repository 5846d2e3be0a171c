"""Cleanup uses weakref.finalize with only the raw handle as argument (no __del__ and no reference to self), so the object's internal cycle through its bound-method callback is still collectable and the finalizer still fires."""
import weakref


def _release(lib, handle):
    lib.release(handle)


class Session:
    def __init__(self, lib):
        self._lib = lib
        self._handle = lib.acquire()
        self.on_message = self._default_handler
        self._finalizer = weakref.finalize(self, _release, lib, self._handle)

    def _default_handler(self, message):
        return message

    def close(self):
        self._finalizer()

    @property
    def closed(self):
        return not self._finalizer.alive
