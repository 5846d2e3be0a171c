"""SQLite adapter: read records back out of a SQLite database."""
import logging
import sqlite3
from contextlib import closing

logger = logging.getLogger(__name__)


class AbstractReader:
    def __iter__(self):
        raise NotImplementedError

    def close(self):
        pass


class SqliteReader(AbstractReader):
    """Yield one dict per row of every table in the database."""

    def __init__(self, path, batch_size=1000, **kwargs):
        self.con = sqlite3.connect(path)
        self.batch_size = int(batch_size)
        self.count = 0

    def table_names(self):
        rows = self.con.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
        return [row[0] for row in rows]

    def read_table(self, table_name):
        cursor = self.con.execute(f'SELECT * FROM "{table_name}"')
        names = [col[0] for col in cursor.description]
        while True:
            rows = cursor.fetchmany(self.batch_size)
            if not rows:
                break
            for row in rows:
                self.count += 1
                yield dict(zip(names, row))

    def __iter__(self):
        for table_name in self.table_names():
            logger.debug("Reading table: %s", table_name)
            yield from self.read_table(table_name)

    def close(self):
        if self.con:
            self.con.close()
        self.con = None


def count_rows(path, table_name):
    """Quick row count used by the CLI's --stats flag."""
    with closing(sqlite3.connect(path)) as con:
        return con.execute(f'SELECT COUNT(*) FROM "{table_name}"').fetchone()[0]
