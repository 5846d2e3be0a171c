"""Drops an error event when the very same exception was just reported."""
import sys
import weakref
from contextvars import ContextVar
from typing import Any, Dict, Optional


class DedupeIntegration:
    identifier = "dedupe"

    def __init__(self) -> None:
        self._last_seen: ContextVar[Any] = ContextVar("last-seen")

    @staticmethod
    def _fingerprint(exc: BaseException) -> Any:
        try:
            return (type(exc), hash(exc.args))
        except TypeError:
            return (type(exc), repr(exc.args))

    def process_event(self, event: Dict[str, Any], hint: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
        if hint is None:
            return event
        exc_info = hint.get("exc_info")
        if exc_info is None:
            return event
        exc = exc_info[1]
        last_seen = self._last_seen.get(None)
        if isinstance(last_seen, weakref.ref):
            if last_seen() is exc:
                return None
        elif last_seen is not None and last_seen == self._fingerprint(exc):
            return None
        try:
            self._last_seen.set(weakref.ref(exc))
        except TypeError:
            # builtin exception types cannot be weakly referenced
            self._last_seen.set(self._fingerprint(exc))
        return event


_integration = DedupeIntegration()


def capture_exception(transport, error: Optional[BaseException] = None) -> None:
    if error is None:
        exc_info = sys.exc_info()
    else:
        exc_info = (type(error), error, error.__traceback__)
    event = {"exception": {"type": exc_info[0].__name__, "value": str(exc_info[1])}}
    event = _integration.process_event(event, {"exc_info": exc_info})
    if event is not None:
        transport.send(event)
