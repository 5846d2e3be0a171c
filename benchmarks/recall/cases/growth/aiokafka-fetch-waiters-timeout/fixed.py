import asyncio


class Fetcher:
    def __init__(self, loop=None):
        self._loop = loop or asyncio.get_event_loop()
        self._records = {}
        self._fetch_waiters = set()

    def _notify(self, waiters):
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)
        waiters.clear()

    def on_fetched(self, partition, batch):
        self._records.setdefault(partition, []).extend(batch)
        self._notify(self._fetch_waiters)

    def _drain(self, partitions, max_records):
        drained = {}
        for tp in partitions:
            records = self._records.pop(tp, [])
            if records:
                drained[tp] = records[:max_records]
        return drained

    async def fetched_records(self, partitions, timeout=0, max_records=None):
        while True:
            drained = self._drain(partitions, max_records)
            if drained or not timeout:
                return drained
            waiter = self._loop.create_future()
            self._fetch_waiters.add(waiter)
            try:
                done, _pending = await asyncio.wait([waiter], timeout=timeout)
            finally:
                if not waiter.done():
                    waiter.cancel()
                self._fetch_waiters.discard(waiter)
            if not done:
                return {}
