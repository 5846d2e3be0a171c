"""Locating and importing conftest.py files for a directory."""
import importlib.util
from functools import lru_cache
from pathlib import Path


class PytestPluginManager:
    def __init__(self, rootpath):
        self._rootpath = Path(rootpath)
        self._conftestpath2mod = {}
        self._noconftest = False

    def _importconftest(self, conftestpath):
        mod = self._conftestpath2mod.get(conftestpath)
        if mod is None:
            spec = importlib.util.spec_from_file_location("conftest", conftestpath)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            self._conftestpath2mod[conftestpath] = mod
        return mod

    @lru_cache(maxsize=128)  # leak
    def _getconftestmodules(self, path):  # leak
        if self._noconftest:
            return []
        directory = path if path.is_dir() else path.parent
        clist = []
        for parent in reversed((directory, *directory.parents)):
            if self._rootpath not in (parent, *parent.parents):
                continue
            conftestpath = parent / "conftest.py"
            if conftestpath.is_file():
                clist.append(self._importconftest(conftestpath))
        return clist
