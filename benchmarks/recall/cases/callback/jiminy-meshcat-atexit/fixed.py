import atexit
import multiprocessing
import socket


def _serve(port, ready):
    server = socket.create_server(("127.0.0.1", port))
    ready.set()
    while True:
        conn, _ = server.accept()
        conn.close()


class MeshcatWrapper:
    """Start a meshcat-like server in a subprocess and talk to it."""

    def __init__(self, zmq_url=None, port=7000):
        self.port = port
        self._ready = multiprocessing.Event()
        self.server_proc = multiprocessing.Process(target=_serve, args=(port, self._ready), daemon=True)
        self.server_proc.start()
        self._ready.wait(timeout=10)
        self.scene = {}
        atexit.register(self.close)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def set_object(self, path, geometry):
        self.scene[path] = geometry

    def close(self):
        atexit.unregister(self.close)
        if self.server_proc is not None and self.server_proc.is_alive():
            self.server_proc.terminate()
            self.server_proc.join(timeout=5)
        self.server_proc = None
        self.scene.clear()
