import asyncio


class ServiceMixin:
    """Start/stop helper for long-lived asyncio services."""

    def __init__(self):
        self.__tasks = set()
        self.__running = False
        self.__exit_point = None

    def __task_callback(self, task):
        self.__tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc and not self.__exit_point.done():
            self.__exit_point.set_exception(exc)

    def add_task(self, coro):
        task = asyncio.ensure_future(coro)
        task.add_done_callback(self.__task_callback)
        self.__tasks.add(task)
        return task

    async def start(self):
        self.__exit_point = asyncio.get_running_loop().create_future()
        self.__running = True

    async def stop(self):
        self.__running = False
        tasks = list(self.__tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self.__tasks.clear()


class Poller(ServiceMixin):
    async def on_message(self, message):
        self.add_task(self.handle(message))

    async def handle(self, message):
        await asyncio.sleep(0)
        return message
