"""Fire-and-forget tasks are kept in a set only while running: each task removes itself with add_done_callback(discard), so the set does not grow."""
import asyncio
import logging

log = logging.getLogger(__name__)

_background_tasks = set()


def fire_and_forget(coro, task_name=None):
    task = asyncio.create_task(coro, name=task_name)
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    task.add_done_callback(_log_failure)
    return task


def _log_failure(task):
    if not task.cancelled() and task.exception() is not None:
        log.error("background task %s failed", task.get_name(), exc_info=task.exception())


def get_background_task_count():
    return len(_background_tasks)
