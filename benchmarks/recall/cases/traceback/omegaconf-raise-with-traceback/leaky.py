"""Error helpers that re-raise config errors with the current traceback."""
import sys
from typing import Any, Optional, Type


class OmegaConfBaseException(Exception):
    def __init__(self, msg: str):
        super().__init__(msg)
        self.key: Optional[Any] = None
        self.full_key: Optional[str] = None


class ConfigKeyError(OmegaConfBaseException, KeyError):
    pass


def _raise(ex: Exception, cause: Optional[Exception]) -> None:
    ex.__cause__ = cause
    raise ex.with_traceback(sys.exc_info()[2])  # leak


def format_and_raise(node: Any, key: Any, msg: str, cause: Optional[Exception],
                     type_override: Optional[Type[OmegaConfBaseException]] = None) -> None:
    exception_type = type_override or ConfigKeyError
    full_key = f"{getattr(node, '_path', '')}.{key}" if node is not None else str(key)
    ex = exception_type(f"{msg}\n    full_key: {full_key}")  # leak
    ex.key = key
    ex.full_key = full_key
    _raise(ex, cause)


def select_value(cfg: dict, key: str) -> Any:
    try:
        return cfg[key]
    except KeyError as e:
        format_and_raise(node=None, key=key, msg=f"Key '{key}' is not in struct", cause=e)
