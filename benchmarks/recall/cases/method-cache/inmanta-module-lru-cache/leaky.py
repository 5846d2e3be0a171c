"""Inmanta modules on disk: plugin files and submodules."""
import os
from functools import lru_cache
from typing import List, Tuple


class Module:
    def __init__(self, project, path):
        self._project = project
        self.path = path
        self.name = os.path.basename(path)

    @lru_cache()  # leak
    def get_plugin_files(self) -> Tuple[Tuple[str, str], ...]:  # leak
        plugin_dir = os.path.join(self.path, "plugins")
        if not os.path.isdir(plugin_dir):
            return ()
        files = []
        for dirpath, _, filenames in os.walk(plugin_dir):
            for fname in filenames:
                if fname.endswith(".py"):
                    full = os.path.join(dirpath, fname)
                    files.append((full, self._module_name_for(full, plugin_dir)))
        return tuple(files)

    @lru_cache()  # leak
    def get_all_submodules(self) -> List[str]:  # leak
        model_dir = os.path.join(self.path, "model")
        return sorted(self.name + ("" if f == "_init.cf" else "::" + f[:-3]) for f in os.listdir(model_dir) if f.endswith(".cf"))

    def _module_name_for(self, full, plugin_dir):
        rel = os.path.relpath(full, plugin_dir)[: -len(".py")].replace(os.sep, ".")
        return "inmanta_plugins.%s.%s" % (self.name, rel)
