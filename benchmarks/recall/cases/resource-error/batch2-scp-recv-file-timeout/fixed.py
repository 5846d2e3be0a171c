"""Receive side of the SCP protocol over a paramiko channel."""
import os
from socket import timeout as SocketTimeout


class SCPException(Exception):
    pass


class SCPClient:
    def __init__(self, channel, buff_size=16384, preserve_times=False):
        self.channel = channel
        self.buff_size = buff_size
        self.preserve_times = preserve_times
        self._recv_dir = "."
        self._utime = None

    def _recv_file(self, cmd):
        chan = self.channel
        parts = cmd.strip().split(b" ", 2)
        try:
            mode = int(parts[0], 8)
            size = int(parts[1])
            path = os.path.join(self._recv_dir, parts[2].decode("utf-8"))
        except (IndexError, ValueError):
            chan.send(b"\x01")
            chan.close()
            raise SCPException("Bad file format")

        try:
            file_hdl = open(path, "wb")
        except IOError as e:
            chan.send(b"\x01" + str(e).encode("utf-8"))
            chan.close()
            raise

        with file_hdl:
            buff_size = self.buff_size
            pos = 0
            chan.send(b"\x00")
            try:
                while pos < size:
                    if size - pos <= buff_size:
                        buff_size = size - pos
                    data = chan.recv(buff_size)
                    if not data:
                        raise SCPException("Underlying channel was closed")
                    file_hdl.write(data)
                    pos = file_hdl.tell()
                msg = chan.recv(512)
                if msg and msg[0:1] != b"\x00":
                    raise SCPException(msg[1:].decode("utf-8", "replace"))
            except SocketTimeout:
                chan.close()
                raise SCPException("Error receiving, socket.timeout")

            file_hdl.truncate()
            os.chmod(path, mode)
            if self.preserve_times and self._utime:
                os.utime(path, self._utime)
                self._utime = None
