"""Morphometrics of reconstructed neurons."""
import functools

import numpy as np


def memoize(fun):
    """Remember the result of ``fun`` on the neuron it was computed for."""
    name = "_memo_" + fun.__name__

    @functools.wraps(fun)
    def _memoized(neuron):
        try:
            return neuron.__dict__[name]
        except KeyError:
            result = neuron.__dict__[name] = fun(neuron)
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
