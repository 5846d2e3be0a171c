"""REST endpoint that hands the most recent log lines to the web UI."""
import logging
from logging.handlers import MemoryHandler

from aiohttp import web


class LoggingEndpoint:
    """Serves ``GET /api/logging`` with the process's recent log output."""

    path = "/api/logging"

    def __init__(self) -> None:
        self.app = web.Application()
        root = logging.getLogger()
        self.base_handler = root.handlers[0] if root.handlers else logging.StreamHandler()

        # Buffer records so the UI can show them; no target is given.
        self.memory_logger = MemoryHandler(100000)  # leak
        root.addHandler(self.memory_logger)

        self.app.add_routes([web.get("", self.get_logs)])

    async def get_logs(self, request: web.Request) -> web.Response:
        lines = (self.base_handler.format(r) for r in self.memory_logger.buffer)
        return web.Response(text="\n".join(lines))
