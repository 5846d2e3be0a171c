"""Predictions are collected inside torch.no_grad(), so the concatenated tensors carry no autograd history."""
import torch


@torch.no_grad()
def predict(model, loader, device="cuda"):
    model.eval()
    logits = []
    labels = []
    for inputs, targets in loader:
        outputs = model(inputs.to(device))
        logits.append(outputs.cpu())
        labels.append(targets)
    return torch.cat(logits), torch.cat(labels)


def evaluate(model, loader, criterion, device="cuda"):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for inputs, targets in loader:
            outputs = model(inputs.to(device))
            total += criterion(outputs, targets.to(device))
    return total / len(loader)
