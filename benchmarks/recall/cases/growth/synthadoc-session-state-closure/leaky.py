import asyncio
import uuid

from fastapi import FastAPI

_SESSION_PURGE_INTERVAL_SECONDS = 3600


def create_app(audit) -> FastAPI:
    app = FastAPI()
    _session_state = {}  # leak

    @app.post("/sessions")
    async def open_session(mode: str = "guided"):
        session_id = uuid.uuid4().hex
        await audit.record_session(session_id, mode)
        _session_state[session_id] = {"mode": mode, "cursor": 0, "last_hints": []}  # leak
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

    @app.on_event("startup")
    async def start_purge():
        app.state.purge_task = asyncio.create_task(purge_loop())

    return app
