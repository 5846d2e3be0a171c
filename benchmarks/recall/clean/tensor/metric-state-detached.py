"""The metric updates its running state from detached inputs, so the states hold plain values and no graph accumulates across batches."""
import torch


class RunningMAE:
    def __init__(self, device="cpu"):
        self.sum_abs_error = torch.tensor(0.0, device=device)
        self.count = torch.tensor(0, device=device)

    def update(self, preds: torch.Tensor, target: torch.Tensor) -> None:
        preds = preds.detach()
        self.sum_abs_error += (preds - target).abs().sum()
        self.count += target.numel()

    def compute(self) -> torch.Tensor:
        return self.sum_abs_error / self.count.clamp(min=1)

    def reset(self) -> None:
        self.sum_abs_error.zero_()
        self.count.zero_()
