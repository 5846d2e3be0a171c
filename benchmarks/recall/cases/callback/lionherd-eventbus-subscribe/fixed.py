import asyncio
import inspect
from typing import Any, Callable, Dict, List


class EventBus:
    def __init__(self):
        self._subs: Dict[str, List[Callable]] = {}

    def subscribe(self, event: str, handler: Callable) -> None:
        self._subs.setdefault(event, []).append(handler)

    def unsubscribe(self, event: str, handler: Callable) -> None:
        handlers = self._subs.get(event)
        if handlers and handler in handlers:
            handlers.remove(handler)
            if not handlers:
                del self._subs[event]

    async def emit(self, event: str, *args: Any, **kwargs: Any) -> None:
        for handler in list(self._subs.get(event, ())):
            result = handler(*args, **kwargs)
            if inspect.isawaitable(result):
                await result


bus = EventBus()


class RequestTracer:
    """Created once per API request to collect tool-call timings."""

    def __init__(self, request_id: str):
        self.request_id = request_id
        self.calls = []
        bus.subscribe("tool.called", self.on_tool_called)

    async def on_tool_called(self, name: str, duration: float) -> None:
        self.calls.append((name, duration))

    def close(self) -> None:
        bus.unsubscribe("tool.called", self.on_tool_called)

    def summary(self):
        return {"request": self.request_id, "calls": list(self.calls)}


async def handle_request(request_id: str):
    tracer = RequestTracer(request_id)
    try:
        await bus.emit("tool.called", "search", 0.12)
        await asyncio.sleep(0)
        return tracer.summary()
    finally:
        tracer.close()
