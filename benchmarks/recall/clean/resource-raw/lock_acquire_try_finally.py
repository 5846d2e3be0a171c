"""Every acquire() that succeeds is paired with a release() in a finally block, so an exception in the critical section cannot leave the lock held."""
import threading


class RateCounter:
    def __init__(self):
        self._lock = threading.Lock()
        self._counts = {}

    def incr(self, key, amount=1, timeout=1.0):
        if not self._lock.acquire(timeout=timeout):
            raise TimeoutError("counter busy")
        try:
            self._counts[key] = self._counts.get(key, 0) + amount
            return self._counts[key]
        finally:
            self._lock.release()

    def snapshot(self):
        with self._lock:
            return dict(self._counts)
