"""Run setup.py and friends, echoing their output through the spinner."""
import logging
import subprocess

logger = logging.getLogger(__name__)


class InstallationError(Exception):
    pass


def console_to_str(data):
    return data.decode("utf-8", errors="replace")


def call_subprocess(cmd, show_stdout=True, cwd=None, env=None, command_desc=None, spinner=None):
    if command_desc is None:
        command_desc = " ".join(cmd)
    logger.debug("Running command %s", command_desc)
    proc = subprocess.Popen(cmd, stderr=subprocess.STDOUT, stdin=None, stdout=subprocess.PIPE, cwd=cwd, env=env)
    all_output = []
    try:
        while True:
            line = console_to_str(proc.stdout.readline())
            if not line:
                break
            line = line.rstrip()
            all_output.append(line + "\n")
            if show_stdout:
                logger.debug(line)
            elif spinner is not None:
                spinner.spin()
    finally:
        proc.stdout.close()
        proc.wait()
    if spinner is not None:
        spinner.finish("error" if proc.returncode else "done")
    if proc.returncode:
        logger.info("Complete output from command %s:\n%s", command_desc, "".join(all_output))
        raise InstallationError(f"Command {command_desc!r} failed with error code {proc.returncode} in {cwd}")
    if not show_stdout:
        return "".join(all_output)
