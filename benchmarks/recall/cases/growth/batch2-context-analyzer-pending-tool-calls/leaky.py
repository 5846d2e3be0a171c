"""Delta engine: attributes context-window growth to the tool calls that caused it."""
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Deque, Dict, Optional


@dataclass
class PendingToolCall:
    tool_name: str
    input_chars: int
    received_at: float


@dataclass
class SessionState:
    session_id: str
    last_tokens: Optional[int] = None
    last_seen: float = field(default_factory=time.time)
    pending_tool_calls: Deque[PendingToolCall] = field(default_factory=deque)  # leak


class DeltaEngine:
    def __init__(self, stale_after: float = 3600.0) -> None:
        self.sessions: Dict[str, SessionState] = {}
        self.stale_after = stale_after

    def _session(self, session_id: str) -> SessionState:
        state = self.sessions.setdefault(session_id, SessionState(session_id))
        state.last_seen = time.time()
        return state

    def on_tool_use(self, session_id: str, tool_name: str, tool_input: str) -> None:
        state = self._session(session_id)
        state.pending_tool_calls.append(PendingToolCall(tool_name, len(tool_input), time.time()))  # leak

    def on_snapshot(self, session_id: str, total_tokens: int) -> list:
        state = self._session(session_id)
        previous, state.last_tokens = state.last_tokens, total_tokens
        delta = 0 if previous is None else total_tokens - previous
        calls = list(state.pending_tool_calls)
        state.pending_tool_calls.clear()
        return [(c.tool_name, delta // max(len(calls), 1)) for c in calls]

    def cleanup_stale_sessions(self) -> None:
        cutoff = time.time() - self.stale_after
        for sid in [s for s, st in self.sessions.items() if st.last_seen < cutoff]:
            del self.sessions[sid]
