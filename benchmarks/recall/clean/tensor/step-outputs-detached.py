"""Step outputs kept for the epoch-end hook are detached and moved to the CPU before being appended, so the list holds no graph."""
import torch


class EpochOutputs:
    def __init__(self):
        self.items = []

    def add(self, loss: torch.Tensor, preds: torch.Tensor, n_samples: int) -> None:
        self.items.append({"loss": loss.detach().cpu(), "preds": preds.detach().cpu(), "n_samples": n_samples})

    def mean_loss(self) -> float:
        total = sum(float(item["loss"]) * item["n_samples"] for item in self.items)
        count = sum(item["n_samples"] for item in self.items)
        return total / max(1, count)

    def clear(self) -> None:
        self.items.clear()


def training_step(model, batch, criterion, outputs: EpochOutputs):
    inputs, targets = batch
    preds = model(inputs)
    loss = criterion(preds, targets)
    outputs.add(loss, preds, inputs.size(0))
    return loss
