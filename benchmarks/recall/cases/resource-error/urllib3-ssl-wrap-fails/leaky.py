"""HTTPS connection that verifies the server certificate."""
import socket
import ssl
from http.client import HTTPConnection


class HTTPSConnection(HTTPConnection):
    default_port = 443

    def __init__(self, host, port=None, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, ca_certs=None, cert_reqs=ssl.CERT_REQUIRED, assert_hostname=None):
        super().__init__(host, port, timeout)
        self.ca_certs = ca_certs
        self.cert_reqs = cert_reqs
        self.assert_hostname = assert_hostname

    def _new_conn(self):
        conn = socket.create_connection((self.host, self.port), self.timeout)
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return conn

    def _ssl_context(self):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.verify_mode = self.cert_reqs
        context.check_hostname = self.cert_reqs == ssl.CERT_REQUIRED and self.assert_hostname is not False
        if self.ca_certs:
            context.load_verify_locations(cafile=self.ca_certs)
        else:
            context.load_default_certs()
        return context

    def connect(self):
        conn = self._new_conn()  # leak
        server_hostname = self.assert_hostname or self.host
        context = self._ssl_context()
        self.sock = context.wrap_socket(conn, server_hostname=server_hostname)
        self.is_verified = context.verify_mode == ssl.CERT_REQUIRED
