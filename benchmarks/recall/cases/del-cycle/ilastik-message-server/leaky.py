"""Tiny TCP server that lets external tools send commands to the shell window."""
import json
import socketserver
import threading


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        message = json.loads(self.rfile.readline().decode("utf-8"))
        self.server.parent.handleServerMessage(message)


class MessageServer(object):
    def __init__(self, parent, host="localhost", port=9997):
        self.parent = parent  # leak
        self.server = socketserver.ThreadingTCPServer((host, port), _Handler)
        self.server.parent = parent  # leak
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def __del__(self):
        self.server.shutdown()
        self.server.server_close()


class IlastikShell(object):
    def __init__(self):
        self.messageServer = MessageServer(self)
        self.received = []

    def handleServerMessage(self, message):
        self.received.append(message)
