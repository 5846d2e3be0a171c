"""Tests for the capture agent's recording database."""
import os
import sqlite3
import tempfile
import unittest

CONFIG = {"agent": {"database": "sqlite://"}}


def init_db(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE IF NOT EXISTS event (uid TEXT PRIMARY KEY, start INTEGER, status INTEGER)")
    conn.commit()
    return conn


class TestPycaCapture(unittest.TestCase):
    def setUp(self):
        fd, self.dbfile = tempfile.mkstemp()
        os.close(fd)
        CONFIG["agent"]["database"] = "sqlite:///" + self.dbfile
        self.conn = init_db(self.dbfile)

    def tearDown(self):
        self.conn.close()
        os.remove(self.dbfile)

    def test_insert_event(self):
        self.conn.execute("INSERT INTO event VALUES ('123', 1, 0)")
        rows = self.conn.execute("SELECT uid FROM event").fetchall()
        self.assertEqual(rows, [("123",)])


if __name__ == "__main__":
    unittest.main()
