import atexit
import subprocess
import threading
import weakref

_running = weakref.WeakSet()


@atexit.register
def _stop_running_processes():
    for proc in list(_running):
        proc.stop()


class EasyProcess:
    def __init__(self, cmd, cwd=None):
        self.cmd = cmd
        self.cwd = cwd
        self.popen = None
        self.stdout = None
        self._thread = None

    def start(self):
        self.popen = subprocess.Popen(self.cmd, cwd=self.cwd,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)

        def target():
            self.stdout, _ = self.popen.communicate()

        self._thread = threading.Thread(target=target)
        self._thread.daemon = True
        self._thread.start()
        _running.add(self)
        return self

    def wait(self, timeout=None):
        self._thread.join(timeout)
        if not self._thread.is_alive():
            _running.discard(self)
        return self

    def stop(self):
        if self.popen and self.popen.poll() is None:
            self.popen.terminate()
        return self.wait()
