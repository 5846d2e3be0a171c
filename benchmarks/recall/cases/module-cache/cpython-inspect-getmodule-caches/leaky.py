"""Find the module an object was defined in (after inspect.getmodule)."""
import os
import sys
import types

modulesbyfile = {}  # leak
_filesbymodname = {}  # leak


def _absfile(module):
    return os.path.normcase(os.path.abspath(module.__file__))


def getmodule(obj, filename=None):
    if isinstance(obj, types.ModuleType):
        return obj
    if hasattr(obj, "__module__"):
        return sys.modules.get(obj.__module__)
    if filename is not None and filename in modulesbyfile:
        return sys.modules.get(modulesbyfile[filename])
    for modname, module in sys.modules.copy().items():
        if not isinstance(module, types.ModuleType) or not getattr(module, "__file__", None):
            continue
        if module.__file__ == _filesbymodname.get(modname):
            continue
        _filesbymodname[modname] = module.__file__  # leak
        f = _absfile(module)
        modulesbyfile[f] = modulesbyfile[os.path.realpath(f)] = module.__name__  # leak
    if filename in modulesbyfile:
        return sys.modules.get(modulesbyfile[filename])
    return None
