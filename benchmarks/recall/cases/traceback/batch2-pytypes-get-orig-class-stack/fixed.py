"""Recover the parameterised generic a plain instance was created from."""
import sys
import typing


def get_orig_class(obj, default_to__class__: bool = False):
    """Like ``obj.__orig_class__``, but also usable inside ``__init__``."""
    try:
        return object.__getattribute__(obj, "__orig_class__")
    except AttributeError:
        cls = object.__getattribute__(obj, "__class__")
        # typing._GenericAlias.__call__ has `self` bound to the alias we are after.
        frame = sys._getframe(2)
        try:
            while frame is not None:
                try:
                    res = frame.f_locals["self"]
                    if res.__origin__ is cls:
                        return res
                except (KeyError, AttributeError):
                    pass
                frame = frame.f_back
        finally:
            del frame
        if default_to__class__:
            return cls
        raise


T = typing.TypeVar("T")


class Box(typing.Generic[T]):
    def __init__(self, value) -> None:
        self.value = value
        self.alias = get_orig_class(self, default_to__class__=True)
