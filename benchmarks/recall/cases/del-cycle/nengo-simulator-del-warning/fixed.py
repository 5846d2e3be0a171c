"""Reference simulator: builds a model from a network and steps it."""
import warnings

import numpy as np


class Model(object):
    """Output of the build process: operators, signals and build-time hooks."""

    def __init__(self, dt=0.001, label=None):
        self.dt = dt
        self.label = label
        self.operators = []
        self.sig = {}
        self.deferred = []

    def add_op(self, op):
        self.operators.append(op)

    def defer(self, fn):
        self.deferred.append(fn)


class Simulator(object):
    def __init__(self, network, dt=0.001):
        self.closed = False
        self.model = Model(dt=dt, label="%s, dt=%f" % (network, dt))
        network.build(self.model)
        deferred, self.model.deferred = self.model.deferred, []
        for fn in deferred:
            fn(self)
        self.signals = {sig: np.zeros(sig.shape) for sig in self.model.sig.values()}
        self.n_steps = 0

    def __del__(self):
        if not self.closed:
            warnings.warn("Simulator with model=%s was deallocated while open. Simulators should be closed manually." % self.model, ResourceWarning)

    def close(self):
        self.closed = True
        self.signals = None

    def step(self):
        for op in self.model.operators:
            op.make_step(self.signals, self.model.dt)()
        self.n_steps += 1
