"""DB-API connection to a CUBRID broker (pure-Python driver)."""
import socket
import struct


class OperationalError(Exception):
    pass


def parse_handshake(data):
    (port,) = struct.unpack(">i", data)
    if port < 0:
        raise ValueError(f"broker refused connection: {port}")
    return port


def parse_open_db(body):
    cas_info, code = body[:4], struct.unpack(">i", body[4:8])[0]
    if code < 0:
        raise ValueError(f"open_db failed with {code}")
    return cas_info, struct.unpack(">i", body[-4:])[0]


class Connection:
    def __init__(self, host, port, database, user="public", password="", timeout=10.0):
        self._host, self._port = host, port
        self._database, self._user, self._password = database, user, password
        self._timeout = timeout
        self._socket = None
        self._connected = False

    def _create_socket(self, host, port):
        return socket.create_connection((host, port), timeout=self._timeout)

    def _recv_exact(self, sock, size):
        chunks = b""
        while len(chunks) < size:
            chunk = sock.recv(size - len(chunks))
            if not chunk:
                raise OSError("connection closed by broker")
            chunks += chunk
        return chunks

    def _safe_close_socket(self):
        if self._socket is not None:
            try:
                self._socket.close()
            except OSError:
                pass
            self._socket = None

    def connect(self):
        try:
            handshake_socket = self._create_socket(self._host, self._port)  # leak
            handshake_socket.sendall(b"CUBRK\x03\x00\x00\x00\x00")
            new_port = parse_handshake(self._recv_exact(handshake_socket, 4))
            if new_port > 0:
                handshake_socket.close()
                self._socket = self._create_socket(self._host, new_port)  # leak
            else:
                self._socket = handshake_socket
            self._socket.sendall(self._database.encode().ljust(32, b"\0") + self._user.encode().ljust(32, b"\0"))
            length = struct.unpack(">i", self._recv_exact(self._socket, 4))[0]
            self._cas_info, self._session_id = parse_open_db(self._recv_exact(self._socket, length + 4))
            self._connected = True
        except OSError as exc:
            self._safe_close_socket()
            raise OperationalError(f"could not connect to {self._host}:{self._port}") from exc
