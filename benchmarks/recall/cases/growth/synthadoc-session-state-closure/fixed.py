import asyncio
import uuid

from fastapi import FastAPI

_SESSION_PURGE_INTERVAL_SECONDS = 3600


async def _prune_stale_session_state(audit, session_state: dict) -> None:
    live = set(await audit.list_all_session_ids())
    for session_id in list(session_state):
        if session_id not in live:
            del session_state[session_id]


def create_app(audit) -> FastAPI:
    app = FastAPI()
    _session_state = {}

    @app.post("/sessions")
    async def open_session(mode: str = "guided"):
        session_id = uuid.uuid4().hex
        await audit.record_session(session_id, mode)
        _session_state[session_id] = {"mode": mode, "cursor": 0, "last_hints": []}
        return {"session_id": session_id}

    @app.post("/sessions/{session_id}/next")
    async def next_hint(session_id: str):
        state = _session_state.setdefault(session_id, {"mode": "guided", "cursor": 0, "last_hints": []})
        state["cursor"] += 1
        state["last_hints"] = state["last_hints"][-2:] + [f"hint {state['cursor']}"]
        return state

    async def purge_loop():
        while True:
            await asyncio.sleep(_SESSION_PURGE_INTERVAL_SECONDS)
            await audit.purge_old_sessions(max_age_days=7)
            await _prune_stale_session_state(audit, _session_state)

    @app.on_event("startup")
    async def start_purge():
        app.state.purge_task = asyncio.create_task(purge_loop())

    return app
