"""Per-microbatch loss hook used by the pipeline schedule."""
from typing import Any, Callable, Dict, List

import torch
import torch.distributed as dist


def is_mp_src_rank_with_outputs(tp_rank: int, cp_rank: int, is_last_stage: bool) -> bool:
    return tp_rank == 0 and cp_rank == 0 and is_last_stage


def unpack_forward_output(output_tensor: torch.Tensor, cp_group) -> Dict[str, torch.Tensor]:
    gathered = [torch.empty_like(output_tensor) for _ in range(dist.get_world_size(cp_group))]
    dist.all_gather(gathered, output_tensor, group=cp_group)
    log_probs = torch.cat(gathered, dim=1)
    return {"log_probs": log_probs, "entropy": -(log_probs.exp() * log_probs).sum(-1)}


def detach_tree(obj: Any) -> Any:
    if isinstance(obj, torch.Tensor):
        return obj.detach()
    if isinstance(obj, dict):
        return {k: detach_tree(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(detach_tree(v) for v in obj)
    return obj


def make_loss_hook(loss_function: Callable, batch: Dict[str, Any], cp_group,
                   output_lst: List[Dict[str, Any]], keep_outputs: bool):
    def loss_hook(output_tensor: torch.Tensor):
        model_output = unpack_forward_output(output_tensor, cp_group)
        loss, metrics = loss_function(model_output, batch)
        if keep_outputs:
            # the live model_output still goes to loss_function; only the stashed copy is detached
            output_lst.append({"model_output": detach_tree(model_output), "loss": loss.detach(), "metrics": metrics})
        return loss, metrics

    return loss_hook
