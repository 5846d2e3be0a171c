"""Tiny key-value store persisted as JSON."""
import json
import os

KEY_STRING_ERROR = "Key/name must be a string!"


class PickleDB:
    def __init__(self, location: str, auto_dump: bool = False) -> None:
        self.loco = os.path.expanduser(location)
        self.auto_dump = auto_dump
        self.db = {}
        if os.path.exists(self.loco):
            with open(self.loco) as fh:
                self.db = json.load(fh)

    def set(self, key, value) -> bool:
        if not isinstance(key, str):
            raise TypeError(KEY_STRING_ERROR)
        self.db[key] = value
        if self.auto_dump:
            self.dump()
        return True

    def get(self, key):
        if not isinstance(key, str):
            raise TypeError(KEY_STRING_ERROR)
        return self.db.get(key, False)

    def dump(self) -> bool:
        with open(self.loco, "w") as fh:
            json.dump(self.db, fh)
        return True
