"""Task group for a small discrete-event simulation kernel."""
from typing import Callable, Coroutine, List, Set


class Task:
    def __init__(self, coro: Coroutine, name: str) -> None:
        self.coro = coro
        self.name = name
        self.done = False
        self.result = None
        self._done_callbacks: List[Callable[["Task"], None]] = []

    def add_done_callback(self, cb: Callable[["Task"], None]) -> None:
        self._done_callbacks.append(cb)

    def step(self) -> None:
        try:
            self.coro.send(None)
        except StopIteration as stop:
            self.done = True
            self.result = stop.value
            for cb in self._done_callbacks:
                cb(self)


class TaskGroup:
    def __init__(self) -> None:
        self._children: Set[Task] = set()
        self._counter = 0

    def create_task(self, coro: Coroutine) -> Task:
        self._counter += 1
        task = Task(coro, f"child-{self._counter}")
        self._children.add(task)
        task.add_done_callback(self._on_child_done)
        return task

    def _on_child_done(self, task: Task) -> None:
        self._children.discard(task)

    def pending(self) -> int:
        return len(self._children)
