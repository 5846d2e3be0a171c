import asyncio
import logging
from typing import Callable, List, Optional

log = logging.getLogger("nicegui")


class ClientConnectionTimeout(TimeoutError):
    pass


class Client:
    def __init__(self):
        self._connected = asyncio.Event()
        self._delete_handlers: List[Callable[[], None]] = []

    async def connected(self, timeout: Optional[float] = None) -> None:
        try:
            await asyncio.wait_for(self._connected.wait(), timeout)
        except asyncio.TimeoutError as e:
            raise ClientConnectionTimeout() from e

    def on_delete(self, handler: Callable[[], None]) -> None:
        self._delete_handlers.append(handler)

    def delete(self) -> None:
        for handler in self._delete_handlers:
            handler()
        self._delete_handlers.clear()


class Event:
    def __init__(self):
        self.callbacks: List[Callable] = []
        self._tasks = set()

    def subscribe(self, callback: Callable, client: Optional[Client] = None) -> None:
        self.callbacks.append(callback)
        if client is None:
            return

        async def register_unsubscribe() -> None:
            try:
                await client.connected()
                client.on_delete(lambda: self.unsubscribe(callback))
            except ClientConnectionTimeout:
                log.debug("Could not register a disconnect handler for callback %s", callback)
                self.unsubscribe(callback)

        task = asyncio.get_running_loop().create_task(register_unsubscribe())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def unsubscribe(self, callback: Callable) -> None:
        if callback in self.callbacks:
            self.callbacks.remove(callback)

    def emit(self, *args) -> None:
        for callback in list(self.callbacks):
            callback(*args)


PRICE_TICK = Event()


class Label:
    def __init__(self, text: str = ""):
        self.text = text

    def set_text(self, text: str) -> None:
        self.text = text


async def stock_page(client: Client) -> Label:
    label = Label("waiting for prices")
    PRICE_TICK.subscribe(label.set_text, client)  # leak
    return label
