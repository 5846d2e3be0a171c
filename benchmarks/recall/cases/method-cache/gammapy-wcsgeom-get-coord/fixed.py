"""WCS map geometry: pixel coordinates and solid angles."""
import weakref
from functools import wraps

import numpy as np


def cache_per_instance(func):
    """Memoise a method in a cache that lives and dies with each instance."""
    caches = weakref.WeakKeyDictionary()

    @wraps(func)
    def wrapper(self, *args, **kwargs):
        cache = caches.get(self)
        if cache is None:
            cache = caches[self] = {}
        key = (args, tuple(sorted(kwargs.items())))
        if key not in cache:
            cache[key] = func(self, *args, **kwargs)
        return cache[key]

    return wrapper


class WcsGeom:
    def __init__(self, wcs, npix, axes=()):
        self.wcs = wcs
        self.npix = npix
        self.axes = tuple(axes)

    @property
    def data_shape(self):
        return tuple(len(ax) for ax in reversed(self.axes)) + (self.npix[1], self.npix[0])

    @cache_per_instance
    def get_coord(self, mode="center", sparse=False):
        offset = 0.5 if mode == "center" else 0.0
        y, x = np.indices(self.data_shape[-2:], dtype=float) + offset
        lon, lat = self.wcs.wcs_pix2world(x, y, 0)
        if sparse:
            return lon[:1, :], lat[:, :1]
        return np.broadcast_to(lon, self.data_shape), np.broadcast_to(lat, self.data_shape)

    @cache_per_instance
    def solid_angle(self):
        lon, lat = self.get_coord(mode="edges")
        return np.abs(np.diff(lon, axis=-1)[..., :-1, :] * np.diff(np.sin(np.radians(lat)), axis=-2)[..., :, :-1])

    def region_mask(self, regions, inside=True):
        lon, lat = self.get_coord()
        mask = np.zeros(self.data_shape, dtype=bool)
        for region in regions:
            mask |= region.contains(lon, lat)
        return mask if inside else ~mask
