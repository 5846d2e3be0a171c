"""Minimal SSH transport and channel bookkeeping for a server."""
import threading
import weakref


class Channel(object):
    def __init__(self, chanid):
        self.chanid = chanid
        self._transport_ref = None
        self.active = False
        self.closed = False
        self.lock = threading.Lock()

    @property
    def transport(self):
        return self._transport_ref() if self._transport_ref is not None else None

    def _set_transport(self, transport):
        self._transport_ref = weakref.ref(transport)

    def close(self):
        with self.lock:
            if self.closed:
                return
            self.closed = True
            self.active = False
        transport = self.transport
        if transport is not None:
            transport._unlink_channel(self.chanid)

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


class Transport(object):
    def __init__(self, sock):
        self.sock = sock
        self.lock = threading.Lock()
        self._channels = {}
        self.server_accepts = []
        self.server_accept_cv = threading.Condition(self.lock)
        self._next_chanid = 0

    def _open_server_channel(self):
        with self.lock:
            chanid = self._next_chanid
            self._next_chanid += 1
            chan = Channel(chanid)
            self._channels[chanid] = chan
            chan._set_transport(self)
            self.server_accepts.append(chan)
            self.server_accept_cv.notify()
        return chan

    def accept(self, timeout=None):
        with self.lock:
            if not self.server_accepts:
                self.server_accept_cv.wait(timeout)
            return self.server_accepts.pop(0) if self.server_accepts else None

    def _unlink_channel(self, chanid):
        with self.lock:
            self._channels.pop(chanid, None)
