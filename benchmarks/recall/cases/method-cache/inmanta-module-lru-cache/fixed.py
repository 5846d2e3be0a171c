"""Inmanta modules on disk: plugin files and submodules."""
import os
from typing import List, Optional, Tuple


class Module:
    def __init__(self, project, path):
        self._project = project
        self.path = path
        self.name = os.path.basename(path)
        self._plugin_files: Optional[Tuple[Tuple[str, str], ...]] = None
        self._submodules: Optional[List[str]] = None

    def get_plugin_files(self) -> Tuple[Tuple[str, str], ...]:
        if self._plugin_files is not None:
            return self._plugin_files
        plugin_dir = os.path.join(self.path, "plugins")
        files = []
        if os.path.isdir(plugin_dir):
            for dirpath, _, filenames in os.walk(plugin_dir):
                for fname in filenames:
                    if fname.endswith(".py"):
                        full = os.path.join(dirpath, fname)
                        files.append((full, self._module_name_for(full, plugin_dir)))
        self._plugin_files = tuple(files)
        return self._plugin_files

    def get_all_submodules(self) -> List[str]:
        if self._submodules is None:
            model_dir = os.path.join(self.path, "model")
            self._submodules = sorted(self.name + ("" if f == "_init.cf" else "::" + f[:-3]) for f in os.listdir(model_dir) if f.endswith(".cf"))
        return self._submodules

    def _module_name_for(self, full, plugin_dir):
        rel = os.path.relpath(full, plugin_dir)[: -len(".py")].replace(os.sep, ".")
        return "inmanta_plugins.%s.%s" % (self.name, rel)
