"""Each connection is wrapped in contextlib.closing, and the inner `with conn:` only scopes the transaction, so every connection is closed."""
import sqlite3
from contextlib import closing


class SettingsStore:
    def __init__(self, path):
        self.path = path
        with closing(sqlite3.connect(self.path)) as conn:
            with conn:
                conn.execute("CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT)")

    def get(self, key, default=None):
        with closing(sqlite3.connect(self.path)) as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set(self, key, value):
        with closing(sqlite3.connect(self.path)) as conn:
            with conn:
                conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", (key, value))
