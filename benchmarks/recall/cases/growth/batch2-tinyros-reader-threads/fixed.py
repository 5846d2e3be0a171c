"""Minimal TCP pub/sub server: one reader thread per client connection."""
import socket
import threading


class TinyServer:
    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._sock = socket.create_server((host, port))  # other leak: no method of TinyServer closes the listening socket
        self._running = False
        self._conns = set()
        self._conn_send_locks = {}
        self._reader_threads = {}

    def start(self) -> None:
        self._running = True
        threading.Thread(target=self._accept_loop, daemon=True).start()

    def _accept_loop(self) -> None:
        while self._running:
            conn, _addr = self._sock.accept()
            self._conns.add(conn)
            self._conn_send_locks[conn] = threading.Lock()
            reader = threading.Thread(target=self._reader, args=(conn,), daemon=True)
            self._reader_threads[conn] = reader
            reader.start()

    def _reader(self, conn: socket.socket) -> None:
        try:
            while True:
                data = conn.recv(4096)
                if not data:
                    break
                self.publish(data)
        finally:
            self._drop_conn(conn)

    def publish(self, payload: bytes) -> None:
        for conn in list(self._conns):
            lock = self._conn_send_locks.get(conn)
            if lock is None:
                continue
            with lock:
                conn.sendall(payload)

    def _drop_conn(self, conn: socket.socket) -> None:
        self._conns.discard(conn)
        self._conn_send_locks.pop(conn, None)
        self._reader_threads.pop(conn, None)
        conn.close()
