"""A cheaper libcst visitor for the analyses' small walks."""

from __future__ import annotations

import libcst as cst


class NodeVisitor(cst.CSTVisitor):
    """A ``CSTVisitor`` without libcst's per-field callbacks, which no
    analysis uses and which cost as much as the visit itself."""

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        return None

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None
