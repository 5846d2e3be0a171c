"""Fire-and-forget tasks are held in a set only while they run: each one removes itself with add_done_callback(discard)."""
import asyncio
import logging

log = logging.getLogger(__name__)

_background_tasks = set()


def _log_failure(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("background task %s failed", task.get_name(), exc_info=task.exception())


def fire_and_forget(coro, name: str = None) -> asyncio.Task:
    task = asyncio.create_task(coro, name=name)
    _background_tasks.add(task)
    task.add_done_callback(_background_tasks.discard)
    task.add_done_callback(_log_failure)
    return task


async def notify_webhooks(event: dict, urls: list) -> None:
    for url in urls:
        fire_and_forget(asyncio.sleep(0, result=(url, event)), name=f"webhook:{url}")
