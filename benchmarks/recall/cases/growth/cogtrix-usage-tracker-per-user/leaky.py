import threading
import time
from collections import defaultdict, deque


class UsageTracker:
    """Sliding-window request counter used for per-user rate limits."""

    def __init__(self, window_seconds: float = 60.0):
        self.window_seconds = window_seconds
        self._lock = threading.Lock()
        self._requests = defaultdict(deque)  # leak

    def record_request(self, user_id: str) -> None:
        with self._lock:
            self._requests[user_id].append(time.monotonic())  # leak

    def get_requests_in_window(self, user_id: str) -> int:
        cutoff = time.monotonic() - self.window_seconds
        with self._lock:
            timestamps = self._requests[user_id]
            while timestamps and timestamps[0] < cutoff:
                timestamps.popleft()
            return len(timestamps)

    def is_rate_limited(self, user_id: str, limit: int) -> bool:
        return self.get_requests_in_window(user_id) >= limit

    def reset_rate_limits(self) -> None:
        with self._lock:
            self._requests.clear()


usage_tracker = UsageTracker()
