"""Batch inference over a large dataset, collecting predicted labels on the CPU."""
import torch


def predict_labels(model, loader, device="cuda"):
    model.eval()
    y_predlabel = torch.empty(0)
    for batch_x in loader:
        batch_x = batch_x.to(device)
        batch_y_predlabel = torch.sigmoid(model(batch_x)).squeeze(-1)
        y_predlabel = torch.cat((y_predlabel, batch_y_predlabel.detach().cpu()))
    return y_predlabel
