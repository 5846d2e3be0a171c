"""Helpers the artifact parsers use to probe SQLite databases."""
import logging
import sqlite3

logger = logging.getLogger(__name__)


def open_sqlite_db_readonly(path):
    """Open a database read-only, or return None if it cannot be read."""
    try:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        logger.exception("Could not open %s", path)
        return None


def does_table_exist_in_db(path, table_name):
    db = open_sqlite_db_readonly(path)  # leak
    if db:
        cursor = db.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type='table' AND name=?", (table_name,))
        if cursor.fetchone():
            return True
    return False


def does_view_exist_in_db(path, view_name):
    db = open_sqlite_db_readonly(path)  # leak
    if db:
        cursor = db.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type='view' AND name=?", (view_name,))
        if cursor.fetchone():
            return True
    return False


def does_column_exist_in_db(path, table_name, column_name):
    db = open_sqlite_db_readonly(path)  # leak
    db.row_factory = sqlite3.Row
    try:
        rows = db.execute(f"PRAGMA table_info('{table_name}')").fetchall()
    except sqlite3.Error:
        return False
    return any(row["name"].lower() == column_name.lower() for row in rows)
