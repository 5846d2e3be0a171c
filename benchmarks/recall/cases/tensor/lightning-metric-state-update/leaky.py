"""Stateful metrics that accumulate over batches."""
from typing import Any, Callable, Dict, Optional

import torch
from torch import nn


class Metric(nn.Module):
    def __init__(self):
        super().__init__()
        self._defaults: Dict[str, torch.Tensor] = {}
        self._reductions: Dict[str, Optional[Callable]] = {}
        self._forward_cache = None

    def add_state(self, name: str, default: torch.Tensor, dist_reduce_fx: Optional[str] = None) -> None:
        self._defaults[name] = default.clone()
        self._reductions[name] = dist_reduce_fx
        setattr(self, name, default.clone())

    def reset(self) -> None:
        for name, default in self._defaults.items():
            setattr(self, name, default.clone())

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        self.update(*args, **kwargs)
        self._forward_cache = self.compute()
        return self._forward_cache

    def update(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError

    def compute(self) -> Any:
        raise NotImplementedError


class MeanSquaredError(Metric):
    def __init__(self):
        super().__init__()
        self.add_state("sum_squared_error", default=torch.tensor(0.0), dist_reduce_fx="sum")
        self.add_state("total", default=torch.tensor(0), dist_reduce_fx="sum")

    def update(self, preds: torch.Tensor, target: torch.Tensor) -> None:
        self.sum_squared_error += torch.sum((preds - target) ** 2)  # leak
        self.total += target.numel()

    def compute(self) -> torch.Tensor:
        return self.sum_squared_error / self.total
