"""Application logger wiring: console logger plus a manager that mounts it."""
import logging
import sys
import unittest

LOGGER_NAME = "app"


class _AppConsoleHandler(logging.StreamHandler):
    """Marker subclass so the logger can tell whether its console handler is already attached."""


class ConsoleLogger:
    def __init__(self) -> None:
        self.logger = logging.getLogger(LOGGER_NAME)
        self.logger.setLevel(logging.INFO)
        if not any(isinstance(h, _AppConsoleHandler) for h in self.logger.handlers):
            handler = _AppConsoleHandler(sys.stdout)
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            self.logger.addHandler(handler)

    def info(self, message: str) -> None:
        self.logger.info(message)


class LoggerManager:
    _loggers = []

    @staticmethod
    def mount_logger() -> None:
        LoggerManager._loggers = [ConsoleLogger()]

    @staticmethod
    def info(message: str) -> None:
        for logger in LoggerManager._loggers:
            logger.info(message)


class BaseTestAccount(unittest.TestCase):
    def setUp(self) -> None:
        LoggerManager.mount_logger()

    def test_logs_once(self) -> None:
        LoggerManager.info("account created")
