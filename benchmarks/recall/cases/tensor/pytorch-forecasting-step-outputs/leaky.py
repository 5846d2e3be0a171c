"""Lightning base model for forecasting networks."""
import torch
from lightning.pytorch import LightningModule


class BaseModel(LightningModule):
    def __init__(self, loss):
        super().__init__()
        self.loss = loss
        self.training_step_outputs = []
        self.validation_step_outputs = []

    def step(self, x, y, batch_idx):
        out = self(x)
        prediction = out["prediction"]
        loss = self.loss(prediction, y[0])
        self.log(f"{['val', 'train'][self.training]}_loss", loss, on_step=self.training, on_epoch=True,
                 prog_bar=True, batch_size=len(x["decoder_target"]))
        log = {"loss": loss, "n_samples": x["decoder_lengths"].size(0)}
        return log, out

    def training_step(self, batch, batch_idx):
        x, y = batch
        log, out = self.step(x, y, batch_idx)
        self.training_step_outputs.append(log)  # leak
        return log

    def validation_step(self, batch, batch_idx):
        x, y = batch
        log, out = self.step(x, y, batch_idx)
        log.update(self.create_log(x, y, out, batch_idx))
        self.validation_step_outputs.append(log)  # leak
        return log

    def create_log(self, x, y, out, batch_idx):
        return {"prediction": out["prediction"]}

    def on_train_epoch_end(self):
        self.epoch_end(self.training_step_outputs)
        self.training_step_outputs.clear()

    def on_validation_epoch_end(self):
        self.epoch_end(self.validation_step_outputs)
        self.validation_step_outputs.clear()

    def epoch_end(self, outputs):
        pass
