"""Masked language modelling criterion and the step that collects its logs."""
import torch
import torch.nn.functional as F


class MaskedLmLoss:
    def __init__(self, padding_idx):
        self.padding_idx = padding_idx

    def __call__(self, model, sample, reduce=True):
        masked_tokens = sample["target"].ne(self.padding_idx)
        sample_size = masked_tokens.int().sum()
        logits = model(**sample["net_input"], masked_tokens=masked_tokens)[0]
        targets = sample["target"][masked_tokens]
        loss = F.nll_loss(F.log_softmax(logits.view(-1, logits.size(-1)), dim=-1, dtype=torch.float32),
                          targets.view(-1), reduction="sum", ignore_index=self.padding_idx)
        logging_output = {"loss": loss.data, "ntokens": sample["ntokens"], "nsentences": sample["nsentences"], "sample_size": sample_size}
        return loss, sample_size, logging_output


class Trainer:
    def __init__(self, model, criterion, optimizer):
        self.model = model
        self.criterion = criterion
        self.optimizer = optimizer
        self.logging_history = []

    def train_step(self, samples):
        self.model.train()
        self.optimizer.zero_grad()
        logging_outputs = []
        for sample in samples:
            loss, sample_size, logging_output = self.criterion(self.model, sample)
            loss.backward()
            logging_outputs.append(logging_output)
        self.optimizer.step()
        self.logging_history.extend(logging_outputs)
        return logging_outputs
