"""Memoizing decorators, keyed by qualified name, and what keeps their caches small."""

from __future__ import annotations

# Decorators whose cache is keyed on every argument, ``self`` included.
# cachetools.cached is included only when no ``key=`` is given (see the rule).
MEMOIZERS = frozenset(
    {
        "functools.cache",
        "functools.lru_cache",
        "async_lru.alru_cache",
        "cachetools.cached",
        "cachetools.func.lru_cache",
        "cachetools.func.ttl_cache",
        "cachetools.func.lfu_cache",
        "cachetools.func.fifo_cache",
        "cachetools.func.rr_cache",
        "cachetools.func.mru_cache",
    }
)

# Decorators whose cache has no bound whatever their arguments (``lru_cache``
# has one unless given ``maxsize=None``).
UNBOUNDED_MEMOIZERS = frozenset({"functools.cache"})
# Annotations of arguments of a bounded kind: flags, literals, and classes (as
# many as the program defines), qualified or as written.
BOUNDED_ANNOTATIONS = frozenset(
    {"bool", "builtins.bool", "typing.Literal", "Literal", "builtins.type", "typing.Type", "type", "Type"}
)

# Decorators after which the function no longer receives an instance first.
NOT_INSTANCE_METHODS = frozenset({"builtins.staticmethod", "builtins.classmethod"})

# Decorators of a method that subclasses override: its own body never runs.
ABSTRACT_METHODS = frozenset({"abc.abstractmethod"})

# Methods that Python makes static or class methods without a decorator.
IMPLICIT_NON_INSTANCE_METHODS = frozenset({"__new__", "__init_subclass__", "__class_getitem__"})

# Base classes whose instances are a fixed, immortal set (so caching on them
# keeps nothing alive that was not alive anyway).
IMMORTAL_INSTANCE_BASES = frozenset(
    {
        "enum.Enum",
        "enum.IntEnum",
        "enum.StrEnum",
        "enum.Flag",
        "enum.IntFlag",
        "enum.ReprEnum",
        "builtins.type",  # metaclasses: their instances are classes
        "logging.Logger",  # the logging manager keeps every logger for good
    }
)

# Base classes of objects a framework makes once per process (applications,
# singletons of configuration, a shell's magics): nothing that refers to
# them keeps alive what would otherwise have been freed.
PROCESS_SINGLETON_BASES = frozenset(
    {
        "traitlets.config.Application",
        "traitlets.config.application.Application",
        "traitlets.config.SingletonConfigurable",
        "traitlets.config.configurable.SingletonConfigurable",
        "IPython.core.application.BaseIPythonApplication",
        "IPython.core.magic.Magics",
        "jupyter_core.application.JupyterApp",
        "jupyter_server.extension.application.ExtensionApp",
    }
)

# Endings of the names of plugin base classes (``BeetsPlugin``, mkdocs'
# ``BasePlugin``, a package's own ``MetadataSourcePlugin``): a plugin loader
# makes one instance of each plugin class when the program starts, so, like
# the singletons above, they live as long as the process whatever refers to
# them. (Not ``Extension``: Python-Markdown makes its extensions per call.)
PLUGIN_BASE_SUFFIXES = ("Plugin", "Addon", "AddOn")
