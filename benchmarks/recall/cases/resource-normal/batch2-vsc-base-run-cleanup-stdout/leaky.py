"""Run shell commands and collect their output (vsc.utils.run style)."""
import logging
import subprocess
from subprocess import PIPE, STDOUT, Popen


class Run:
    """Run a command, wait for it, and return (exitcode, output)."""

    def __init__(self, cmd, input=None, startpath=None):
        self.cmd = cmd
        self.input = input
        self.startpath = startpath
        self.log = logging.getLogger(self.__class__.__name__)
        self._process = None
        self._process_exitcode = None
        self._process_output = None

    @classmethod
    def run(cls, cmd, **kwargs):
        return cls(cmd, **kwargs)._run()

    def _run(self):
        self._init_process()
        self._wait_for_process()
        self._cleanup_process()
        return self._process_exitcode, self._process_output

    def _init_process(self):
        self.log.debug("_init_process: running %s", self.cmd)
        self._process = Popen(self.cmd, stdout=PIPE, stderr=STDOUT, stdin=PIPE, cwd=self.startpath, shell=isinstance(self.cmd, str))  # leak

    def _wait_for_process(self):
        out, _ = self._process.communicate(input=self.input) if self.input else (self._process.stdout.read(), None)
        self._process_exitcode = self._process.wait()
        self._process_output = out.decode("utf-8", errors="replace")

    def _cleanup_process(self):
        """Cleanup any leftovers from the process"""
        pass


def run_simple(cmd):
    return Run.run(cmd)
