"""Training loop for a YOLO detector."""
from collections import defaultdict

import torch


class ModelTrainer:
    def __init__(self, model, loss_fn, optimizer, device):
        self.model = model
        self.loss_fn = loss_fn
        self.optimizer = optimizer
        self.device = device

    def train_one_batch(self, images, targets):
        images, targets = images.to(self.device), targets.to(self.device)
        self.optimizer.zero_grad()
        predicts = self.model(images)
        loss, loss_each = self.loss_fn(predicts, targets)
        loss.backward()
        self.optimizer.step()
        return loss_each

    def train_one_epoch(self, dataloader):
        self.model.train()
        total_loss = defaultdict(lambda: torch.tensor(0.0, device=self.device))
        total_samples = 0
        for batch_size, images, targets, *_ in dataloader:
            loss_each = self.train_one_batch(images, targets)
            for loss_name, loss_val in loss_each.items():
                total_loss[loss_name] += loss_val * batch_size  # leak
            total_samples += batch_size
        return {name: value / total_samples for name, value in total_loss.items()}
