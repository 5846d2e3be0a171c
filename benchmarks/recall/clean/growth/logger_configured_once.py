"""The handler is added only when the named logger has none yet, so building many clients attaches a single handler in total."""
import logging
from typing import Optional

import requests


def get_client_logger(name: str = "acme.client") -> logging.Logger:
    logger = logging.getLogger(name)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    return logger


class Client:
    def __init__(self, token: str, logger: Optional[logging.Logger] = None):
        self.token = token
        self.log = logger or get_client_logger()
        self.session = requests.Session()  # other leak: the session is never closed

    def get(self, url: str):
        self.log.debug("GET %s", url)
        return self.session.get(url, headers={"Authorization": f"Bearer {self.token}"})
