"""Fine-tune a causal LM with accelerate inside a Ray Train worker."""
import time

import torch
from ray import train


def train_epoch(model, optimizer, lr_scheduler, train_dataloader, accelerator, epoch, log_every=10):
    model.train()
    loss_sum = torch.tensor(0.0).to(accelerator.device)
    fwd_time_sum = 0.0
    for step, batch in enumerate(train_dataloader):
        with accelerator.accumulate(model):
            s_fwd = time.time()
            outputs = model(**batch)
            loss = outputs.loss
            loss_sum += loss  # leak
            e_fwd = time.time()
            fwd_time_sum += e_fwd - s_fwd
            accelerator.backward(loss)
            optimizer.step()
            lr_scheduler.step()
            optimizer.zero_grad()

        if accelerator.is_main_process and step % log_every == 0:
            train.report({"epoch": epoch, "step": step, "train_loss_avg": loss_sum.item() / (step + 1)})
    return loss_sum.item() / max(1, len(train_dataloader))
