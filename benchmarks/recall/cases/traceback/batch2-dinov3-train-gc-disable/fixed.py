"""Self-supervised pre-training loop (single process view)."""
import gc
import logging

logger = logging.getLogger("dinov3")


def do_train(cfg, model, data_loader, optimizer, lr_schedule, max_iter: int, start_iter: int = 0):
    model.train()
    # Automatic collection stays on; a full collection up front drops set-up garbage.
    gc.collect()

    iteration = start_iter
    for data in data_loader:
        if iteration >= max_iter:
            break

        # Garbage collection (trigger manually so it happens on all ranks at the same time)
        if (iteration + 1) % 150 == 0:
            logger.info("Garbage collection")
            gc.collect()

        for group in optimizer.param_groups:
            group["lr"] = lr_schedule[iteration]

        optimizer.zero_grad(set_to_none=True)
        total_loss, metrics = model.forward_backward(data, iteration=iteration)
        optimizer.step()

        if iteration % 10 == 0:
            logger.info("it %d loss %.4f", iteration, float(total_loss))
        iteration += 1
    return iteration
