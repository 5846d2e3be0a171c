"""A document-store style wrapper over a SQLite database."""
import sqlite3


class Collection:
    def __init__(self, db, name):
        self.db = db
        self.name = name
        self.db.execute(f'CREATE TABLE IF NOT EXISTS "{name}" (id INTEGER PRIMARY KEY AUTOINCREMENT, data TEXT NOT NULL)')


class Connection:
    def __init__(self, database=":memory:", **kwargs):
        self._database = database
        self._kwargs = kwargs
        self._collections = {}
        self.db = None
        self.connect()

    def connect(self):
        self.db = sqlite3.connect(self._database, **self._kwargs)  # leak
        self.db.isolation_level = None
        self.db.execute("PRAGMA journal_mode=WAL")
        self._collections.clear()

    def __getitem__(self, name):
        if name not in self._collections:
            self._collections[name] = Collection(self.db, name)
        return self._collections[name]

    def close(self):
        if self.db is not None:
            self.db.close()
            self.db = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
