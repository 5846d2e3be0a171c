import atexit
import sys
import warnings


class states:
    STOPPED = "STOPPED"
    STARTING = "STARTING"
    STARTED = "STARTED"
    EXITING = "EXITING"


class Bus:
    """Process state machine and pub/sub channel hub."""

    def __init__(self):
        self.state = states.STOPPED
        self.listeners = {"start": set(), "stop": set(), "exit": set()}

    def subscribe(self, channel, callback):
        self.listeners.setdefault(channel, set()).add(callback)

    def publish(self, channel, *args):
        return [listener(*args) for listener in list(self.listeners.get(channel, ()))]

    def _clean_exit(self):
        if self.state != states.EXITING:
            warnings.warn("The main thread is exiting, but the Bus is in the %r state; "
                          "shutting it down automatically now." % self.state, RuntimeWarning)
            self.exit()

    def start(self):
        atexit.register(self._clean_exit)  # leak
        self.state = states.STARTING
        try:
            self.publish("start")
            self.state = states.STARTED
        except Exception:
            self.exit()
            raise

    def stop(self):
        self.publish("stop")
        self.state = states.STOPPED

    def exit(self):
        self.stop()
        self.state = states.EXITING
        self.publish("exit")

    def graceful(self):
        self.stop()
        self.start()


if __name__ == "__main__":
    bus = Bus()
    for _ in range(3):
        bus.graceful()
    sys.exit(0)
