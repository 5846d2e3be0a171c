"""Children reach their parent through weakref.ref, so the parent's __del__ is not part of any reference cycle and runs as soon as the last outside reference goes."""
import weakref


class Device:
    def __init__(self, context, handle):
        self._context = weakref.ref(context)
        self.handle = handle

    @property
    def context(self):
        return self._context()


class Context:
    def __init__(self, lib, handles):
        self._lib = lib
        self._ptr = lib.open_context()
        self.devices = [Device(self, h) for h in handles]

    def __del__(self):
        if self._ptr is not None:
            self._lib.close_context(self._ptr)
            self._ptr = None
