"""The cache is on a classmethod, so it is keyed by the class (which lives as long as the module) and never by an instance."""
import functools
import inspect


class Command:
    name = "base"

    def __init__(self, argv):
        self.argv = argv

    @classmethod
    @functools.cache
    def option_names(cls):
        params = inspect.signature(cls.run).parameters
        return tuple(p for p in params if p != "self")

    def run(self, verbose=False, dry_run=False):
        raise NotImplementedError

    def parse(self):
        opts = {}
        for arg in self.argv:
            key = arg.lstrip("-").replace("-", "_")
            if key in self.option_names():
                opts[key] = True
        return opts
