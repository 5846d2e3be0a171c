"""Simplified training loop of a generic Trainer."""
import logging

import torch

logger = logging.getLogger(__name__)


class Trainer:
    def __init__(self, model, args, optimizer, lr_scheduler):
        self.model = model
        self.args = args
        self.optimizer = optimizer
        self.lr_scheduler = lr_scheduler
        self.global_step = 0

    def training_step(self, model, inputs):
        model.train()
        inputs = {k: v.to(self.args.device) for k, v in inputs.items()}
        outputs = model(**inputs)
        loss = outputs[0]
        if self.args.gradient_accumulation_steps > 1:
            loss = loss / self.args.gradient_accumulation_steps
        loss.backward()
        return loss.detach()

    def train(self, train_dataloader, num_train_epochs):
        tr_loss = torch.tensor(0.0).to(self.args.device)
        logging_loss_scalar = 0.0
        model = self.model
        for epoch in range(num_train_epochs):
            for step, inputs in enumerate(train_dataloader):
                tr_loss += self.training_step(model, inputs)
                if (step + 1) % self.args.gradient_accumulation_steps == 0:
                    torch.nn.utils.clip_grad_norm_(model.parameters(), self.args.max_grad_norm)
                    self.optimizer.step()
                    self.lr_scheduler.step()
                    model.zero_grad()
                    self.global_step += 1
                    if self.global_step % self.args.logging_steps == 0:
                        tr_loss_scalar = tr_loss.item()
                        logger.info("loss=%.4f", (tr_loss_scalar - logging_loss_scalar) / self.args.logging_steps)
                        logging_loss_scalar = tr_loss_scalar
        return self.global_step, tr_loss.item() / max(1, self.global_step)
