"""The socket is closed if connecting or the TLS handshake fails, and on success it is returned to the caller, who owns it."""
import socket
import ssl


def open_tls_socket(host, port, timeout=10.0, cafile=None):
    context = ssl.create_default_context(cafile=cafile)
    sock = socket.create_connection((host, port), timeout=timeout)
    try:
        return context.wrap_socket(sock, server_hostname=host)
    except BaseException:
        sock.close()
        raise


def fetch_banner(host, port, timeout=5.0):
    with open_tls_socket(host, port, timeout=timeout) as tls:
        return tls.recv(1024)
