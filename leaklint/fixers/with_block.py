"""The fix for a resource handed straight to a call that uses it up:
``config = json.load(open(p))`` becomes

    with open(p) as f:
        config = json.load(f)

Safe: the call has read (or written) all it will before it returns, so
closing the resource right after it changes nothing else. Only for calls
that do (``json.load``, ``pickle.dump``, ``list``...), not for those that keep
the resource to use later (``csv.reader``, ``iter``), and only for a
statement on one line of its own, so that moving it into the block moves
nothing else.
"""

from __future__ import annotations

import re
from typing import Optional, Sequence

from leaklint.syntax.lazy import libcst as cst

from leaklint.catalog.resources import WHOLE_RESOURCE_CONSUMERS
from leaklint.core.context import ProposedFix

# Names for the resource in the block, the first the module does not use.
_NAMES = ("f", "file", "stream", "handle")


def with_block_fix(
    opened: cst.Call, ancestors: Sequence[cst.CSTNode], callee: Optional[str], module_text: str
) -> Optional[ProposedFix]:
    """The fix for ``opened`` given as an argument (``ancestors`` end with the
    call, its ``Arg`` and the consuming call), or None."""
    if callee not in WHOLE_RESOURCE_CONSUMERS or len(ancestors) < 5:
        return None
    consumer, statement, line = ancestors[-3], ancestors[-4], ancestors[-5]
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1 or line.body[0] is not statement:
        return None
    if not _holds_directly(statement, consumer):
        return None
    name = next((candidate for candidate in _NAMES if not re.search(rf"\b{candidate}\b", module_text)), None)
    if name is None:
        return None
    code = cst.Module(body=[]).code_for_node
    body = code(statement.deep_replace(opened, cst.Name(name)))
    if "\n" in body or "\r" in body:
        return None  # a statement over several lines: its own indentation would be off in the block
    return ProposedFix(
        title=f"Open it in a 'with' block around the {callee.rsplit('.', 1)[-1]}() call, which closes it after",
        safe=True,
        replacements=(),
        blocks=((statement, f"with {code(opened)} as {name}:", body),),
    )


def _holds_directly(statement: cst.CSTNode, call: cst.CSTNode) -> bool:
    """The statement is the call, or assigns or returns exactly its value."""
    if isinstance(statement, cst.Expr):
        return statement.value is call
    if isinstance(statement, (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Return)):
        return statement.value is call
    return False
