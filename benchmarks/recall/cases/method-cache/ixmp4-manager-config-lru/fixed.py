"""Platform listing from the ixmp4 management API."""
from dataclasses import dataclass
from functools import lru_cache

import httpx


@dataclass
class ManagerPlatformInfo:
    id: int
    name: str
    dsn: str


class ManagerConfig:
    def __init__(self, url, auth, remote=True):
        self.url = url
        self.auth = auth
        self.remote = remote
        self.client = httpx.Client(base_url=url, auth=auth, timeout=10.0)  # other leak: the client is never closed
        self._cached_request = lru_cache()(self._uncached_request)

    def _uncached_request(self, method, path, params=None):
        response = self.client.request(method, path, params=dict(params or ()))
        response.raise_for_status()
        return response.json()

    def list_platforms(self):
        data = self._cached_request("GET", "/modeling/platforms/", (("page_size", -1),))
        return [ManagerPlatformInfo(**item) for item in data["results"]]

    def get_platform(self, name):
        for platform in self.list_platforms():
            if platform.name == name:
                return platform
        raise LookupError(name)
