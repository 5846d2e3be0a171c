"""functools.cached_property stores the value in the instance's __dict__, so it is freed together with the instance."""
from functools import cached_property
import json


class Manifest:
    def __init__(self, path):
        self.path = path

    @cached_property
    def data(self):
        with open(self.path, encoding="utf-8") as fh:
            return json.load(fh)

    @cached_property
    def packages(self):
        return {pkg["name"]: pkg["version"] for pkg in self.data.get("packages", [])}

    def version_of(self, name):
        return self.packages.get(name)
