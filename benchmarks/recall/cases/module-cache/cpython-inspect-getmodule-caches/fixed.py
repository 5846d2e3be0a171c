"""Find the module an object was defined in (after inspect.getmodule)."""
import os
import sys
import types

modulesbyfile = {}
_filesbymodname = {}


def _absfile(module):
    return os.path.normcase(os.path.abspath(module.__file__))


def _forget_removed_modules(live):
    """Drop what we learned about modules that have left sys.modules."""
    for modname in [name for name in _filesbymodname if name not in live]:
        del _filesbymodname[modname]
    for path in [p for p, name in modulesbyfile.items() if name not in live]:
        del modulesbyfile[path]


def getmodule(obj, filename=None):
    if isinstance(obj, types.ModuleType):
        return obj
    if hasattr(obj, "__module__"):
        return sys.modules.get(obj.__module__)
    if filename is not None and filename in modulesbyfile:
        return sys.modules.get(modulesbyfile[filename])
    live = sys.modules.copy()
    _forget_removed_modules(live)
    for modname, module in live.items():
        if not isinstance(module, types.ModuleType) or not getattr(module, "__file__", None):
            continue
        if module.__file__ == _filesbymodname.get(modname):
            continue
        _filesbymodname[modname] = module.__file__
        f = _absfile(module)
        modulesbyfile[f] = modulesbyfile[os.path.realpath(f)] = module.__name__
    if filename in modulesbyfile:
        return sys.modules.get(modulesbyfile[filename])
    return None
