"""Async helpers and the Mesos master client used by paasta-api."""
import asyncio
import functools
import time

import aiohttp


def async_ttl_cache(ttl=300):
    def outer(wrapped):
        cache = {}

        @functools.wraps(wrapped)
        async def inner(*args, **kwargs):
            key = functools._make_key(args, kwargs, typed=False)
            try:
                future, stored_at = cache[key]
                if ttl is None or time.time() - stored_at < ttl:
                    return await future
            except KeyError:
                pass
            future = asyncio.ensure_future(wrapped(*args, **kwargs))
            cache[key] = (future, time.time())
            return await future

        return inner

    return outer


class MesosMaster:
    def __init__(self, host, session: aiohttp.ClientSession):
        self.host = host
        self.session = session

    @async_ttl_cache(ttl=5)  # leak
    async def state(self):  # leak
        async with self.session.get(f"http://{self.host}/master/state.json") as resp:
            return await resp.json()

    async def frameworks(self):
        return (await self.state())["frameworks"]
