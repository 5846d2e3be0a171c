"""The generator-based context managers wrap their yield in try/finally, so the connection and the cursor are closed even when the with-body raises."""
from contextlib import contextmanager

import psycopg2


@contextmanager
def db_connection(dsn):
    conn = psycopg2.connect(dsn)
    try:
        yield conn
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.close()


@contextmanager
def db_cursor(dsn):
    with db_connection(dsn) as conn:
        cur = conn.cursor()
        try:
            yield cur
        finally:
            cur.close()


def count_rows(dsn, table):
    with db_cursor(dsn) as cur:
        cur.execute(f"SELECT count(*) FROM {table}")
        return cur.fetchone()[0]
