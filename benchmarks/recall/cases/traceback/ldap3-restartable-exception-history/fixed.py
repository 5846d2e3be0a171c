"""Restartable connection strategy: retries a failed socket open a few times."""
import socket
import time


class LDAPMaximumRetriesError(Exception):
    pass


class SyncStrategy:
    def __init__(self, connection):
        self.connection = connection

    def _open_socket(self, address, use_ssl=False):
        sock = socket.create_connection(address, timeout=10)
        self.connection.socket = sock


class RestartableStrategy(SyncStrategy):
    def __init__(self, connection, tries=5, sleep_time=2):
        super().__init__(connection)
        self.restartable_tries = tries
        self.restartable_sleep_time = sleep_time
        self.exception_history = []

    def _open_socket(self, address, use_ssl=False):
        try:
            SyncStrategy._open_socket(self, address, use_ssl)
            self._reset_exception_history()
            return
        except Exception as e:
            # a new instance of the same type carries no traceback, so no frames
            self._add_exception_to_history(type(e)(str(e)))

        counter = self.restartable_tries
        while counter > 0:
            time.sleep(self.restartable_sleep_time)
            try:
                SyncStrategy._open_socket(self, address, use_ssl)
                self._reset_exception_history()
                return
            except Exception as e:
                self._add_exception_to_history(type(e)(str(e)))
            counter -= 1
        raise LDAPMaximumRetriesError("restartable connection failed", self.exception_history)

    def _add_exception_to_history(self, exc):
        if not isinstance(exc, LDAPMaximumRetriesError):
            self.exception_history.append(exc)

    def _reset_exception_history(self):
        if self.exception_history:
            self.exception_history = []
