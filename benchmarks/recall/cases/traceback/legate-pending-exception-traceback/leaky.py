"""Deferred exceptions raised by asynchronously executed tasks."""
import sys
import types
from typing import Any, List, Optional, Tuple, Type


def capture_stacktrace(skip: int) -> Optional[types.TracebackType]:
    """Build a traceback object for the current stack, minus `skip` frames."""
    frame = sys._getframe(skip + 1)
    tb = None
    while frame is not None:
        tb = types.TracebackType(tb, frame, frame.f_lasti, frame.f_lineno)
        frame = frame.f_back
    return tb


class PendingException:
    def __init__(self, exn_types: Tuple[Type[Exception], ...], future: Any, tb: Optional[types.TracebackType]):
        self._exn_types = exn_types
        self._future = future
        self._tb = tb  # leak

    def raise_exception(self) -> None:
        index, message = self._future.get_result()
        if index < 0:
            return
        raise self._exn_types[index](message).with_traceback(self._tb)


class Runtime:
    def __init__(self, max_pending_exceptions: int = 64):
        self._max_pending_exceptions = max_pending_exceptions
        self._pending_exceptions: List[PendingException] = []

    def record_pending_exception(self, exn_types, future) -> None:
        tb = capture_stacktrace(1)
        self._pending_exceptions.append(PendingException(exn_types, future, tb))  # leak
        if len(self._pending_exceptions) >= self._max_pending_exceptions:
            self.raise_exceptions()

    def raise_exceptions(self) -> None:
        pending, self._pending_exceptions = self._pending_exceptions, []
        for exn in pending:
            exn.raise_exception()
