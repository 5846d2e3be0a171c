"""Base class for models that checkpoint to a model directory."""
import os
import pickle
import shutil
import tempfile


class Model(object):
    def __init__(self, model_instance=None, model_dir=None, verbose=True, **kwargs):
        self.model_dir_is_temp = False
        if model_dir is not None:
            if not os.path.exists(model_dir):
                os.makedirs(model_dir)
        else:
            model_dir = tempfile.mkdtemp()
            self.model_dir_is_temp = True
        self.model_dir = model_dir
        self.model_instance = model_instance
        self.model_class = model_instance.__class__ if model_instance is not None else None
        self.verbose = verbose

    def __del__(self):
        if getattr(self, "model_dir_is_temp", False):
            shutil.rmtree(self.model_dir, ignore_errors=True)

    def get_model_filename(self):
        return os.path.join(self.model_dir, "model.pickle")

    def save(self):
        with open(self.get_model_filename(), "wb") as f:
            pickle.dump(self.model_instance, f)

    def reload(self):
        with open(self.get_model_filename(), "rb") as f:
            self.model_instance = pickle.load(f)

    def fit(self, dataset):
        for X, y, w, ids in dataset.iterbatches():
            self.model_instance.partial_fit(X, y, sample_weight=w)
        self.save()
