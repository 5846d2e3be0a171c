"""Open NETCONF sessions over SSH."""
import socket

import paramiko


class Session:
    def __init__(self, sock):
        self.sock = sock

    def close(self):
        self.sock.close()


class SshSessionSock:
    def __init__(self, sock, transport, channel):
        self.sock = sock
        self.transport = transport
        self.channel = channel

    def recv(self, n):
        return self.channel.recv(n)

    def sendall(self, b):
        self.channel.sendall(b)

    def close(self):
        self.channel.close()
        self.transport.close()
        self.sock.close()


def connect_ssh(host=None, port=830, username="netconf", password=None, key_filename=None, sock=None, initial_timeout=120, general_timeout=None):
    if not sock:
        sock = socket.create_connection((host, port), timeout=initial_timeout)
    try:
        sock.settimeout(general_timeout)
        transport = paramiko.Transport(sock)
    except BaseException:
        sock.close()
        raise
    try:
        pkey = paramiko.RSAKey.from_private_key_file(key_filename) if key_filename else None
        transport.connect(username=username, password=password, pkey=pkey)
        channel = transport.open_session(timeout=general_timeout)
        channel.invoke_subsystem("netconf")
    except BaseException:
        # Closing the transport stops its thread and closes the socket.
        transport.close()
        raise
    return Session(SshSessionSock(sock, transport, channel))
