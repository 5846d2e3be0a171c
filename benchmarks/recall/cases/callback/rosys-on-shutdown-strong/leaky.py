import asyncio
import inspect
import logging
from typing import Callable

log = logging.getLogger("rosys")

shutdown_handlers = []


def on_shutdown(handler: Callable) -> None:
    """Call the handler when the application shuts down."""
    shutdown_handlers.append(handler)


async def shutdown() -> None:
    for handler in shutdown_handlers:
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
        on_shutdown(self.stop)  # leak

    async def start(self, coro):
        self.automation = asyncio.ensure_future(coro)

    def stop(self, because="shutdown"):
        if self.automation is not None:
            self.automation.cancel()
            self.log.append(f"stopped because {because}")
            self.automation = None
