import asyncio


class TaskManager:
    task_list = []
    keep_running = True

    @classmethod
    def _forget(cls, task):
        try:
            cls.task_list.remove(task)
        except ValueError:
            pass

    @classmethod
    def create_task(cls, coroutine):
        task = asyncio.create_task(coroutine)
        cls.task_list.append(task)
        task.add_done_callback(cls._forget)
        return task

    @classmethod
    def list_tasks(cls):
        for index, task in enumerate(cls.task_list):
            print(f"{index}: {task!r} done={task.done()}")

    @classmethod
    async def sleep(cls, seconds):
        await asyncio.sleep(seconds)

    @classmethod
    def stop(cls):
        cls.keep_running = False
        for task in list(cls.task_list):
            task.cancel()


async def check_for_updates(url):
    buffer = bytearray(10 * 1024)
    await TaskManager.sleep(0.01)
    return len(buffer), url
