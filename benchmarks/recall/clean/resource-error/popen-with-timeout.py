"""The process is used as a context manager and killed and reaped when it times out, so its pipes are closed on every path."""
import subprocess


class ToolTimeout(Exception):
    pass


def run_tool(argv, input_text=None, timeout=30):
    with subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        try:
            out, err = proc.communicate(input_text, timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise ToolTimeout(" ".join(argv))
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, argv, out, err)
    return out
