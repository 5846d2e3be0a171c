"""Raw InfluxQL queries."""
from .connection import Influxable

_UNSET = object()


class RawQuery:
    def __init__(self, str_query=""):
        self.str_query = str_query
        self._raw_response = _UNSET

    def execute(self):
        return self.raw_response

    @property
    def query(self):
        return self.str_query

    @property
    def raw_response(self):
        if self._raw_response is _UNSET:
            self._raw_response = self._resolve()
        return self._raw_response

    def _resolve(self):
        instance = Influxable.get_instance()
        return instance.execute_query(query=self.str_query, method="post")


def poll_measurement(name, since):
    return RawQuery(f"SELECT * FROM {name} WHERE time > '{since}'").execute()
