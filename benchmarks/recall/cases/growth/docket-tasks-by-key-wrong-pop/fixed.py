import asyncio
import functools
from dataclasses import dataclass


@dataclass
class Execution:
    key: str
    function: object
    args: tuple


class Worker:
    def __init__(self, docket_name: str):
        self.docket_name = docket_name
        self._tasks_by_key = {}

    async def _execute(self, execution: Execution):
        return await execution.function(*execution.args)

    def _start_task(self, execution: Execution) -> asyncio.Task:
        task = asyncio.create_task(
            self._execute(execution),
            name=f"{self.docket_name} - task:{execution.key}",
        )
        self._tasks_by_key[execution.key] = task
        task.add_done_callback(functools.partial(self._task_finished, execution.key))
        return task

    def _task_finished(self, key: str, task: asyncio.Task) -> None:
        self._tasks_by_key.pop(key, None)

    async def cancel(self, key: str) -> None:
        task = self._tasks_by_key.get(key)
        if task is not None:
            task.cancel()

    async def run_batch(self, executions):
        tasks = [self._start_task(execution) for execution in executions]
        return await asyncio.gather(*tasks, return_exceptions=True)
