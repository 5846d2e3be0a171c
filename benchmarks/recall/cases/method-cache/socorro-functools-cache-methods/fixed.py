"""Elasticsearch connection context and processor schema helpers."""
from elasticsearch import Elasticsearch


class ConnectionContext:
    def __init__(self, config):
        self.config = config
        self._client = Elasticsearch(hosts=config["hosts"], timeout=config.get("timeout", 30))
        # Cached answers for things that don't change
        self._mapping_cache = {}

    def get_mapping(self, index_name, doc_type):
        key = (index_name, doc_type)
        if key not in self._mapping_cache:
            resp = self._client.indices.get_mapping(index=index_name)
            self._mapping_cache[key] = resp[index_name]["mappings"].get(doc_type, {})
        return self._mapping_cache[key]


class CopyFromSchemaRule:
    def __init__(self, schema):
        self.schema = schema

    def get_reducer(self, schema_key):
        cache_key = f"_socorro_data_reducer_{schema_key}"
        reducer = getattr(self, cache_key, None)
        if reducer is None:
            props = self.schema["properties"][schema_key]
            reducer = lambda value: {k: value[k] for k in props.get("properties", {}) if k in value}  # noqa: E731
            setattr(self, cache_key, reducer)
        return reducer

    def action(self, raw_crash, processed_crash, schema_key):
        processed_crash[schema_key] = self.get_reducer(schema_key)(raw_crash.get(schema_key, {}))
