"""Result backend: record a task failure from inside an except block."""
import sys
import traceback


def traceback_clear(exc=None):
    """Drop the locals of every frame in the exception's traceback."""
    if exc is not None and getattr(exc, "__traceback__", None) is not None:
        tb = exc.__traceback__
    else:
        tb = sys.exc_info()[2]
    while tb is not None:
        try:
            tb.tb_frame.clear()
        except RuntimeError:
            pass  # the frame is still executing
        tb = tb.tb_next


class ExceptionInfo:
    """Picklable-ish summary of an exception plus the live objects."""

    def __init__(self, exc_info):
        self.type, self.exception, self.tb = exc_info
        self.traceback = "".join(traceback.format_exception(*exc_info))

    def __str__(self):
        return self.traceback


class BaseBackend:
    def __init__(self):
        self._results = {}

    def store_result(self, task_id, result, state, traceback=None):
        self._results[task_id] = (state, result, traceback)

    def mark_as_failure(self, task_id, exc, traceback=None):
        self.store_result(task_id, repr(exc), "FAILURE", traceback=traceback)

    def fail_from_current_stack(self, task_id, exc=None):
        type_, real_exc, tb = sys.exc_info()
        try:
            exc = real_exc if exc is None else exc
            exception_info = ExceptionInfo((type_, exc, tb))
            self.mark_as_failure(task_id, exc, exception_info.traceback)
            return exception_info
        finally:
            traceback_clear(exc)
            del tb
