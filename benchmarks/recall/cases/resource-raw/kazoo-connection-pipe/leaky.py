"""Connection loop of a ZooKeeper client; a pipe wakes the select() loop up."""
import logging
import os
import select
import threading

log = logging.getLogger(__name__)


class ConnectionHandler(object):
    """Owns the socket loop for one client."""

    def __init__(self, client, retry_sleeper, logger=None):
        self.client = client
        self.retry_sleeper = retry_sleeper
        self.logger = logger or log
        self._read_pipe, self._write_pipe = os.pipe()  # leak
        self._connection_stopped = threading.Event()
        self._connection_stopped.set()
        self._thread = None

    def start(self):
        self._connection_stopped.clear()
        self._thread = threading.Thread(target=self.zk_loop, daemon=True)
        self._thread.start()

    def stop(self, timeout=None):
        if not self.client.stopped.is_set():
            raise Exception("Cannot stop connection until client is stopped.")
        self.wake()
        return self._connection_stopped.wait(timeout)

    def wake(self):
        os.write(self._write_pipe, b"\0")

    def zk_loop(self):
        try:
            while not self.client.stopped.is_set():
                readable, _, _ = select.select([self.client.socket, self._read_pipe], [], [], 1.0)
                if self._read_pipe in readable:
                    os.read(self._read_pipe, 1)
                    continue
                if readable:
                    self.client.read_response()
        finally:
            self._connection_stopped.set()
