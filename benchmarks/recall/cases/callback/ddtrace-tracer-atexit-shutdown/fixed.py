import atexit
import logging
import threading

log = logging.getLogger(__name__)


class AgentWriter:
    def __init__(self, url):
        self.url = url
        self._buffer = []
        self._lock = threading.Lock()

    def write(self, spans):
        with self._lock:
            self._buffer.extend(spans)

    def flush_queue(self):
        with self._lock:
            self._buffer.clear()

    def stop(self):
        self.flush_queue()


class Tracer:
    def __init__(self, url="http://localhost:8126"):
        self._writer = AgentWriter(url)
        self._services = set()
        self.enabled = True
        atexit.register(self._atexit)

    def _atexit(self):
        key = "ctrl-break" if hasattr(threading, "main_thread") else "ctrl-c"
        log.debug("Waiting for the tracer to flush (press %s to abort)", key)
        self.shutdown(timeout=5)

    def trace(self, name, service=None):
        if service:
            self._services.add(service)
        return {"name": name, "service": service}

    def shutdown(self, timeout=None):
        self.enabled = False
        self._writer.stop()
        atexit.unregister(self._atexit)
