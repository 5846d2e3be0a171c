"""Future that stores exc_info and re-raises it to whoever asks for the result."""
import sys


def raise_exc_info(exc_info):
    raise exc_info[1].with_traceback(exc_info[2])  # leak


class Future:
    def __init__(self):
        self._done = False
        self._result = None
        self._exc_info = None
        self._callbacks = []

    def done(self):
        return self._done

    def result(self):
        if self._exc_info is not None:
            raise_exc_info(self._exc_info)
        return self._result

    def set_result(self, result):
        self._result = result
        self._set_done()

    def set_exc_info(self, exc_info):
        self._exc_info = exc_info
        self._set_done()

    def add_done_callback(self, fn):
        if self._done:
            fn(self)
        else:
            self._callbacks.append(fn)

    def _set_done(self):
        self._done = True
        for cb in self._callbacks:
            cb(self)
        self._callbacks = None


def run_on_future(fn, *args):
    future = Future()
    try:
        future.set_result(fn(*args))
    except Exception:
        future.set_exc_info(sys.exc_info())
    return future
