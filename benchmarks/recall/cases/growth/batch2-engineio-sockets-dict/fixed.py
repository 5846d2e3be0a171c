"""Engine.IO-style server: one Socket per client session id."""
import queue
import uuid


class Socket:
    def __init__(self, server: "Server", sid: str) -> None:
        self.server = server
        self.sid = sid
        self.queue = queue.Queue()
        self.closed = False

    def receive(self, packet: dict) -> None:
        if packet["type"] == "close":
            self.close()
            return
        self.server.trigger("message", self.sid, packet.get("data"))

    def send(self, data) -> None:
        if not self.closed:
            self.queue.put(data)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.server.trigger("disconnect", self.sid)
        # However the session ends, the server forgets it.
        self.server.sockets.pop(self.sid, None)


class Server:
    def __init__(self) -> None:
        self.sockets = {}
        self.handlers = {}

    def trigger(self, event: str, *args) -> None:
        handler = self.handlers.get(event)
        if handler:
            handler(*args)

    def handle_connect(self) -> str:
        sid = uuid.uuid4().hex
        self.sockets[sid] = Socket(self, sid)
        self.trigger("connect", sid)
        return sid

    def handle_post(self, sid: str, packets: list) -> None:
        socket = self.sockets[sid]
        for packet in packets:
            socket.receive(packet)

    def handle_get(self, sid: str, timeout: float = 25.0) -> list:
        socket = self.sockets[sid]
        try:
            return [socket.queue.get(timeout=timeout)]
        except queue.Empty:
            # Client stopped polling: mark it gone.
            socket.close()
            return []
