import asyncio
import inspect
import logging
import weakref
from typing import Callable

log = logging.getLogger("rosys")

shutdown_handlers = []


def on_shutdown(handler: Callable) -> None:
    """Call the handler on shutdown; a bound method is held weakly, so a discarded object is not kept alive."""
    if inspect.ismethod(handler):
        def remove(ref):
            if ref in shutdown_handlers:
                shutdown_handlers.remove(ref)

        shutdown_handlers.append(weakref.WeakMethod(handler, remove))
    else:
        shutdown_handlers.append(lambda handler=handler: handler)


async def shutdown() -> None:
    for ref in list(shutdown_handlers):
        handler = ref()
        if handler is None:
            continue
        try:
            result = handler()
            if inspect.isawaitable(result):
                await result
        except Exception:
            log.exception("error in shutdown handler %s", handler)


class Automator:
    """Created once per page view; drives the robot along a path."""

    def __init__(self, steerer, default_automation=None):
        self.steerer = steerer
        self.default_automation = default_automation
        self.automation = None
        self.log = []
        on_shutdown(self.stop)

    async def start(self, coro):
        self.automation = asyncio.ensure_future(coro)

    def stop(self, because="shutdown"):
        if self.automation is not None:
            self.automation.cancel()
            self.log.append(f"stopped because {because}")
            self.automation = None
