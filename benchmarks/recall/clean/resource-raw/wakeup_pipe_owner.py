"""The self-pipe is created by the loop object and both ends are closed by its close()/__exit__, so the descriptors live exactly as long as the loop."""
import os
import select


class WakeableLoop:
    def __init__(self):
        self._rfd, self._wfd = os.pipe()
        os.set_blocking(self._rfd, False)
        self._closed = False

    def wake(self):
        os.write(self._wfd, b"x")

    def wait(self, fds, timeout=None):
        readable, _, _ = select.select(list(fds) + [self._rfd], [], [], timeout)
        if self._rfd in readable:
            try:
                os.read(self._rfd, 512)
            except BlockingIOError:
                pass
            readable.remove(self._rfd)
        return readable

    def close(self):
        if not self._closed:
            self._closed = True
            os.close(self._rfd)
            os.close(self._wfd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
