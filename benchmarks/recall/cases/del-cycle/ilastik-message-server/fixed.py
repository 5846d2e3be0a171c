"""Tiny TCP server that lets external tools send commands to the shell window."""
import json
import socketserver
import threading
import weakref


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        parent = self.server.parent_ref()
        if parent is None:
            return
        message = json.loads(self.rfile.readline().decode("utf-8"))
        parent.handleServerMessage(message)


class MessageServer(object):
    def __init__(self, parent, host="localhost", port=9997):
        self.server = socketserver.ThreadingTCPServer((host, port), _Handler)
        self.server.parent_ref = weakref.ref(parent)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class IlastikShell(object):
    def __init__(self):
        self.messageServer = MessageServer(self)
        self.received = []

    def handleServerMessage(self, message):
        self.received.append(message)

    def closeEvent(self):
        self.messageServer.close()
