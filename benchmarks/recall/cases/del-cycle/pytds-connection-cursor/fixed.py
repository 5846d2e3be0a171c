"""DB-API connection and cursor for a TDS (SQL Server) session."""


class _TdsSession(object):
    def __init__(self, sock):
        self._sock = sock

    def submit_plain_query(self, operation):
        self._sock.sendall(operation.encode("utf-16le"))

    def cancel_if_pending(self):
        pass


class Cursor(object):
    def __init__(self, conn, session):
        self._conn = conn
        self._session = session
        self.arraysize = 1

    def execute(self, operation, params=()):
        self._session.submit_plain_query(operation % params if params else operation)
        return self

    def close(self):
        if self._session is not None:
            self._session.cancel_if_pending()
        self._session = None
        self._conn = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Connection(object):
    def __init__(self, sock):
        self._sock = sock
        self._main_session = _TdsSession(sock)
        self._active_cursor = None
        self._closed = False

    def cursor(self):
        cursor = Cursor(self, self._main_session)
        self._active_cursor = cursor
        return cursor

    def close(self):
        if not self._closed:
            self._sock.close()
            self._closed = True

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
