"""Not a leak: each candidate socket is closed in the except branch before trying the next address, and the connected one is returned to the caller."""
import socket


def connect_first(host, port, timeout=5.0):
    last_error = None
    for family, socktype, proto, _, address in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
        sock = socket.socket(family, socktype, proto)
        try:
            sock.settimeout(timeout)
            sock.connect(address)
        except OSError as exc:
            sock.close()
            last_error = exc
            continue
        return sock
    raise last_error or OSError(f"no addresses for {host}:{port}")


def banner(host, port):
    with connect_first(host, port) as sock:
        return sock.recv(256).decode("latin-1").strip()
