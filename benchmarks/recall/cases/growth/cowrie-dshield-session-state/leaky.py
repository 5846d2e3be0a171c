import time


class Output:
    """Batch closed honeypot sessions and submit them to DShield."""

    def start(self):
        self.session_state = {}  # leak
        self.batch = []
        self.batch_size = 100

    def _state(self, session):
        if session not in self.session_state:
            self.session_state[session] = {"commands": [], "logins": [], "start": time.time()}  # leak
        return self.session_state[session]

    def write(self, event):
        eventid = event["eventid"]
        session = event["session"]
        if eventid == "cowrie.session.connect":
            self._state(session)["src_ip"] = event["src_ip"]
        elif eventid.startswith("cowrie.login"):
            self._state(session)["logins"].append((event["username"], event["password"]))
        elif eventid == "cowrie.command.input":
            self._state(session)["commands"].append(event["input"])
        elif eventid == "cowrie.session.closed":
            state = self._state(session)
            self.batch.append({
                "src_ip": state.get("src_ip"),
                "logins": state["logins"],
                "commands": state["commands"],
                "duration": time.time() - state["start"],
            })
            if len(self.batch) >= self.batch_size:
                self.submit_entries(self.batch)
                self.batch = []

    def submit_entries(self, batch):
        pass
