"""Where a node stands: read off the traversal's ancestor path."""

from __future__ import annotations

from typing import Optional, Sequence

import libcst as cst


def owning_class(ancestors: Sequence[cst.CSTNode]) -> Optional[cst.ClassDef]:
    """The class whose body directly defines the last node of ``ancestors``.

    Statements such as ``if``/``try`` between the class and the node do not
    matter; a function in between does (then the node is not a class member).
    """
    for node in reversed(ancestors[:-1]):
        if isinstance(node, cst.ClassDef):
            return node
        if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.Module)):
            return None
    return None
