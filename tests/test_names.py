"""Qualified names from the file's own imports and bindings."""

from __future__ import annotations

import ast
from typing import List, Optional

import libcst as cst

from leaklint.analysis.names import NameResolver


class _Collect(cst.CSTVisitor):
    """Resolves every call's callee at the point of the call."""

    def __init__(self, resolver: NameResolver) -> None:
        super().__init__()
        self.resolver = resolver
        self.ancestors: List[cst.CSTNode] = []
        self.names: List[Optional[str]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.ancestors.append(node)
        if isinstance(node, cst.Call):
            self.names.append(self.resolver.qualified_name(node.func, self.ancestors))
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.ancestors.pop()


def resolve_calls(source: str) -> List[Optional[str]]:
    collector = _Collect(NameResolver(ast.parse(source)))
    cst.parse_module(source).visit(collector)
    return collector.names


def test_imports_and_aliases():
    source = (
        "import subprocess as sp\nimport os.path\nfrom functools import lru_cache as memo\n"
        "from . import sibling\nsp.Popen()\nos.path.join()\nmemo()\nsibling.f()\nopen()\n"
    )
    assert resolve_calls(source) == [
        "subprocess.Popen",
        "os.path.join",
        "functools.lru_cache",
        ".sibling.f",
        "builtins.open",
    ]


def test_shadowing_by_assignment_parameter_or_definition():
    source = (
        "def open(p): pass\nopen()\n"
        "def f(print):\n    print()\n"
        "def g():\n    len = 3\n    len()\n"
        "sorted()\n"
    )
    # A module-level def is the file's own: ``<module>.open``, not the builtin.
    assert resolve_calls(source) == ["<module>.open", None, None, "builtins.sorted"]


def test_local_import_in_a_function():
    source = "def f():\n    import json as j\n    j.load()\nj.load()\n"
    assert resolve_calls(source) == ["json.load", None]


def test_class_body_names_are_not_seen_by_methods():
    source = (
        "class A:\n    def open(self): pass\n    open()\n"
        "    def read(self):\n        return open()\n"
    )
    assert resolve_calls(source) == [None, "builtins.open"]


def test_global_declaration_uses_the_module_binding():
    source = "import json\ndef f():\n    global json\n    json = None\n    json.load()\n"
    assert resolve_calls(source) == [None]


def test_two_different_imports_of_one_name_are_ambiguous():
    source = (
        "try:\n    import simplejson as json\nexcept ImportError:\n    import json\n"
        "json.load()\n"
    )
    assert resolve_calls(source) == [None]


def test_star_import_hides_builtins():
    assert resolve_calls("from os import *\nopen()\n") == [None]


def test_decorators_resolve_in_the_enclosing_scope():
    source = "import functools\ndef f(functools=None):\n    pass\n@functools.lru_cache()\ndef g(): pass\n"
    # The parameter binds only inside f; the module-level name is the import.
    assert resolve_calls(source) == ["functools.lru_cache"]
