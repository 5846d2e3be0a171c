"""Bootstrap estimates of the standard error of evaluation metrics."""
import math
import multiprocessing as mp
import random

from tqdm import tqdm


def sample_stddev(arr):
    mu = sum(arr) / len(arr)
    return math.sqrt(sum((x - mu) ** 2 for x in arr) / (len(arr) - 1))


class _bootstrap_internal:
    def __init__(self, f, n):
        self.f = f
        self.n = n

    def __call__(self, v):
        i, xs = v
        rnd = random.Random()
        rnd.seed(i)
        return [self.f(rnd.choices(xs, k=len(xs))) for _ in range(self.n)]


def bootstrap_stderr(f, xs, iters):
    res = []
    chunk_size = min(1000, iters)
    print("bootstrapping for stddev:", f.__name__)
    jobs = [(i, xs) for i in range(iters // chunk_size)]
    with mp.Pool(mp.cpu_count()) as pool:
        for bootstrap in tqdm(pool.imap(_bootstrap_internal(f, chunk_size), jobs), total=iters // chunk_size):
            res.extend(bootstrap)
    return sample_stddev(res)
