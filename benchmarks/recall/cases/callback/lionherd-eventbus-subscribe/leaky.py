import asyncio
import inspect
from typing import Any, Callable, Dict, List


class EventBus:
    def __init__(self):
        self._subs: Dict[str, List[Callable]] = {}

    def subscribe(self, event: str, handler: Callable) -> None:
        if event not in self._subs:
            self._subs[event] = []
        self._subs[event].append(handler)

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
        bus.subscribe("tool.called", self.on_tool_called)  # leak

    async def on_tool_called(self, name: str, duration: float) -> None:
        self.calls.append((name, duration))

    def summary(self):
        return {"request": self.request_id, "calls": list(self.calls)}


async def handle_request(request_id: str):
    tracer = RequestTracer(request_id)
    await bus.emit("tool.called", "search", 0.12)
    await asyncio.sleep(0)
    return tracer.summary()
