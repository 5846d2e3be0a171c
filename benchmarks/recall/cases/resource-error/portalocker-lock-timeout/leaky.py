"""A file lock with a timeout, built on flock."""
import fcntl
import time

LOCK_FLAGS = fcntl.LOCK_EX | fcntl.LOCK_NB


class LockException(Exception):
    pass


class AlreadyLocked(LockException):
    pass


class Lock:
    def __init__(self, filename, mode="a", timeout=5, check_interval=0.25, fail_when_locked=False):
        self.filename = filename
        self.mode = mode
        self.timeout = timeout
        self.check_interval = check_interval
        self.fail_when_locked = fail_when_locked
        self.fh = None

    def acquire(self, timeout=None, check_interval=None, fail_when_locked=None):
        timeout = self.timeout if timeout is None else timeout
        check_interval = self.check_interval if check_interval is None else check_interval
        fail_when_locked = self.fail_when_locked if fail_when_locked is None else fail_when_locked
        if self.fh:
            return self.fh
        fh = self._get_fh()  # leak
        deadline = time.monotonic() + timeout
        while True:
            try:
                fh = self._get_lock(fh)
                break
            except LockException as exception:
                if fail_when_locked:
                    raise AlreadyLocked(exception)
                if time.monotonic() >= deadline:
                    raise
                time.sleep(check_interval)
        self.fh = fh
        return fh

    def release(self):
        if self.fh:
            fcntl.flock(self.fh, fcntl.LOCK_UN)
            self.fh.close()
            self.fh = None

    def _get_fh(self):
        return open(self.filename, self.mode)  # leak

    def _get_lock(self, fh):
        try:
            fcntl.flock(fh, LOCK_FLAGS)
        except OSError as exc:
            raise LockException(exc)
        return fh

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()
