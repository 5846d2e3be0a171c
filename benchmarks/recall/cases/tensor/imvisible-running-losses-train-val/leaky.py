"""Train the pedestrian-light network (direction regression + light classification)."""
import torch


def train(model, train_loader, val_loader, optimizer, mse_criterion, ce_criterion, epochs, device, alpha=0.5):
    for epoch in range(epochs):
        model.train()
        running_loss = 0.0
        running_loss_MSE = 0.0
        running_loss_cross_entropy = 0.0
        for i, (images, labels, points) in enumerate(train_loader):
            images, labels, points = images.to(device), labels.to(device), points.to(device)
            optimizer.zero_grad()
            pred_classes, pred_direc = model(images)
            MSE = mse_criterion(pred_direc, points)
            cross_entropy = ce_criterion(pred_classes, labels)
            loss = alpha * MSE + (1 - alpha) * cross_entropy
            loss.backward()
            optimizer.step()
            running_loss += loss  # leak
            running_loss_MSE += MSE  # leak
            running_loss_cross_entropy += cross_entropy  # leak

        model.eval()
        val_running_loss = 0.0
        val_mse_loss = 0.0
        val_ce_loss = 0.0
        for images, labels, points in val_loader:
            images, labels, points = images.to(device), labels.to(device), points.to(device)
            pred_classes, pred_direc = model(images)
            MSE = mse_criterion(pred_direc, points)
            cross_entropy = ce_criterion(pred_classes, labels)
            loss = alpha * MSE + (1 - alpha) * cross_entropy
            val_running_loss += loss  # leak
            val_mse_loss += MSE  # leak
            val_ce_loss += cross_entropy  # leak

        n_train, n_val = len(train_loader), len(val_loader)
        print(f"epoch {epoch}: train {running_loss / n_train:.4f} (mse {running_loss_MSE / n_train:.4f}, "
              f"ce {running_loss_cross_entropy / n_train:.4f}) val {val_running_loss / n_val:.4f} "
              f"(mse {val_mse_loss / n_val:.4f}, ce {val_ce_loss / n_val:.4f})")
        torch.save(model.state_dict(), f"checkpoint_{epoch}.pth")
