"""WCS map geometry: pixel coordinates and solid angles."""
from functools import lru_cache

import numpy as np


class WcsGeom:
    def __init__(self, wcs, npix, axes=()):
        self.wcs = wcs
        self.npix = npix
        self.axes = tuple(axes)

    @property
    def data_shape(self):
        return tuple(len(ax) for ax in reversed(self.axes)) + (self.npix[1], self.npix[0])

    @lru_cache()  # leak
    def get_coord(self, mode="center", sparse=False):  # leak
        offset = 0.5 if mode == "center" else 0.0
        y, x = np.indices(self.data_shape[-2:], dtype=float) + offset
        lon, lat = self.wcs.wcs_pix2world(x, y, 0)
        if sparse:
            return lon[:1, :], lat[:, :1]
        return np.broadcast_to(lon, self.data_shape), np.broadcast_to(lat, self.data_shape)

    @lru_cache()  # leak
    def solid_angle(self):  # leak
        lon, lat = self.get_coord(mode="edges")
        return np.abs(np.diff(lon, axis=-1)[..., :-1, :] * np.diff(np.sin(np.radians(lat)), axis=-2)[..., :, :-1])

    def region_mask(self, regions, inside=True):
        lon, lat = self.get_coord()
        mask = np.zeros(self.data_shape, dtype=bool)
        for region in regions:
            mask |= region.contains(lon, lat)
        return mask if inside else ~mask
