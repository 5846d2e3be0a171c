"""The hidden state carried between batches is detached every batch (truncated BPTT), so each graph covers one batch only."""
import torch


def repackage_hidden(h):
    """Wraps hidden states in new tensors, to detach them from their history."""
    if isinstance(h, torch.Tensor):
        return h.detach()
    return tuple(repackage_hidden(v) for v in h)


def train_language_model(model, batches, optimizer, criterion, batch_size, clip=0.25):
    model.train()
    hidden = model.init_hidden(batch_size)
    total_loss = 0.0
    for data, targets in batches:
        hidden = repackage_hidden(hidden)
        model.zero_grad()
        output, hidden = model(data, hidden)
        loss = criterion(output.view(-1, output.size(-1)), targets)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
        total_loss += loss.item()
    return total_loss / max(1, len(batches))
