"""The module's own registration functions: ``def on_shutdown(handler):
handlers.append(handler)`` keeps what it is given in a module-level
container that nothing in the module ever takes anything out of.

Such a function is a registry of the process, like ``atexit.register``: a
callback holding an object that is registered with it keeps the object for
as long as the process runs.
"""

from __future__ import annotations

import ast
from typing import Dict

from leaklint.analysis.containers import ModuleContainers


def keeping_functions(tree: ast.Module, containers: ModuleContainers) -> Dict[str, str]:
    """Module-level function name -> the module-level container it adds one
    of its parameters to, for containers never emptied, bounded or handed
    to code leaklint does not follow."""
    functions = {
        node.name: node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    found: Dict[str, str] = {}
    for container in containers.module.values():
        if container.bounded or container.shrunk or container.escapes:
            continue
        for growth in container.runtime_growths():
            function = growth.function
            if function is None or functions.get(getattr(function, "name", "")) is not function:
                continue
            parameters = {a.arg for a in [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]}
            # The parameter itself, not something made from it (``names.append(str(f))``).
            if isinstance(growth.value, ast.Name) and growth.value.id in parameters:
                found[function.name] = container.name
    return found
