"""Not a leak: every Popen is used as a context manager and drained with communicate(), which closes its pipes and reaps the child."""
import subprocess
from subprocess import PIPE, Popen


class ToolError(RuntimeError):
    pass


def run_tool(cmd, stdin_text=None, timeout=60):
    with Popen(cmd, stdin=PIPE if stdin_text is not None else None, stdout=PIPE, stderr=PIPE) as proc:
        try:
            out, err = proc.communicate(stdin_text.encode() if stdin_text is not None else None, timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise ToolError(f"{cmd[0]} timed out after {timeout}s")
    if proc.returncode:
        raise ToolError(err.decode("utf-8", "replace").strip() or f"{cmd[0]} exited with {proc.returncode}")
    return out.decode("utf-8", "replace")


def git_head(repo_dir):
    return run_tool(["git", "-C", repo_dir, "rev-parse", "HEAD"]).strip()
