"""The latency history is a deque with maxlen, and per-endpoint keys come from a fixed configured set, so memory stays bounded however long it runs."""
import statistics
import time
from collections import deque

ENDPOINTS = ("search", "checkout", "login")


class LatencyMonitor:
    def __init__(self, window: int = 500):
        self.history = {name: deque(maxlen=window) for name in ENDPOINTS}

    def record(self, endpoint: str, started: float) -> None:
        if endpoint not in self.history:
            raise KeyError(f"unknown endpoint {endpoint!r}")
        self.history[endpoint].append(time.monotonic() - started)

    def p50(self, endpoint: str) -> float:
        samples = self.history[endpoint]
        return statistics.median(samples) if samples else 0.0
