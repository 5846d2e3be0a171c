"""Typed parameters for model objects, stored outside the objects."""
import weakref


class WeakKeyIDDictionary:
    """Maps objects (by identity) to values without keeping the objects alive."""

    def __init__(self):
        self._keyrefs = {}
        self._keyvalues = {}

    def __setitem__(self, key, value):
        key_id = id(key)
        selfref = weakref.ref(self)

        def _remove(_ref, key_id=key_id):
            owner = selfref()
            if owner is not None:
                owner._keyrefs.pop(key_id, None)
                owner._keyvalues.pop(key_id, None)

        self._keyrefs[key_id] = weakref.ref(key, _remove)
        self._keyvalues[key_id] = value

    def __contains__(self, key):
        ref = self._keyrefs.get(id(key))
        return ref is not None and ref() is key

    def get(self, key, default=None):
        return self._keyvalues[id(key)] if key in self else default


class Parameter:
    def __init__(self, name, default=None):
        self.name = name
        self.default = default
        self.data = WeakKeyIDDictionary()

    def __get__(self, instance, owner):
        if instance is None:
            return self
        return self.data.get(instance, self.default)

    def __set__(self, instance, value):
        self.data[instance] = value


class State:
    dimensions = Parameter("dimensions", default=16)
    vocab = Parameter("vocab")

    def __init__(self, dimensions, vocab):
        self.dimensions = dimensions
        self.vocab = vocab
