import threading
import weakref


def _release_pvs(cl, *pvs):
    cl.release_pvs(*pvs)


class EpicsSignalBase:
    """Read-only EPICS signal with a monitor subscription on its PV."""

    def __init__(self, read_pv, *, name, cl):
        self.name = name
        self.cl = cl
        self._read_pvname = read_pv
        self._lock = threading.RLock()
        self._readback = None
        self._read_pv = cl.get_pv(read_pv, auto_monitor=True,
                                  connection_callback=self._pv_connected)
        self._read_pv.add_callback(self._read_changed, run_now=False)
        self._finalizer = weakref.finalize(self, _release_pvs, cl, self._read_pv)

    def _pv_connected(self, pvname=None, conn=None, pv=None):
        with self._lock:
            self.connected = conn

    def _read_changed(self, value=None, **kwargs):
        with self._lock:
            self._readback = value

    def get(self):
        with self._lock:
            return self._readback

    def destroy(self):
        self._finalizer()
