"""Persistent queue of generation tasks and their progress events."""
import json
import sqlite3
import time
from contextlib import contextmanager


class GenerationQueue:
    def __init__(self, db_path):
        self.db_path = db_path
        with self._connect() as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY AUTOINCREMENT, task_id TEXT, kind TEXT, payload TEXT, created REAL)")

    @contextmanager
    def _connect(self):
        conn = sqlite3.connect(self.db_path, timeout=30)
        conn.row_factory = sqlite3.Row
        try:
            with conn:  # commit or roll back
                yield conn
        finally:
            conn.close()

    def push_event(self, task_id, kind, payload):
        with self._connect() as conn:
            conn.execute("INSERT INTO events (task_id, kind, payload, created) VALUES (?, ?, ?, ?)", (task_id, kind, json.dumps(payload), time.time()))

    def get_events_since(self, last_id, limit=200):
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?", (last_id, limit)).fetchall()
        return [dict(row, payload=json.loads(row["payload"])) for row in rows]
