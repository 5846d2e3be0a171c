"""Resolve element names against a semantic manifest."""
import functools
from typing import Dict, List


class SemanticModelLookup:
    def __init__(self, manifest):
        self._manifest = manifest
        self._models_by_element: Dict[str, List[object]] = {}
        for model in manifest.semantic_models:
            for element in [*model.dimensions, *model.measures, *model.entities]:
                self._models_by_element.setdefault(element.name, []).append(model)

    @functools.lru_cache(maxsize=128)  # leak
    def get_element_specs(self, element_name: str) -> tuple:  # leak
        models = self._models_by_element.get(element_name, [])
        return tuple(
            (model.name, element.type)
            for model in models
            for element in [*model.dimensions, *model.measures, *model.entities]
            if element.name == element_name
        )


def resolve_query(manifest, requested):
    lookup = SemanticModelLookup(manifest)
    return {name: lookup.get_element_specs(name) for name in requested}
