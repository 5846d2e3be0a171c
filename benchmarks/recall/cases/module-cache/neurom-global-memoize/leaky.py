"""Morphometrics of reconstructed neurons."""
import functools

import numpy as np


def memoize(fun):
    """Remember the result of ``fun`` for each set of arguments."""
    cache = {}  # leak

    @functools.wraps(fun)
    def _memoized(*args):
        try:
            return cache[args]
        except KeyError:
            result = cache[args] = fun(*args)  # leak
            return result

    return _memoized


@memoize
def section_lengths(neuron):
    return np.array([np.linalg.norm(np.diff(s.points, axis=0), axis=1).sum() for s in neuron.sections])


@memoize
def total_length(neuron):
    return float(section_lengths(neuron).sum())


def population_lengths(load_neuron, paths):
    """Load each file, measure it and let it go."""
    return {path: total_length(load_neuron(path)) for path in paths}
