"""Where a class's base is defined: in the same module, in another module of
the project, or outside it.

The analyses that follow a class hierarchy (what a base releases; where
``__del__`` comes from) ask this one question the same way. The project's
modules are found by a locator handed down to them with the module's facts,
so that no analysis imports the project module finder back.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Any, Callable, Container, Generic, Optional, Tuple, TypeVar

from leaklint.analysis.names import LOCAL_MODULE, NameResolver, ast_dotted_name

# What the locator gives for a module of the project: its facts
# (``ModuleFacts``), whose analyses the caller asks in turn.
Module = TypeVar("Module")
# (importing file, qualified name) -> the project module defining it and the
# name there, or None when the project has no such module.
Locator = Callable[[str, str], Optional[Tuple[Any, str]]]


@dataclass(frozen=True)
class BaseClass(Generic[Module]):
    """A base class, as the module's imports resolve it."""

    qualified: str  # "<module>.Name" for a class of the same module
    name: str  # its name where it is defined
    # The project module defining it; None for the same module, or for a
    # class outside the project (``external``).
    module: Optional[Module] = None
    external: bool = False


def resolve_base(
    base: ast.expr,
    own_classes: Container[str],
    names: Optional[NameResolver],
    path: Optional[str],
    locate: Optional[Locator],
) -> Optional[BaseClass[Any]]:
    """What ``base`` (an expression of a ``class`` statement's bases) names;
    None when it cannot be told (a call, a subscript, an unresolved name)."""
    if isinstance(base, ast.Name) and base.id in own_classes:
        return BaseClass(f"{LOCAL_MODULE}.{base.id}", base.id)
    dotted = ast_dotted_name(base)
    if dotted is None or names is None or path is None:
        return None
    qualified = names.resolve_dotted(dotted)
    if qualified is None:
        return None
    if qualified.startswith(f"{LOCAL_MODULE}."):
        return BaseClass(qualified, qualified[len(LOCAL_MODULE) + 1 :])
    found = locate(path, qualified) if locate is not None else None
    if found is not None:
        return BaseClass(qualified, found[1], module=found[0])
    return BaseClass(qualified, qualified, external=True)
