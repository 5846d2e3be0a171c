"""Raw InfluxQL queries."""
from functools import lru_cache

from .connection import Influxable


class RawQuery:
    def __init__(self, str_query=""):
        self.str_query = str_query

    def execute(self):
        return self.raw_response

    @property
    def query(self):
        return self.str_query

    @property
    def raw_response(self):
        return self._resolve()

    @lru_cache(maxsize=None)  # leak
    def _resolve(self, *args, **kwargs):  # leak
        instance = Influxable.get_instance()
        return instance.execute_query(query=self.str_query, method="post")


def poll_measurement(name, since):
    return RawQuery(f"SELECT * FROM {name} WHERE time > '{since}'").execute()
