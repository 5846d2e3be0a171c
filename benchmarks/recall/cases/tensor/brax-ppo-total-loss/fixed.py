"""PPO training loop for a Brax environment wrapped for PyTorch."""
import torch


def compute_ppo_loss(agent, batch, clip=0.3):
    logits, values = agent(batch["observation"])
    dist = torch.distributions.Normal(logits, 1.0)
    log_prob = dist.log_prob(batch["action"]).sum(-1)
    ratio = torch.exp(log_prob - batch["old_log_prob"])
    adv = batch["advantage"]
    policy_loss = -torch.min(ratio * adv, ratio.clamp(1 - clip, 1 + clip) * adv).mean()
    value_loss = (values.squeeze(-1) - batch["returns"]).pow(2).mean()
    return policy_loss + 0.5 * value_loss


def train(agent, optimizer, rollouts, num_updates):
    total_loss = 0
    for i in range(num_updates):
        batch = rollouts.sample()
        optimizer.zero_grad()
        loss = compute_ppo_loss(agent, batch)
        loss.backward()
        optimizer.step()
        total_loss += float(loss)
    return total_loss / num_updates
