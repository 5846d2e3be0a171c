"""Not a leak: the sqlite connection opened in __init__ is owned by the store and closed by its close()/__exit__, and callers use the store in a with block."""
import sqlite3


class MetricStore:
    def __init__(self, path):
        self.path = path
        self.con = sqlite3.connect(path)
        self.con.execute("CREATE TABLE IF NOT EXISTS metric (name TEXT, ts REAL, value REAL)")

    def add(self, name, ts, value):
        with self.con:
            self.con.execute("INSERT INTO metric VALUES (?, ?, ?)", (name, ts, value))

    def latest(self, name):
        row = self.con.execute("SELECT value FROM metric WHERE name = ? ORDER BY ts DESC LIMIT 1", (name,)).fetchone()
        return row[0] if row else None

    def close(self):
        if self.con is not None:
            self.con.close()
            self.con = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()


def record_sample(path, name, ts, value):
    with MetricStore(path) as store:
        store.add(name, ts, value)
        return store.latest(name)
