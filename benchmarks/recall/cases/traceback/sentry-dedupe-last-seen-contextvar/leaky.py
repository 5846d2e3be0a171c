"""Drops an error event when the very same exception was just reported."""
import sys
from contextvars import ContextVar
from typing import Any, Dict, Optional


class DedupeIntegration:
    identifier = "dedupe"

    def __init__(self) -> None:
        self._last_seen: ContextVar[Any] = ContextVar("last-seen")

    def process_event(self, event: Dict[str, Any], hint: Optional[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
        if hint is None:
            return event
        exc_info = hint.get("exc_info")
        if exc_info is None:
            return event
        exc = exc_info[1]
        if self._last_seen.get(None) is exc:
            return None
        self._last_seen.set(exc)  # leak
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
