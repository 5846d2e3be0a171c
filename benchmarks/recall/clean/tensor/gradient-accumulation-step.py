"""The loss tensor is summed across micro-batches only within one optimizer step, backpropagated once and then dropped, so the graph never outlives the step."""
import torch


def train_step(model, optimizer, micro_batches, criterion):
    optimizer.zero_grad()
    step_loss = torch.zeros((), device=next(model.parameters()).device)
    for inputs, targets in micro_batches:
        outputs = model(inputs)
        step_loss = step_loss + criterion(outputs, targets) / len(micro_batches)
    step_loss.backward()
    optimizer.step()
    return step_loss.item()


def train(model, optimizer, batches, criterion, accumulation=4):
    history = []
    buffer = []
    for batch in batches:
        buffer.append(batch)
        if len(buffer) == accumulation:
            history.append(train_step(model, optimizer, buffer, criterion))
            buffer = []
    return history
