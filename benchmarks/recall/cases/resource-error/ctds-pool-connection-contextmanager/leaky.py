"""A basic connection pool for DB-API 2.0 drivers."""
import threading
import time
from collections import namedtuple
from contextlib import contextmanager

PooledConnection = namedtuple("PooledConnection", ["connection", "released"])


class ConnectionPool:
    def __init__(self, dbapi2, params, idlettl=None, maxsize=None):
        self._dbapi2 = dbapi2
        self._connection_args = params
        self._idlettl = idlettl
        self._maxsize = maxsize
        self._nconnections = 0
        self._lock = threading.Lock()
        self._pool = []

    @contextmanager
    def connection(self):
        connection = self.acquire()  # leak
        yield connection
        self.release(connection)

    def acquire(self):
        with self._lock:
            while self._pool:
                pooled = self._pool.pop(0)
                if self._idlettl is not None and pooled.released + self._idlettl < time.time():
                    pooled.connection.close()
                    self._nconnections -= 1
                else:
                    return pooled.connection
            connection = self._dbapi2.connect(**self._connection_args)
            self._nconnections += 1
            return connection

    def release(self, connection):
        try:
            connection.rollback()
        except self._dbapi2.Error:
            self._close(connection)
            return
        with self._lock:
            if self._maxsize is None or self._maxsize > len(self._pool):
                self._pool.append(PooledConnection(connection, time.time()))
            else:
                self._close(connection)

    def finalize(self):
        with self._lock:
            while self._pool:
                self._close(self._pool.pop().connection)

    def _close(self, connection):
        connection.close()
        self._nconnections -= 1
