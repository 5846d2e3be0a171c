"""Access to electrophysiology sweeps stored in an NWB 2 file."""
import io
from functools import lru_cache

import h5py
import numpy as np


class EphysNWBData:
    def __init__(self, nwb_file, ontology):
        with open(nwb_file, "rb") as fh:
            self._buffer = io.BytesIO(fh.read())
        self._h5 = h5py.File(self._buffer, "r")
        self.ontology = ontology

    @lru_cache(maxsize=None)  # leak
    def _get_series(self, sweep_number, series_type):  # leak
        group = self._h5["acquisition" if series_type == "response" else "stimulus/presentation"]
        for name, series in group.items():
            if int(series.attrs.get("sweep_number", -1)) == sweep_number:
                return np.asarray(series["data"])
        raise KeyError((sweep_number, series_type))

    def get_sweep_data(self, sweep_number):
        return {
            "response": self._get_series(sweep_number, "response"),
            "stimulus": self._get_series(sweep_number, "stimulus"),
        }
