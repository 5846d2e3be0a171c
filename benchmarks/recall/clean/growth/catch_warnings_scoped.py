"""The warning filter is installed inside warnings.catch_warnings(), which restores warnings.filters on exit, so repeated calls do not grow the filter list."""
import warnings

import numpy as np


def safe_log_ratio(numerator, denominator):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        ratio = np.log(np.asarray(numerator) / np.asarray(denominator))
    return np.nan_to_num(ratio, nan=0.0, posinf=0.0, neginf=0.0)


def batch(pairs):
    return [safe_log_ratio(a, b) for a, b in pairs]
