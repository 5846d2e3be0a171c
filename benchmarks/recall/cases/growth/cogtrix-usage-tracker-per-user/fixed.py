import threading
import time
from collections import deque


class UsageTracker:
    """Sliding-window request counter used for per-user rate limits."""

    def __init__(self, window_seconds: float = 60.0):
        self.window_seconds = window_seconds
        self._lock = threading.Lock()
        self._requests = {}

    def _prune(self, user_id: str, cutoff: float) -> int:
        timestamps = self._requests.get(user_id)
        if timestamps is None:
            return 0
        while timestamps and timestamps[0] < cutoff:
            timestamps.popleft()
        if not timestamps:
            del self._requests[user_id]
            return 0
        return len(timestamps)

    def record_request(self, user_id: str) -> None:
        with self._lock:
            self._requests.setdefault(user_id, deque()).append(time.monotonic())

    def get_requests_in_window(self, user_id: str) -> int:
        cutoff = time.monotonic() - self.window_seconds
        with self._lock:
            return self._prune(user_id, cutoff)

    def cleanup_stale(self) -> None:
        cutoff = time.monotonic() - self.window_seconds
        with self._lock:
            for user_id in list(self._requests):
                self._prune(user_id, cutoff)

    def is_rate_limited(self, user_id: str, limit: int) -> bool:
        return self.get_requests_in_window(user_id) >= limit

    def reset_rate_limits(self) -> None:
        with self._lock:
            self._requests.clear()


usage_tracker = UsageTracker()
