"""Metric bag used by sequence-to-sequence training recipes."""
import torch
from torch import Tensor
from torcheval.metrics import Mean, Sum


class Seq2SeqBatch:
    def __init__(self, source_seqs: Tensor, target_seqs: Tensor, target_padding_mask: Tensor):
        self.source_seqs = source_seqs
        self.target_seqs = target_seqs
        self.target_padding_mask = target_padding_mask

    def num_target_elements(self) -> int:
        return int(self.target_padding_mask.sum())


class Seq2SeqMetricBag:
    def __init__(self, device: torch.device):
        self.nll_loss = Mean(device=device)
        self.num_target_elements = Sum(device=device)

    @torch.inference_mode()
    def update_batch_metrics(self, batch: Seq2SeqBatch) -> None:
        self.num_target_elements.update(torch.tensor(batch.num_target_elements()))

    def update_nll_loss(self, batch: Seq2SeqBatch, loss: Tensor) -> None:
        n = batch.num_target_elements()
        self.nll_loss.update(loss / n, weight=n)  # leak


def train_step(model, optimizer, batch: Seq2SeqBatch, metric_bag: Seq2SeqMetricBag) -> None:
    optimizer.zero_grad()
    output = model(batch.source_seqs, batch.target_seqs)
    loss = output.compute_loss(batch.target_seqs, batch.target_padding_mask)
    loss.backward()
    optimizer.step()
    metric_bag.update_nll_loss(batch, loss)
    metric_bag.update_batch_metrics(batch)
