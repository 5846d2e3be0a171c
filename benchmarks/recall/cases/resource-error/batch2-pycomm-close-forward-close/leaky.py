"""EtherNet/IP (CIP) session handling for Allen-Bradley PLC drivers."""
import socket
import struct


class CommError(Exception):
    pass


class Base:
    def __init__(self):
        self._sock = None
        self._session = 0
        self._target_is_connected = False
        self.attribs = {"port": 0xAF12, "timeout": 5.0}

    def _send_receive(self, message):
        self._sock.sendall(message)
        header = self._sock.recv(24)
        if len(header) < 24:
            raise CommError("short reply from target")
        status = struct.unpack("<I", header[8:12])[0]
        if status != 0:
            raise CommError(f"encapsulation status {status:#x}")
        return header

    def register_session(self):
        reply = self._send_receive(struct.pack("<HHIIQI", 0x65, 4, 0, 0, 0, 0) + struct.pack("<HH", 1, 0))
        self._session = struct.unpack("<I", reply[4:8])[0]
        return self._session

    def forward_open(self):
        self._send_receive(struct.pack("<HHII", 0x6F, 0, self._session, 0))
        self._target_is_connected = True

    def forward_close(self):
        self._send_receive(struct.pack("<HHII", 0x6F, 0, self._session, 0))
        self._target_is_connected = False

    def un_register_session(self):
        self._sock.sendall(struct.pack("<HHII", 0x66, 0, self._session, 0))
        self._session = 0

    def open(self, ip_address):
        self._sock = socket.create_connection((ip_address, self.attribs["port"]), self.attribs["timeout"])  # leak
        if self.register_session() is None:
            return False
        self.forward_open()
        return True

    def close(self):
        if self._target_is_connected:
            self.forward_close()
        if self._session != 0:
            self.un_register_session()
        if self._sock:
            self._sock.close()
        self._sock = None
