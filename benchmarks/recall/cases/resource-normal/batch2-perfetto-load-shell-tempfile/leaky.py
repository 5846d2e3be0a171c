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


def load_shell(bin_path, port, verbose=False, load_timeout=2):
    args = [bin_path, "-D", "--http-port", str(port)]
    p = subprocess.Popen(args, stdout=tempfile.TemporaryFile(), stderr=None if verbose else tempfile.TemporaryFile())  # leak

    deadline = time.monotonic() + load_timeout
    while time.monotonic() < deadline:
        if p.poll() is not None:
            raise RuntimeError(f"trace processor exited early with code {p.returncode}")
        if _port_open(port):
            return f"localhost:{port}", p
        time.sleep(0.05)
    p.kill()
    p.wait()
    raise RuntimeError("trace processor failed to start in time")
