"""Spectral cube container with cached world-coordinate helpers."""
from functools import wraps

import numpy as np

_CACHE = {}  # leak


def cached(func):
    """Cache the result of a method for the given arguments."""

    @wraps(func)
    def wrapper(self, *args):
        key = (self, func, args)
        if key not in _CACHE:
            _CACHE[key] = func(self, *args)  # leak
        return _CACHE[key]

    return wrapper


class SpectralCube:
    def __init__(self, data, wcs):
        self._data = data
        self._wcs = wcs

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
