"""Nodes point at their parent and the parent at its children, but no class defines __del__, so the cycle is ordinary garbage the collector frees."""


class Node:
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
        self.children = []
        if parent is not None:
            parent.children.append(self)

    def path(self):
        parts = []
        node = self
        while node is not None:
            parts.append(node.name)
            node = node.parent
        return "/".join(reversed(parts))

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()
