"""Names Python itself gives meaning to: special methods and attributes, builtins that reach attributes by name.

Read as written (``obj.__class__``, ``getattr(self, name)``): the language
defines them, so no import resolution is needed.
"""

from __future__ import annotations

# Methods Python runs when a class is created, not when the program serves.
CLASS_CREATION_METHODS = frozenset({"__init_subclass__", "__set_name__", "__class_getitem__"})
# Attributes naming what code defines: a class, its name, a code object and its parts.
DEFINITION_ATTRIBUTES = frozenset(
    {"__class__", "__name__", "__qualname__", "__module__", "__code__", "f_code", "co_filename", "co_name",
     "co_qualname"}
)
# Attributes that do not change from call to call: the module's name, the class.
FIXED_ATTRIBUTES = frozenset({"__name__", "__qualname__", "__module__", "__class__"})
# Names, as written, that do not change from call to call: a module's own
# globals (and ``__qualname__``, ``__module__`` in a class body).
FIXED_MODULE_NAMES = frozenset({"__name__", "__qualname__", "__module__", "__package__", "__file__", "__spec__"})
# Python's own names for "the object's attributes, dynamically": a class that
# uses them on itself may release attributes leaklint cannot see by name.
DYNAMIC_ACCESS = frozenset({"getattr", "vars", "delattr"})
