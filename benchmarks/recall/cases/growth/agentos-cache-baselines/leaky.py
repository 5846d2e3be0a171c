import logging
import time
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass
class _CacheBaseline:
    cached_tokens: int
    prompt_tokens: int
    recorded_at: float = field(default_factory=time.monotonic)


class CacheBreakMonitor:
    """Warn when a session's prompt cache hit rate suddenly collapses."""

    def __init__(self, drop_ratio: float = 0.5):
        self.drop_ratio = drop_ratio
        self._baselines = {}  # leak

    def check_response_for_cache_break(self, session_key: str, usage: dict) -> bool:
        cached = usage.get("cached_tokens", 0)
        prompt = usage.get("prompt_tokens", 0)
        previous = self._baselines.get(session_key)
        broke = previous is not None and cached < previous.cached_tokens * self.drop_ratio
        if broke:
            logger.warning("prompt cache break in %s: %d -> %d", session_key,
                           previous.cached_tokens, cached)
        self._baselines[session_key] = _CacheBaseline(cached, prompt)  # leak
        return broke

    def clear(self) -> None:
        self._baselines.clear()
