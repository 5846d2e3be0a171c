"""Elasticsearch connection context and processor schema helpers."""
import functools

from elasticsearch import Elasticsearch


class ConnectionContext:
    def __init__(self, config):
        self.config = config
        self._client = Elasticsearch(hosts=config["hosts"], timeout=config.get("timeout", 30))

    @functools.cache  # leak
    def get_mapping(self, index_name, doc_type):  # leak
        resp = self._client.indices.get_mapping(index=index_name)
        return resp[index_name]["mappings"].get(doc_type, {})


class CopyFromSchemaRule:
    def __init__(self, schema):
        self.schema = schema

    @functools.cache  # leak
    def get_reducer(self, schema_key):  # leak
        props = self.schema["properties"][schema_key]
        return lambda value: {k: value[k] for k in props.get("properties", {}) if k in value}

    def action(self, raw_crash, processed_crash, schema_key):
        processed_crash[schema_key] = self.get_reducer(schema_key)(raw_crash.get(schema_key, {}))
