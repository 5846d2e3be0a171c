"""Image file input and output."""
import os

import numpy as np
import PIL.Image

here = os.path.dirname(os.path.abspath(__file__))


def imread(filename):
    return np.asarray(PIL.Image.open(filename))  # leak


def imsave(filename, arr):
    os.makedirs(os.path.dirname(os.path.abspath(filename)), exist_ok=True)
    PIL.Image.fromarray(arr).save(filename)


def lena():
    return imread(os.path.join(here, "_data", "lena.png"))


def middlebury():
    rgb = imread(os.path.join(here, "_data", "middlebury", "rgb.png"))
    depth = imread(os.path.join(here, "_data", "middlebury", "depth.png"))
    return rgb, depth.astype(np.float32) / 1000.0
