"""Apple push notification gateway connection with an error-response reader thread."""
import collections
import socket
import ssl
import threading

SENT_BUFFER_QTY = 100000


class APNsConnection(object):
    def __init__(self, server, port, cert_file=None, key_file=None, timeout=None):
        self.server = server
        self.port = port
        self.cert_file = cert_file
        self.key_file = key_file
        self.timeout = timeout
        self._socket = None
        self._ssl = None

    def __del__(self):
        self._disconnect()

    def _connect(self):
        self._socket = socket.create_connection((self.server, self.port), self.timeout)
        context = ssl.create_default_context()
        context.load_cert_chain(self.cert_file, self.key_file)
        self._ssl = context.wrap_socket(self._socket, server_hostname=self.server)

    def _disconnect(self):
        if self._socket:
            self._socket.close()
            self._ssl = None


class GatewayConnection(APNsConnection):
    def __init__(self, use_sandbox=False, enhanced=False, **kwargs):
        server = "gateway.sandbox.push.apple.com" if use_sandbox else "gateway.push.apple.com"
        super(GatewayConnection, self).__init__(server, 2195, **kwargs)
        self.enhanced = enhanced
        self._sent_notifications = collections.deque(maxlen=SENT_BUFFER_QTY)
        self._error_response_handler_worker = None
        self._send_lock = threading.RLock()

    def _init_error_response_handler_worker(self):
        self._error_response_handler_worker = self.ErrorResponseHandlerWorker(apns_connection=self)  # leak
        self._error_response_handler_worker.start()

    def force_close(self):
        if self._error_response_handler_worker:
            self._error_response_handler_worker.close()
        self._disconnect()

    class ErrorResponseHandlerWorker(threading.Thread):
        def __init__(self, apns_connection):
            threading.Thread.__init__(self, name=self.__class__.__name__)
            self.event_stop = threading.Event()
            self.apns_connection = apns_connection
            self.daemon = True

        def close(self):
            self.event_stop.set()

        def run(self):
            while not self.event_stop.is_set():
                self.event_stop.wait(1.0)
