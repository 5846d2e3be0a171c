"""Train a neural-network Lyapunov function with a line-search optimizer."""
import torch


class TrainLyapunovReLU:
    def __init__(self, lyapunov_hybrid_system, V_lambda=1.0, learning_rate=1.0, max_iterations=1000,
                 loss_tolerance=1e-6):
        self.lyapunov_hybrid_system = lyapunov_hybrid_system
        self.V_lambda = V_lambda
        self.learning_rate = learning_rate
        self.max_iterations = max_iterations
        self.loss_tolerance = loss_tolerance

    def total_loss(self, state_samples):
        v = self.lyapunov_hybrid_system.lyapunov_value(state_samples)
        v_dot = self.lyapunov_hybrid_system.lyapunov_derivative(state_samples)
        positivity = torch.relu(-v + 1e-3 * state_samples.norm(dim=1)).mean()
        derivative = torch.relu(v_dot + self.V_lambda * v).mean()
        return positivity + derivative

    def train(self, state_samples):
        params = list(self.lyapunov_hybrid_system.parameters())
        optimizer = torch.optim.LBFGS(params, lr=self.learning_rate, line_search_fn="strong_wolfe")
        losses = []

        def closure():
            optimizer.zero_grad()
            loss = self.total_loss(state_samples)
            loss.backward()
            losses.append(loss.item())
            return loss

        for iter_count in range(self.max_iterations):
            optimizer.step(closure)
            if losses[-1] < self.loss_tolerance:
                return True, losses
        return False, losses
