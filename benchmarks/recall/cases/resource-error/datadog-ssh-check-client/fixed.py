"""Agent check: can we open an SSH (and optionally SFTP) session to a host?"""
import socket
import time
from collections import namedtuple

import paramiko
from checks import AgentCheck

Config = namedtuple("Config", ["host", "port", "username", "password", "private_key_file", "sftp_check", "add_missing_keys"])


class CheckSSH(AgentCheck):
    OPTIONS = [("host", True, None, str), ("port", False, 22, int), ("username", True, None, str), ("password", False, None, str), ("private_key_file", False, None, str), ("sftp_check", False, True, bool), ("add_missing_keys", False, False, bool)]

    def _load_conf(self, instance):
        params = []
        for option, required, default, expected_type in self.OPTIONS:
            value = instance.get(option)
            if required and value is None:
                raise Exception("%s parameter is required." % option)
            params.append(expected_type(value) if value is not None else default)
        return Config._make(params)

    def check(self, instance):
        conf = self._load_conf(instance)
        tags = ["instance:{0}-{1}".format(conf.host, conf.port)]
        private_key = paramiko.RSAKey.from_private_key_file(conf.private_key_file) if conf.private_key_file else None
        client = paramiko.SSHClient()
        try:
            client.set_missing_host_key_policy(paramiko.AutoAddPolicy() if conf.add_missing_keys else paramiko.RejectPolicy())
            client.load_system_host_keys()
            try:
                client.connect(conf.host, port=conf.port, username=conf.username, password=conf.password, pkey=private_key)
                self.service_check("ssh.can_connect", AgentCheck.OK, tags=tags)
            except (Exception, socket.timeout) as e:
                self.service_check("ssh.can_connect", AgentCheck.CRITICAL, tags=tags, message=str(e))
                if conf.sftp_check:
                    self.service_check("sftp.can_connect", AgentCheck.CRITICAL, tags=tags, message=str(e))
                raise
            if conf.sftp_check:
                try:
                    sftp = client.open_sftp()
                    start_time = time.time()
                    sftp.listdir(".")
                    self.gauge("sftp.response_time", time.time() - start_time, tags=tags)
                    self.service_check("sftp.can_connect", AgentCheck.OK, tags=tags)
                except Exception as e:
                    self.service_check("sftp.can_connect", AgentCheck.CRITICAL, tags=tags, message=str(e))
                    raise
        finally:
            # Always close the client, even when the connection failed;
            # paramiko handles closing a client that never connected.
            client.close()
