"""Logging setup: everything goes to a temporary log file, the user sees a summary."""
import logging
import os
import sys
import tempfile

FORMATTER_SIMPLE = "%(message)s"
FORMATTER_DETAILED = "%(asctime)s  %(name)-30s %(levelname)-8s %(message)s"

QUIET, NORMAL, VERBOSE = "quiet", "normal", "verbose"


class _MessageHandler:
    """Dispatch all messages: to stderr depending on mode, always to the log file."""

    def __init__(self):
        self._log_filepath = None
        self._stderr_handler = logging.StreamHandler(sys.stderr)
        self.mode = NORMAL

    def init(self, initial_mode):
        self.mode = initial_mode
        logger = logging.getLogger("charmcraft")
        logger.setLevel(logging.DEBUG)
        self._stderr_handler.setFormatter(logging.Formatter(FORMATTER_SIMPLE))
        logger.addHandler(self._stderr_handler)

        fd, self._log_filepath = tempfile.mkstemp(prefix="charmcraft-log-")
        os.close(fd)
        file_handler = logging.FileHandler(self._log_filepath)
        file_handler.setFormatter(logging.Formatter(FORMATTER_DETAILED))
        file_handler.setLevel(0)
        logger.addHandler(file_handler)

    def ended_ok(self):
        os.unlink(self._log_filepath)

    def ended_crash(self, error):
        print("Full execution log: {!r}".format(self._log_filepath), file=sys.stderr)


message_handler = _MessageHandler()
