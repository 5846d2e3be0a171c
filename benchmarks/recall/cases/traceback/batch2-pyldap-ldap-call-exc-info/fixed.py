"""Thread-safe wrapper around the C LDAP connection object."""
import sys
import threading
from os import strerror


class LDAPError(Exception):
    pass


class LDAPObject:
    def __init__(self, conn, trace_level: int = 0, trace_file=sys.stderr) -> None:
        self._l = conn
        self._ldap_object_lock = threading.Lock()
        self._trace_level = trace_level
        self._trace_file = trace_file

    def _ldap_call(self, func, *args, **kwargs):
        """Call a method of the underlying connection while holding the lock."""
        self._ldap_object_lock.acquire()
        try:
            try:
                result = func(*args, **kwargs)
            finally:
                self._ldap_object_lock.release()
        except LDAPError as e:
            try:
                if "info" not in e.args[0] and "errno" in e.args[0]:
                    e.args[0]["info"] = strerror(e.args[0]["errno"])
            except (IndexError, TypeError):
                pass
            if self._trace_level >= 2:
                self._trace_file.write("=> LDAPError - %s: %s\n" % (e.__class__.__name__, e))
            raise
        return result

    def search_ext(self, base: str, scope: int, filterstr: str = "(objectClass=*)"):
        return self._ldap_call(self._l.search_ext, base, scope, filterstr)
