"""Fine-tune a BERT question-answering model (homework 7)."""
import torch
from tqdm.auto import tqdm


def train_one_epoch(model, train_loader, optimizer, accelerator, logging_step=100):
    model.train()
    step = 1
    train_loss = train_acc = 0
    for data in tqdm(train_loader):
        output = model(input_ids=data[0], token_type_ids=data[1], attention_mask=data[2],
                       start_positions=data[3], end_positions=data[4])

        start_index = torch.argmax(output.start_logits, dim=1)
        end_index = torch.argmax(output.end_logits, dim=1)

        train_acc += ((start_index == data[3]) & (end_index == data[4])).float().mean()
        train_loss += output.loss  # leak

        accelerator.backward(output.loss)
        optimizer.step()
        optimizer.zero_grad()
        step += 1

        if step % logging_step == 0:
            print(f"Step {step} | loss = {train_loss.item() / logging_step:.3f}, acc = {train_acc / logging_step:.3f}")
            train_loss = train_acc = 0
