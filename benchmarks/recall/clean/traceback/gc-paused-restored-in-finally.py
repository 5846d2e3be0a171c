"""The cyclic collector is paused only around a bulk load and restored to its previous state in a finally, so it cannot stay disabled."""
import gc
from typing import Dict, Iterable, List


class Node:
    __slots__ = ("name", "parent", "children")

    def __init__(self, name: str):
        self.name = name
        self.parent = None
        self.children: List["Node"] = []


def build_tree(edges: Iterable[tuple]) -> Dict[str, Node]:
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        nodes: Dict[str, Node] = {}
        for parent_name, child_name in edges:
            parent = nodes.setdefault(parent_name, Node(parent_name))
            child = nodes.setdefault(child_name, Node(child_name))
            child.parent = parent
            parent.children.append(child)
        return nodes
    finally:
        if gc_was_enabled:
            gc.enable()
