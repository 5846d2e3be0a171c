"""Socket client for the pigpio daemon: one lock serialises commands on the socket."""
import socket
import struct
import threading

_SOCK_CMD_LEN = 16


class _socklock:
    """A socket and the lock that guards it."""

    def __init__(self):
        self.s = None
        self.l = threading.RLock()


def _pigpio_command(sl, cmd, p1, p2):
    sl.l.acquire()
    try:
        sl.s.send(struct.pack("IIII", cmd, p1, p2, 0))
        dummy, res = struct.unpack("12sI", sl.s.recv(_SOCK_CMD_LEN))
    finally:
        sl.l.release()
    return res


def _pigpio_command_ext(sl, cmd, p1, p2, p3, extents):
    ext = bytearray(struct.pack("IIII", cmd, p1, p2, p3))
    for x in extents:
        if isinstance(x, str):
            ext.extend(x.encode("latin-1"))
        else:
            ext.extend(x)
    with sl.l:
        sl.s.sendall(ext)
        dummy, res = struct.unpack("12sI", sl.s.recv(_SOCK_CMD_LEN))
    return res


def connect(host="localhost", port=8888):
    sl = _socklock()
    sl.s = socket.create_connection((host, port), None)
    sl.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sl
