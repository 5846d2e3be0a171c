import atexit
import logging

import paramiko

logger = logging.getLogger("ssh")


class SshConnection:
    default_timeout = 10

    def __init__(self, host, username, password=None, keyfile=None, port=22,
                 timeout=None, strict_host_check=False):
        self.host = host
        self.username = username
        self.port = port
        self.timeout = timeout if timeout is not None else self.default_timeout
        self.client = paramiko.SSHClient()
        if not strict_host_check:
            self.client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        self.client.connect(host, port=port, username=username, password=password,
                            key_filename=keyfile, timeout=self.timeout)
        self._sftp = None
        atexit.register(self.close)  # leak
        logger.debug("Logged in %s@%s", username, host)

    def execute(self, command, timeout=None):
        _, stdout, stderr = self.client.exec_command(command, timeout=timeout or self.timeout)
        return stdout.read().decode(), stderr.read().decode()

    def close(self):
        if self._sftp is not None:
            self._sftp.close()
            self._sftp = None
        self.client.close()
