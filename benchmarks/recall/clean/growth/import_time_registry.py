"""The registry is filled by decorators when the module is imported, once per decorated function, so it has a fixed size."""
from typing import Callable, Dict

SERIALIZERS: Dict[str, Callable] = {}


def serializer(fmt: str):
    def register(func: Callable) -> Callable:
        SERIALIZERS[fmt] = func
        return func

    return register


@serializer("json")
def to_json(obj):
    import json
    return json.dumps(obj)


@serializer("csv")
def to_csv(rows):
    return "\n".join(",".join(map(str, row)) for row in rows)


def serialize(fmt: str, obj):
    return SERIALIZERS[fmt](obj)
