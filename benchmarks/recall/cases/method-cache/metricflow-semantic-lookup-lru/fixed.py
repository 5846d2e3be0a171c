"""Resolve element names against a semantic manifest."""
from typing import Dict, Generic, List, Optional, TypeVar

KeyT = TypeVar("KeyT")
ValueT = TypeVar("ValueT")


class LruCache(Generic[KeyT, ValueT]):
    """LRU cache based on the insertion order of a dict; owned by one instance."""

    def __init__(self, max_cache_items: int) -> None:
        self._max_cache_items = max_cache_items
        self._cache_dict: Dict[KeyT, ValueT] = {}

    def get(self, key: KeyT) -> Optional[ValueT]:
        value = self._cache_dict.pop(key, None)
        if value is not None:
            self._cache_dict[key] = value
        return value

    def set(self, key: KeyT, value: ValueT) -> None:
        if key not in self._cache_dict and len(self._cache_dict) >= self._max_cache_items:
            self._cache_dict.pop(next(iter(self._cache_dict)))
        self._cache_dict[key] = value


class SemanticModelLookup:
    def __init__(self, manifest):
        self._manifest = manifest
        self._models_by_element: Dict[str, List[object]] = {}
        for model in manifest.semantic_models:
            for element in [*model.dimensions, *model.measures, *model.entities]:
                self._models_by_element.setdefault(element.name, []).append(model)
        self._element_spec_cache: LruCache[str, tuple] = LruCache(128)

    def get_element_specs(self, element_name: str) -> tuple:
        result = self._element_spec_cache.get(element_name)
        if result is not None:
            return result
        models = self._models_by_element.get(element_name, [])
        result = tuple(
            (model.name, element.type)
            for model in models
            for element in [*model.dimensions, *model.measures, *model.entities]
            if element.name == element_name
        )
        self._element_spec_cache.set(element_name, result)
        return result


def resolve_query(manifest, requested):
    lookup = SemanticModelLookup(manifest)
    return {name: lookup.get_element_specs(name) for name in requested}
