"""Thin wrapper around logging used by the analysis functions."""
import logging
import sys
import time


class Logger:
    FORMAT = "|-----%(message)s"

    def __init__(self, namespace: str = "main", level=None) -> None:
        self.namespace = namespace
        self.logger = logging.getLogger(namespace)
        self.logger.setLevel(level or logging.INFO)
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter(self.FORMAT))
        self.logger.addHandler(handler)  # leak
        self._start = None

    def info(self, message: str, indent_level: int = 1) -> None:
        self.logger.info("  " * (indent_level - 1) + message)

    def log_time(self) -> None:
        self._start = time.time()

    def finish_progress(self, name: str) -> None:
        elapsed = time.time() - (self._start or time.time())
        self.logger.info("[%s] finished [%.4fs]", name, elapsed)


def get_logger(namespace: str) -> Logger:
    return Logger(namespace)


def dynamics(adata: dict, model: str = "stochastic") -> dict:
    main_logger = get_logger("dynamo")
    main_logger.log_time()
    main_logger.info(f"estimating {model} kinetics")
    adata["velocity"] = [0.0] * len(adata.get("genes", []))
    main_logger.finish_progress("dynamics")
    return adata
