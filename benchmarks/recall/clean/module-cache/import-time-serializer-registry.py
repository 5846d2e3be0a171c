"""A registry filled by class decorators while the module is imported; it holds one entry per decorated class and never grows at run time."""
import datetime
import decimal
import uuid

_SERIALIZERS = {}


def serializer(type_):
    def register(func):
        _SERIALIZERS[type_] = func
        return func

    return register


@serializer(datetime.datetime)
def _datetime(value):
    return value.isoformat()


@serializer(decimal.Decimal)
def _decimal(value):
    return str(value)


@serializer(uuid.UUID)
def _uuid(value):
    return str(value)


def to_jsonable(value):
    for type_, func in _SERIALIZERS.items():
        if isinstance(value, type_):
            return func(value)
    return value
