"""Run the external unpack tools (unrar, 7z, par2) and report their versions."""
import logging
import subprocess
from subprocess import Popen

logger = logging.getLogger(__name__)

UNRAR_COMMAND = "unrar"
SEVENZIP_COMMAND = "7za"


def run_simple(cmd):
    """Run a command and return its stdout as text."""
    p = Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # leak
    txt = p.stdout.read().decode("utf-8", errors="replace")
    p.wait()
    return txt


def unrar_version():
    banner = run_simple([UNRAR_COMMAND])
    for line in banner.splitlines():
        if line.startswith("UNRAR") or line.startswith("RAR"):
            logger.debug("unrar banner: %s", line)
            return line.split()[1]
    return None


def sevenzip_version():
    banner = run_simple([SEVENZIP_COMMAND])
    first = banner.strip().splitlines()[:1]
    return first[0] if first else None
