"""DB-API cursor: query formatting and error reporting."""
import sys


class ProgrammingError(Exception):
    pass


def defaulterrorhandler(connection, cursor, errorclass, errorvalue):
    if isinstance(errorvalue, BaseException):
        raise errorvalue
    raise errorclass(errorvalue)


class BaseCursor:
    def __init__(self, connection) -> None:
        self.connection = connection
        self.messages = []
        self.errorhandler = connection.errorhandler if hasattr(connection, "errorhandler") else defaulterrorhandler
        self.rowcount = -1

    def _query(self, q: bytes) -> int:
        return self.connection.query(q)

    def execute(self, query: str, args=None) -> int:
        del self.messages[:]
        if args is not None:
            query = query % tuple(self.connection.literal(a) for a in args)
        try:
            r = self._query(query.encode())
        except TypeError as m:
            if m.args[0] in ("not enough arguments for format string", "not all arguments converted"):
                self.messages.append((ProgrammingError, m.args[0]))
                self.errorhandler(self.connection, self, ProgrammingError, m.args[0])
            else:
                exc, value, tb = sys.exc_info()
                del tb
                self.messages.append((exc, value))  # leak
                self.errorhandler(self.connection, self, exc, value)
            r = -1
        self.rowcount = r
        return r
