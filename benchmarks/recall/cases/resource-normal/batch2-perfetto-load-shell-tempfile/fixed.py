"""Start a trace_processor_shell in HTTP mode and wait until it answers."""
import socket
import subprocess
import tempfile
import time


def _port_open(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class ShellProcess:
    """The shell process together with the temporary files holding its output."""

    def __init__(self, args, verbose):
        self._stdout = tempfile.TemporaryFile()
        self._stderr = None if verbose else tempfile.TemporaryFile()
        self.process = subprocess.Popen(args, stdout=self._stdout, stderr=self._stderr)

    def close(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._stdout.close()
        if self._stderr is not None:
            self._stderr.close()


def load_shell(bin_path, port, verbose=False, load_timeout=2):
    args = [bin_path, "-D", "--http-port", str(port)]
    shell = ShellProcess(args, verbose)

    deadline = time.monotonic() + load_timeout
    while time.monotonic() < deadline:
        if shell.process.poll() is not None:
            shell.close()
            raise RuntimeError(f"trace processor exited early with code {shell.process.returncode}")
        if _port_open(port):
            return f"localhost:{port}", shell
        time.sleep(0.05)
    shell.close()
    raise RuntimeError("trace processor failed to start in time")
