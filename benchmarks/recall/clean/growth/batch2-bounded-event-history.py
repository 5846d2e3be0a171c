"""Per-job event history kept in a deque(maxlen=...) and pruned when the job ends, so it never grows past a fixed size."""
import time
from collections import deque
from typing import Deque, Dict, List, Tuple

MAX_EVENTS_PER_JOB = 500


class JobMonitor:
    def __init__(self) -> None:
        self._events: Dict[str, Deque[Tuple[float, str]]] = {}

    def record(self, job_id: str, message: str) -> None:
        history = self._events.get(job_id)
        if history is None:
            history = deque(maxlen=MAX_EVENTS_PER_JOB)
            self._events[job_id] = history
        history.append((time.time(), message))

    def recent(self, job_id: str, limit: int = 20) -> List[Tuple[float, str]]:
        return list(self._events.get(job_id, ()))[-limit:]

    def job_finished(self, job_id: str) -> List[Tuple[float, str]]:
        return list(self._events.pop(job_id, ()))
