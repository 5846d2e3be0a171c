"""Send a DNS query to a server and return the raw response."""
import socket
import struct


class DNSRecord:
    def __init__(self, questions=None):
        self.questions = questions or []

    def pack(self):
        raise NotImplementedError

    def send(self, dest, port=53, tcp=False, timeout=None, ipv6=False):
        data = self.pack()
        inet = socket.AF_INET6 if ipv6 else socket.AF_INET
        if tcp:
            if len(data) > 65535:
                raise ValueError("Packet length too long: %d" % len(data))
            data = struct.pack("!H", len(data)) + data
            sock = socket.socket(inet, socket.SOCK_STREAM)  # leak
            if timeout is not None:
                sock.settimeout(timeout)
            sock.connect((dest, port))
            sock.sendall(data)
            response = sock.recv(8192)
            length = struct.unpack("!H", bytes(response[:2]))[0]
            while len(response) - 2 < length:
                response += sock.recv(8192)
            sock.close()
            response = response[2:]
        else:
            sock = socket.socket(inet, socket.SOCK_DGRAM)  # leak
            if timeout is not None:
                sock.settimeout(timeout)
            sock.sendto(self.pack(), (dest, port))
            response, server = sock.recvfrom(8192)
            sock.close()
        return response
