"""Horovod trainer loop for self-supervised depth models."""
import torch


def sample_to_cuda(data):
    if isinstance(data, dict):
        return {key: sample_to_cuda(val) for key, val in data.items()}
    if isinstance(data, torch.Tensor):
        return data.to("cuda", non_blocking=True)
    return data


class HorovodTrainer:
    def __init__(self, max_epochs=50, grad_scale=1.0):
        self.max_epochs = max_epochs
        self.grad_scale = grad_scale

    def train(self, dataloader, module, optimizer):
        module.train()
        if hasattr(dataloader.sampler, "set_epoch"):
            dataloader.sampler.set_epoch(module.current_epoch)
        outputs = []
        for i, batch in enumerate(dataloader):
            optimizer.zero_grad()
            batch = sample_to_cuda(batch)
            output = module.training_step(batch, i)
            output["loss"].backward()
            optimizer.step()
            outputs.append(output)  # leak
        return module.training_epoch_end(outputs)
