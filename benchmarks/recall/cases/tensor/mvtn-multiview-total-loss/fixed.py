"""Train a multi-view network whose views are chosen by a learned view selector."""
import torch


def train_epoch(data_loader, models_bag, setup, criterion, epoch):
    models_bag["mvnetwork"].train()
    models_bag["mvtn"].train()
    total_loss = 0.0
    n = 0
    correct = 0
    for i, (targets, meshes, points) in enumerate(data_loader):
        c_batch_size = targets.shape[0]
        targets = targets.cuda()
        azim, elev, dist = models_bag["mvtn"](points, c_batch_size=c_batch_size)
        rendered_images, _ = models_bag["mvrenderer"](meshes, points, azim=azim, elev=elev, dist=dist)
        outputs = models_bag["mvnetwork"](rendered_images)[0]
        loss = criterion(outputs, targets)
        total_loss += loss.item()
        n += 1
        _, predicted = torch.max(outputs.data, 1)
        correct += (predicted == targets).sum().item()

        models_bag["optimizer"].zero_grad()
        if setup["is_learning_views"]:
            models_bag["mvtn_optimizer"].zero_grad()
        loss.backward()
        models_bag["optimizer"].step()
        if setup["is_learning_views"]:
            models_bag["mvtn_optimizer"].step()
    avg_loss = total_loss / n
    avg_train_acc = 100.0 * correct / (n * setup["batch_size"])
    print(f"epoch {epoch}: loss {float(avg_loss):.4f} acc {avg_train_acc:.2f}")
    return avg_train_acc, avg_loss
