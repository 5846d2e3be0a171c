"""Retry history keeps formatted strings (type name, message and traceback text), never the exception objects, so no frames are retained."""
import time
import traceback
from typing import Callable, List, Tuple, TypeVar

T = TypeVar("T")


class RetriesExhausted(Exception):
    def __init__(self, history: List[Tuple[str, str]]):
        super().__init__(f"gave up after {len(history)} attempts")
        self.history = history


class Retrying:
    def __init__(self, attempts: int = 5, delay: float = 0.5):
        self.attempts = attempts
        self.delay = delay
        self.history: List[Tuple[str, str]] = []

    def __call__(self, fn: Callable[[], T]) -> T:
        self.history = []
        for attempt in range(self.attempts):
            try:
                return fn()
            except (ConnectionError, TimeoutError) as exc:
                self.history.append((type(exc).__name__, traceback.format_exc()))
                time.sleep(self.delay * (2 ** attempt))
        raise RetriesExhausted(self.history)
