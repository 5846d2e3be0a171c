import heapq
import itertools
import selectors
import time


class Task:
    def __init__(self, when, fn, args):
        self.when = when
        self.fn = fn
        self.args = args
        self.cancelled = False

    def run(self):
        return self.fn(*self.args)


class NetworkSelector:
    def __init__(self):
        self._selector = selectors.DefaultSelector()  # other leak: no method closes the selector
        self._scheduled = []
        self._counter = itertools.count()
        self._pending_tasks = set()

    def call_at(self, when, fn, *args):
        task = Task(when, fn, args)
        heapq.heappush(self._scheduled, (when, next(self._counter), task))
        self._pending_tasks.add(task)
        return task

    def call_later(self, delay, fn, *args):
        return self.call_at(time.monotonic() + delay, fn, *args)

    def _retire_task(self, task):
        self._pending_tasks.discard(task)

    def unschedule(self, task):
        task.cancelled = True
        self._scheduled = [entry for entry in self._scheduled if entry[2] is not task]
        heapq.heapify(self._scheduled)
        self._retire_task(task)

    def _poll_once(self, timeout):
        for key, _mask in self._selector.select(timeout):
            key.data()
        now = time.monotonic()
        while self._scheduled and self._scheduled[0][0] <= now:
            _, _, task = heapq.heappop(self._scheduled)
            try:
                task.run()
            finally:
                self._retire_task(task)


def send_request(net, conn, request, timeout_s=30.0):
    timeout_task = net.call_later(timeout_s, conn.fail_request, request)
    future = conn.send(request)
    future.add_callback(lambda _resp: net.unschedule(timeout_task))
    return future
