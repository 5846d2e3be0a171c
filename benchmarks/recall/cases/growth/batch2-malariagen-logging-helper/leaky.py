"""Logging set-up shared by the data resource classes (Ag3, Af1, ...)."""
import logging
import sys


class LoggingHelper:
    def __init__(self, name: str, out=sys.stdout, debug: bool = False) -> None:
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG if debug else logging.INFO)
        self._logger = logger

        if isinstance(out, str):
            handler = logging.FileHandler(out)
        elif hasattr(out, "write"):
            handler = logging.StreamHandler(out)
        else:
            handler = None

        if handler is not None:
            handler.setLevel(logging.DEBUG if debug else logging.INFO)
            handler.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
            logger.addHandler(handler)  # leak

    def info(self, msg: str) -> None:
        self._logger.info(msg)


class Ag3:
    """One of several resource classes; notebooks create them again on every cell rerun."""

    def __init__(self, url: str = "gs://vo_agam_release/", log=sys.stdout, debug: bool = False) -> None:
        self._url = url
        self._log = LoggingHelper(name=__name__, out=log, debug=debug)
        self._log.info(f"Opened {url}")
