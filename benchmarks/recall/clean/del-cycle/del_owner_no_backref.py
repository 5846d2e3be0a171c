"""The connection owns its socket and session helpers, none of which refer back to it, so its __del__ runs by plain reference counting."""
import socket


class _Session:
    def __init__(self, sock):
        self._sock = sock

    def send(self, payload):
        self._sock.sendall(payload)


class Connection:
    def __init__(self, host, port):
        self._sock = socket.create_connection((host, port))
        self.session = _Session(self._sock)
        self.closed = False

    def close(self):
        if not self.closed:
            self.closed = True
            self._sock.close()

    def __del__(self):
        self.close()
