"""Start and stop the background daemons from the GTK front end."""
import os
import subprocess
import sys


class DaemonLauncher:
    def __init__(self, log_dir):
        self.log_dir = log_dir
        self.processes = {}

    def start_daemon(self, name, argv):
        os.makedirs(self.log_dir, exist_ok=True)
        log_path = os.path.join(self.log_dir, f"{name}.log")
        proc = subprocess.Popen([sys.executable, *argv], stdout=open(log_path, "a"), stderr=subprocess.STDOUT, start_new_session=True)  # leak
        self.processes[name] = proc
        return proc.pid

    def stop_daemon(self, name, timeout=5):
        proc = self.processes.pop(name, None)
        if proc is None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def restart_daemon(self, name, argv):
        self.stop_daemon(name)
        return self.start_daemon(name, argv)
