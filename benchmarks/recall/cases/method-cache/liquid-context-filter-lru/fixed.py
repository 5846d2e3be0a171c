"""Render context for Liquid templates."""
import functools


class NoSuchFilterFunc(Exception):
    pass


class Context:
    def __init__(self, env, globals=None, disabled_tags=None):
        self.env = env
        self.globals = globals or {}
        self.locals = {}
        self.disabled_tags = disabled_tags or []

    def filter(self, name):
        try:
            filter_func = self.env.filters[name]
        except KeyError as err:
            raise NoSuchFilterFunc(f"unknown filter '{name}'") from err
        if getattr(filter_func, "with_context", False):
            return functools.partial(filter_func, context=self)
        if getattr(filter_func, "with_environment", False):
            return functools.partial(filter_func, environment=self.env)
        return filter_func

    def apply(self, name, value, *args):
        return self.filter(name)(value, *args)
