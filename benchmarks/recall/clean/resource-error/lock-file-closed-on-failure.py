"""The lock file is closed on every failing path before the exception propagates, and on success it is kept by the lock object that releases it."""
import fcntl
import time


class LockTimeout(Exception):
    pass


class FileLock:
    def __init__(self, path, timeout=10.0, poll=0.1):
        self.path = path
        self.timeout = timeout
        self.poll = poll
        self._fh = None

    def acquire(self):
        fh = open(self.path, "a")
        try:
            deadline = time.monotonic() + self.timeout
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LockTimeout(self.path)
                    time.sleep(self.poll)
        except BaseException:
            fh.close()
            raise
        self._fh = fh
        return fh

    def release(self):
        if self._fh is not None:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
