"""A file-like object for a file on a remote host, reached over SFTP."""
import io
import posixpath

import paramiko


class SSHFile(io.RawIOBase):
    def __init__(self, name, mode="r", hostname=None, port=22, username=None, password=None, root="/"):
        io.RawIOBase.__init__(self)
        self.filename = name
        self.mode = mode
        self._ssh = paramiko.SSHClient()
        try:
            self._ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
            self._ssh.connect(hostname, port=port, username=username, password=password)
            self._sftp = self._ssh.open_sftp()
            self._fd = self._sftp.open(posixpath.join(root, name), mode)
        except BaseException:
            self._ssh.close()
            raise

    def readable(self):
        return "r" in self.mode

    def writable(self):
        return "w" in self.mode or "a" in self.mode

    def readall(self):
        return self._fd.read()

    def write(self, b):
        self._fd.write(b)
        return len(b)

    def close(self):
        if self._fd is not None:
            self._fd.close()
            self._fd = None
        self._sftp.close()
        self._ssh.close()
        io.RawIOBase.close(self)
