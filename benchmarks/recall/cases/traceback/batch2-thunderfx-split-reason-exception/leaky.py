"""Split an FX graph into parts that the compiler supports and parts it does not."""
import dataclasses
from enum import Enum, auto
from typing import List, Optional, Tuple


class SplitReasonType(Enum):
    UNSUPPORTED_NODE = auto()
    EXCEPTION_META_THUNDER_OP = auto()


@dataclasses.dataclass
class SplitReason:
    reason_type: SplitReasonType
    info: Optional[str]
    exception: Optional[Exception] = None


def _run_with_fake_inputs(node) -> None:
    if getattr(node, "target", None) == "getitem_bool_mask":
        raise NotImplementedError(f"no meta function for {node.target}")


def is_node_supported(node) -> Tuple[bool, Optional[SplitReason]]:
    try:
        _run_with_fake_inputs(node)
    except Exception as e:
        reason = SplitReason(
            SplitReasonType.EXCEPTION_META_THUNDER_OP,
            info=f"Failed while running meta for node with name: {getattr(node, 'name', node)!r}",
            exception=e,  # leak
        )
        return False, reason
    return True, None


class Backend:
    """Compiler backend; keeps every split reason so users can inspect them later."""

    def __init__(self) -> None:
        self.split_reasons: List[SplitReason] = []

    def __call__(self, graph_nodes: list) -> list:
        supported = []
        for node in graph_nodes:
            ok, reason = is_node_supported(node)
            if ok:
                supported.append(node)
            else:
                self.split_reasons.append(reason)
        return supported
