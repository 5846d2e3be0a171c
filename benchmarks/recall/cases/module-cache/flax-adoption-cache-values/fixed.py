"""Adopting outside modules into a functional module context."""
import weakref

# Scope -> {module id: adopted clone}; weak on both sides.
_caches = weakref.WeakKeyDictionary()


class Module:
    def __init__(self, name=None, parent=None, **fields):
        self.name = name
        self.parent = parent
        self.fields = fields
        self.flax_id = id(self)

    def clone(self, parent):
        return type(self)(name=self.name, parent=parent, **self.fields)


def adopt_submodules(root_scope, submodules):
    """Rebind ``submodules`` under ``root_scope``, sharing clones by identity."""
    cache = _caches.get(root_scope)
    if cache is None:
        cache = weakref.WeakValueDictionary()
        _caches[root_scope] = cache
    adopted = []
    for module in submodules:
        clone = cache.get(module.flax_id)
        if clone is None:
            clone = module.clone(parent=root_scope)
            cache[module.flax_id] = clone
        adopted.append(clone)
    return adopted
