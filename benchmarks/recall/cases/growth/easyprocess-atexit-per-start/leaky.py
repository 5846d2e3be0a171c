import atexit
import subprocess
import threading


class EasyProcess:
    def __init__(self, cmd, cwd=None):
        self.cmd = cmd
        self.cwd = cwd
        self.popen = None
        self.stdout = None
        self._stop_thread = False
        self._thread = None

    def start(self):
        self.popen = subprocess.Popen(self.cmd, cwd=self.cwd,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)

        def target():
            self.stdout, _ = self.popen.communicate()

        def shutdown():
            self._stop_thread = True
            if self.popen.poll() is None:
                self.popen.kill()
            self._thread.join()

        self._thread = threading.Thread(target=target)
        self._thread.daemon = True
        self._thread.start()
        atexit.register(shutdown)  # leak
        return self

    def wait(self, timeout=None):
        self._thread.join(timeout)
        return self

    def stop(self):
        if self.popen and self.popen.poll() is None:
            self.popen.terminate()
        return self.wait()
