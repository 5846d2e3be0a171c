"""Socket.IO-style server: namespaces, rooms and event dispatch."""
import logging

logger = logging.getLogger("socketio.server")


class BaseManager:
    def __init__(self) -> None:
        # rooms[namespace][room] -> set of sids; room None holds every connected sid
        self.rooms = {}  # leak

    def connect(self, sid: str, namespace: str) -> None:
        self.enter_room(sid, namespace, None)
        self.enter_room(sid, namespace, sid)

    def enter_room(self, sid: str, namespace: str, room) -> None:
        self.rooms.setdefault(namespace, {}).setdefault(room, set()).add(sid)  # leak

    def disconnect(self, sid: str, namespace: str) -> None:
        for room, members in list(self.rooms.get(namespace, {}).items()):
            members.discard(sid)
            if not members:
                del self.rooms[namespace][room]


class Server:
    def __init__(self) -> None:
        self.manager = BaseManager()
        self.handlers = {}

    def on(self, event: str, namespace: str = "/"):
        def register(handler):
            self.handlers.setdefault(namespace, {})[event] = handler
            return handler
        return register

    def _trigger_event(self, event: str, namespace: str, *args):
        handler = self.handlers.get(namespace, {}).get(event)
        if handler is not None:
            return handler(*args)

    def _handle_connect(self, sid: str, namespace: str) -> None:
        self.manager.connect(sid, namespace)
        if self._trigger_event("connect", namespace, sid) is False:
            self.manager.disconnect(sid, namespace)

    def _handle_disconnect(self, sid: str, namespace: str) -> None:
        self._trigger_event("disconnect", namespace, sid)
        self.manager.disconnect(sid, namespace)
