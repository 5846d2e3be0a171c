"""Deferred exceptions raised by asynchronously executed tasks."""
import sys
import traceback
from typing import Any, List, Tuple, Type


def capture_stacktrace_repr(skip: int) -> str:
    """Format the current stack, minus `skip` frames, as text."""
    frame = sys._getframe(skip + 1)
    try:
        return "".join(traceback.format_stack(frame))
    finally:
        del frame


class PendingException:
    def __init__(self, exn_types: Tuple[Type[Exception], ...], future: Any, tb_repr: str):
        self._exn_types = exn_types
        self._future = future
        self._tb_repr = tb_repr

    def raise_exception(self) -> None:
        index, message = self._future.get_result()
        if index < 0:
            return
        raise self._exn_types[index](f"{message}\n\nTask launched at:\n{self._tb_repr}")


class Runtime:
    def __init__(self, max_pending_exceptions: int = 64):
        self._max_pending_exceptions = max_pending_exceptions
        self._pending_exceptions: List[PendingException] = []

    def record_pending_exception(self, exn_types, future) -> None:
        tb_repr = capture_stacktrace_repr(1)
        self._pending_exceptions.append(PendingException(exn_types, future, tb_repr))
        if len(self._pending_exceptions) >= self._max_pending_exceptions:
            self.raise_exceptions()

    def raise_exceptions(self) -> None:
        pending, self._pending_exceptions = self._pending_exceptions, []
        for exn in pending:
            exn.raise_exception()
