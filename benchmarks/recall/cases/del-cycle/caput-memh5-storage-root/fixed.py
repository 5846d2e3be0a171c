"""Containers mirroring an HDF5 tree in memory; datasets know their storage root."""
import weakref

import h5py
import numpy as np


class MemDataset(object):
    def __init__(self, name, data):
        self.name = name
        self.data = data
        self._storage_root = None

    @property
    def root(self):
        return self._storage_root() if self._storage_root is not None else None


class BasicCont(object):
    """Top of the tree: owns the datasets and, when on disk, the open file."""

    def __init__(self, filename=None, ondisk=False):
        self._datasets = {}
        self._file = h5py.File(filename, "r") if ondisk else None

    @classmethod
    def from_file(cls, filename, ondisk=False):
        return cls(filename=filename, ondisk=ondisk)

    def create_dataset(self, name, data):
        dset = MemDataset(name, np.asarray(data))
        dset._storage_root = weakref.ref(self)
        self._datasets[name] = dset
        return dset

    def __getitem__(self, name):
        return self._datasets[name]

    def close(self):
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
