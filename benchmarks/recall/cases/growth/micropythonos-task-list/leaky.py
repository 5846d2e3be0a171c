import asyncio


class TaskManager:
    task_list = []  # leak
    keep_running = True

    @classmethod
    def create_task(cls, coroutine):
        task = asyncio.create_task(coroutine)
        cls.task_list.append(task)  # leak
        # might be good to periodically remove tasks that are done
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
        for task in cls.task_list:
            task.cancel()


async def check_for_updates(url):
    buffer = bytearray(10 * 1024)
    await TaskManager.sleep(0.01)
    return len(buffer), url
