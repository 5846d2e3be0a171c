"""Tor control-port client: GETINFO with a negative cache for slow lookups."""
import time


class ControllerError(Exception):
    pass


class Controller:
    def __init__(self, socket) -> None:
        self._socket = socket
        self._last_address_error = None
        self._last_fingerprint_error = None
        self._cache = {}

    def msg(self, message: str) -> str:
        self._socket.send(message)
        return self._socket.recv()

    def get_info(self, param: str, default=None):
        # Tor answers these two slowly when it has no answer yet, so remember the failure
        # as text only, and raise a fresh exception each time.
        if param == "address" and self._last_address_error:
            raise ControllerError(self._last_address_error)
        if param == "fingerprint" and self._last_fingerprint_error:
            raise ControllerError(self._last_fingerprint_error)

        try:
            reply = self.msg("GETINFO %s" % param)
            if not reply.startswith("250"):
                raise ControllerError(reply)
            value = reply.split("=", 1)[1].strip()
            self._cache[param] = (value, time.time())
            if param == "address":
                self._last_address_error = None
            elif param == "fingerprint":
                self._last_fingerprint_error = None
            return value
        except ControllerError as exc:
            if param == "address":
                self._last_address_error = str(exc)
            elif param == "fingerprint":
                self._last_fingerprint_error = str(exc)
            if default is not None:
                return default
            raise
