"""Per-connection state is created on connect and popped when the connection closes (also on the error path), so the dict holds only live sessions."""
import time


class SessionTracker:
    def __init__(self):
        self.sessions = {}

    def on_connect(self, session_id, peer):
        self.sessions[session_id] = {"peer": peer, "opened": time.time(), "commands": []}

    def on_command(self, session_id, command):
        state = self.sessions.get(session_id)
        if state is not None:
            state["commands"].append(command)

    def on_close(self, session_id):
        state = self.sessions.pop(session_id, None)
        if state is None:
            return None
        return {"peer": state["peer"], "duration": time.time() - state["opened"],
                "commands": len(state["commands"])}

    def on_error(self, session_id, exc):
        self.sessions.pop(session_id, None)
        raise exc
