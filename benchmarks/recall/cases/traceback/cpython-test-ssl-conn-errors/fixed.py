"""Threaded TLS echo server used by the ssl tests."""
import socket
import ssl
import threading


class ThreadedEchoServer(threading.Thread):
    class ConnectionHandler(threading.Thread):
        def __init__(self, server, connsock, addr):
            threading.Thread.__init__(self, daemon=True)
            self.server = server
            self.sock = connsock
            self.addr = addr
            self.sslconn = None
            self.running = False

        def wrap_conn(self):
            try:
                self.sslconn = self.server.context.wrap_socket(self.sock, server_side=True)
            except (ConnectionResetError, BrokenPipeError, ssl.SSLError, OSError) as e:
                self.server.conn_errors.append(str(e))  # a string keeps no frames alive
                self.running = False
                self.sock.close()
                return False
            return True

        def run(self):
            self.running = True
            if not self.wrap_conn():
                return
            while self.running:
                msg = self.sslconn.recv(1024)
                if not msg:
                    break
                self.sslconn.sendall(msg.lower())
            self.sslconn.close()

    def __init__(self, context, host="127.0.0.1"):
        threading.Thread.__init__(self, daemon=True)
        self.context = context
        self.sock = socket.create_server((host, 0))
        self.port = self.sock.getsockname()[1]
        self.conn_errors = []
        self.active = False

    def run(self):
        self.active = True
        self.sock.settimeout(0.05)
        while self.active:
            try:
                newconn, connaddr = self.sock.accept()
            except socket.timeout:
                continue
            self.ConnectionHandler(self, newconn, connaddr).start()
        self.sock.close()

    def stop(self):
        self.active = False
