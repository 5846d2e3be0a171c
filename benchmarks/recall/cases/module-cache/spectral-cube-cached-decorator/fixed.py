"""Spectral cube container with cached world-coordinate helpers."""
from functools import wraps

import numpy as np


def cached(func):
    """Cache the result of a method for the given arguments."""

    @wraps(func)
    def wrapper(self, *args):
        # The cache lives in the instance so that it is collected with it.
        key = (func, args)
        if key not in self._cache:
            self._cache[key] = func(self, *args)
        return self._cache[key]

    return wrapper


class SpectralCube:
    def __init__(self, data, wcs):
        self._data = data
        self._wcs = wcs
        self._cache = {}

    @classmethod
    def read(cls, hdu):
        return cls(np.asarray(hdu.data, dtype=float), hdu.header)

    @cached
    def _pix_cen(self):
        nz, ny, nx = self._data.shape
        return np.meshgrid(np.arange(nz), np.arange(ny), np.arange(nx), indexing="ij")

    def moment0(self):
        spectral, _, _ = self._pix_cen()
        return np.nansum(self._data * (spectral >= 0), axis=0)
