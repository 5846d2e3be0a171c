"""Run a recurrent cell over a long stream of feature frames."""
import torch
from torch import nn


class StreamEncoder(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers=2):
        super().__init__()
        self.rnn = nn.GRU(input_size, hidden_size, num_layers)
        self.head = nn.Linear(hidden_size, 1)
        self.num_layers = num_layers
        self.hidden_size = hidden_size

    def init_hidden(self, batch_size, device):
        return torch.zeros(self.num_layers, batch_size, self.hidden_size, device=device)


def encode_stream(encoder, frames, device="cuda"):
    hidden = encoder.init_hidden(frames.size(1), device)
    scores = []
    for i in range(frames.size(0)):
        data = frames[i : i + 1].to(device)
        out, hidden = encoder.rnn(data, hidden)  # leak
        scores.append(encoder.head(out[-1]).item())
    return scores
