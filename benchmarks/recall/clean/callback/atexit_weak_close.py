"""Only one module-level atexit hook is registered, and it reaches simulators through weak references, so no closed or dropped simulator is kept alive."""
import atexit
import weakref

_open_simulators = weakref.WeakSet()


@atexit.register
def _close_open_simulators():
    for sim in list(_open_simulators):
        sim.close()


class Simulator:
    def __init__(self, network, dt=0.001):
        self.network = network
        self.dt = dt
        self.closed = False
        self.steps = 0
        _open_simulators.add(self)

    def step(self):
        if self.closed:
            raise RuntimeError("simulator is closed")
        self.steps += 1

    def close(self):
        if not self.closed:
            self.closed = True
            _open_simulators.discard(self)
