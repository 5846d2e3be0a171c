import asyncio
import contextvars
import logging
import random

context_tag: contextvars.ContextVar = contextvars.ContextVar("tag", default="")
context_subtag: contextvars.ContextVar = contextvars.ContextVar("subtag", default="")


class ClusterFilter(logging.Filter):
    """Stamp each record with the tag and subtag of the current context."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.tag = context_tag.get()
        record.subtag = context_subtag.get()
        return True


cluster_logger = logging.getLogger("wazuh.cluster")
cluster_logger.addFilter(ClusterFilter())


class Handler(asyncio.Protocol):
    """One instance per incoming local-socket request."""

    def __init__(self, fernet_key: str, logger: logging.Logger, tag: str = "Local"):
        self.fernet_key = fernet_key
        self.tag = tag
        self.logger = logger

    def data_received(self, data: bytes) -> None:
        context_tag.set(self.tag)
        context_subtag.set("Main")
        self.logger.debug("Received %d bytes", len(data))


class LocalServerHandler(Handler):
    def __init__(self, server, loop, fernet_key, cluster_items, logger):
        super().__init__(fernet_key=fernet_key, logger=logger,
                         tag=f"Local {random.randint(0, 2 ** 20)}")
        self.server = server
        self.loop = loop
        self.cluster_items = cluster_items
