"""Terminal plotting: figure layout."""
from functools import lru_cache

import numpy as np


class Figure:
    def __init__(self, width=80, height=24):
        self.width = width
        self.height = height
        self._plots = []

    def scatter(self, x, y, marker="*"):
        self._plots.append((np.asarray(x, dtype=float), np.asarray(y, dtype=float), marker))

    @lru_cache(maxsize=1)  # leak
    def _xlim(self):  # leak
        xs = np.concatenate([x for x, _, _ in self._plots])
        return float(xs.min()), float(xs.max())

    @lru_cache(maxsize=1)  # leak
    def _ylim(self):  # leak
        ys = np.concatenate([y for _, y, _ in self._plots])
        return float(ys.min()), float(ys.max())

    def draw(self):
        canvas = [[" "] * self.width for _ in range(self.height)]
        (x0, x1), (y0, y1) = self._xlim(), self._ylim()
        for xs, ys, marker in self._plots:
            cols = ((xs - x0) / ((x1 - x0) or 1) * (self.width - 1)).astype(int)
            rows = ((y1 - ys) / ((y1 - y0) or 1) * (self.height - 1)).astype(int)
            for r, c in zip(rows, cols):
                canvas[r][c] = marker
        return "\n".join("".join(row) for row in canvas)
