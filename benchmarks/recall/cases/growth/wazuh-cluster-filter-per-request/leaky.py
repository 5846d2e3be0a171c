import asyncio
import logging
import random


class ClusterFilter(logging.Filter):
    """Stamp each record with the cluster tag and subtag."""

    def __init__(self, tag: str, subtag: str, name: str = ""):
        super().__init__(name)
        self.tag = tag
        self.subtag = subtag

    def filter(self, record: logging.LogRecord) -> bool:
        record.tag = self.tag
        record.subtag = self.subtag
        return True


class Handler(asyncio.Protocol):
    """One instance per incoming local-socket request."""

    def __init__(self, fernet_key: str, logger: logging.Logger, tag: str = "Local"):
        self.fernet_key = fernet_key
        self.tag = tag
        self.logger = logger.getChild(tag)
        self.logger_filter = ClusterFilter(tag=tag, subtag="Main")
        self.logger.addFilter(self.logger_filter)  # leak

    def data_received(self, data: bytes) -> None:
        self.logger.debug("Received %d bytes", len(data))


class LocalServerHandler(Handler):
    def __init__(self, server, loop, fernet_key, cluster_items, logger):
        super().__init__(fernet_key=fernet_key, logger=logger,
                         tag=f"Local {random.randint(0, 2 ** 20)}")
        self.server = server
        self.loop = loop
        self.cluster_items = cluster_items
