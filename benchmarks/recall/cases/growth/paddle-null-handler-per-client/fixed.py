import logging
from typing import Optional

import requests


_NULL_LOGGER = logging.getLogger("null_logger")
_NULL_LOGGER.addHandler(logging.NullHandler())


class Client:
    """Thin HTTP client for the billing API."""

    def __init__(self, api_key: str, environment: str = "production",
                 logger: Optional[logging.Logger] = None):
        self.api_key = api_key
        self.base_url = (
            "https://api.example-billing.com" if environment == "production"
            else "https://sandbox-api.example-billing.com"
        )
        self.log = logger if logger else Client.null_logger()
        self.session = requests.Session()  # other leak: the session is never closed
        self.session.headers.update({"Authorization": f"Bearer {api_key}"})

    @staticmethod
    def null_logger() -> logging.Logger:
        return _NULL_LOGGER

    def get(self, path: str, params=None):
        url = f"{self.base_url}/{path.lstrip('/')}"
        self.log.debug("GET %s", url)
        response = self.session.get(url, params=params)
        response.raise_for_status()
        return response.json()
