"""Introspection helpers used to build runnable dependency graphs."""
import ast
import inspect
import textwrap
from functools import cached_property


class _NonLocals(ast.NodeVisitor):
    def __init__(self):
        self.loads = set()

    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load):
            self.loads.add(node.id)


def get_function_nonlocals(func):
    """Values of the free names ``func`` reads, looked up in its closure."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError):
        return []
    visitor = _NonLocals()
    visitor.visit(tree)
    closure = inspect.getclosurevars(func)
    scope = {**closure.globals, **closure.nonlocals}
    return [scope[name] for name in sorted(visitor.loads) if name in scope]


class RunnableLambda:
    def __init__(self, func):
        self.func = func

    @cached_property
    def deps(self):
        # Computed once per instance and stored on it, so it dies with it.
        return [dep for dep in get_function_nonlocals(self.func) if hasattr(dep, "invoke")]

    def invoke(self, value):
        return self.func(value)
