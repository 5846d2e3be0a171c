"""Base class for generative label models fit by maximum likelihood."""
import logging

import torch
from torch import nn


class LearningConfig:
    def __init__(self, epochs=5, step_size=0.01, step_schedule=None, step_schedule_gamma=0.1):
        self.epochs = epochs
        self.step_size = step_size
        self.step_schedule = step_schedule
        self.step_schedule_gamma = step_schedule_gamma


class LabelModel(nn.Module):
    def _get_regularization_loss(self):
        return 0.0

    def _do_estimate_label_model(self, batches, config):
        optimizer = torch.optim.SGD(self.parameters(), lr=config.step_size)
        scheduler = None
        if config.step_schedule is not None:
            scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, config.step_schedule, config.step_schedule_gamma)

        self.train()
        for epoch in range(config.epochs):
            logging.info("Epoch {}/{}".format(epoch + 1, config.epochs))
            running_loss = 0.0
            for i_batch, inputs in enumerate(batches):
                optimizer.zero_grad()
                log_likelihood = self(*inputs)
                loss = -1 * torch.mean(log_likelihood)
                loss += self._get_regularization_loss()
                loss.backward()
                optimizer.step()
                running_loss += loss  # leak
            epoch_loss = running_loss / len(batches)
            logging.info("Train Loss: %.6f", epoch_loss)
            if scheduler is not None:
                scheduler.step()
        self.eval()
