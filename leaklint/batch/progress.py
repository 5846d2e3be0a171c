"""A progress line on a terminal for long runs: ``leaklint: 812/1700 files``.

Shown only after ``DELAY`` seconds (a short run stays silent), at most every
``INTERVAL`` seconds, on standard error, rewritten in place and erased at the
end. The CLI shows it only on a terminal, outside CI and ``--quiet``.
"""

from __future__ import annotations

import time
from typing import Callable, TextIO

DELAY = 2.0
INTERVAL = 0.1


class Progress:
    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self.last = float("-inf")
        self.width = 0

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if now - self.started < DELAY or now - self.last < INTERVAL:
            return
        self.last = now
        text = f"leaklint: {done}/{total} files"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def close(self) -> None:
        """Erase the line, so that what follows starts clean."""
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0
