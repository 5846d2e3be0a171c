import collections
import os
import threading


class BatchSpanProcessor:
    def __init__(self, span_exporter, max_queue_size=2048, schedule_delay_millis=5000):
        self.span_exporter = span_exporter
        self.queue = collections.deque([], max_queue_size)
        self.schedule_delay = schedule_delay_millis / 1000
        self.condition = threading.Condition(threading.Lock())
        self.done = False
        self._start_worker()
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._at_fork_reinit)  # leak
        self._pid = os.getpid()

    def _start_worker(self):
        self.worker_thread = threading.Thread(name="OtelBatchSpanProcessor",
                                              target=self.worker, daemon=True)
        self.worker_thread.start()

    def _at_fork_reinit(self):
        self.condition = threading.Condition(threading.Lock())
        self.queue.clear()
        self._start_worker()
        self._pid = os.getpid()

    def on_end(self, span):
        self.queue.appendleft(span)

    def worker(self):
        while not self.done:
            with self.condition:
                self.condition.wait(self.schedule_delay)
            batch = [self.queue.pop() for _ in range(len(self.queue))]
            if batch:
                self.span_exporter.export(batch)

    def shutdown(self):
        self.done = True
        with self.condition:
            self.condition.notify_all()
        self.worker_thread.join()
        self.span_exporter.shutdown()
