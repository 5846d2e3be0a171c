"""Application logger wiring: console logger plus a manager that mounts it."""
import logging
import sys
import unittest

LOGGER_NAME = "app"


class ConsoleLogger:
    def __init__(self) -> None:
        self.logger = logging.getLogger(LOGGER_NAME)
        self.logger.setLevel(logging.INFO)
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        self.logger.addHandler(handler)  # leak

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
