"""The fix for ``with`` on a connection whose block is a transaction:
``with sqlite3.connect(p) as conn:`` becomes ``with
contextlib.closing(sqlite3.connect(p)) as conn, conn:``, which keeps the
transaction (commit, or rollback on an exception) and then closes.

Safe when the block only calls methods of the connection and nothing else in
the function (or module) names it: then nothing can use it after the block,
where it is now closed. Unsafe otherwise (returned, stored, used after).
"""

from __future__ import annotations

from typing import Iterator, List, Optional, Sequence, Tuple

from leaklint.syntax.lazy import libcst as cst

from leaklint.analysis.import_block import imported_as
from leaklint.core.context import ProposedFix


def closing_fix(item: cst.WithItem, with_node: cst.With, ancestors: Sequence[cst.CSTNode], tree: object) -> Optional[ProposedFix]:
    """The fix for ``item`` of ``with_node``; None without ``as name``."""
    if item.asname is None or not isinstance(item.asname.name, cst.Name):
        return None
    name = item.asname.name.value
    spelled = imported_as(tree, "contextlib", "closing")  # type: ignore[arg-type]
    code = cst.Module(body=[]).code_for_node
    scope = next((node for node in reversed(ancestors) if isinstance(node, cst.FunctionDef)), ancestors[0])
    return ProposedFix(
        title="Close it on leaving the block with contextlib.closing(), keeping the transaction",
        safe=_only_methods_called(with_node, name) and not _named_outside(scope, with_node, name),
        replacements=(
            (item.item, f"{spelled or 'contextlib.closing'}({code(item.item)})"),
            (item.asname.name, f"{name}, {name}"),
        ),
        imports=() if spelled else ("contextlib",),
    )


def _only_methods_called(with_node: cst.With, name: str) -> bool:
    """In the block, ``name`` appears only as ``name.method(...)``'s receiver."""
    return all(
        isinstance(parent, cst.Attribute) and parent.value is node for node, parent in _name_uses(with_node.body, name)
    )


def _named_outside(scope: cst.CSTNode, with_node: cst.With, name: str) -> bool:
    """``name`` appears in ``scope`` outside the ``with`` statement."""
    return any(True for _ in _name_uses(scope, name, skip=with_node))


def _name_uses(root: cst.CSTNode, name: str, skip: Optional[cst.CSTNode] = None) -> Iterator[Tuple[cst.CSTNode, cst.CSTNode]]:
    """(``Name(name)``, its parent) under ``root``, outside ``skip``."""
    stack: List[Tuple[cst.CSTNode, cst.CSTNode]] = [(root, root)]
    while stack:
        node, parent = stack.pop()
        if node is skip:
            continue
        if isinstance(node, cst.Name) and node.value == name:
            yield node, parent
        stack.extend((child, node) for child in node.children)
