"""Async helpers and the Mesos master client used by paasta-api."""
import asyncio
import functools
import time
import weakref

import aiohttp


def async_ttl_cache(ttl=300, cleanup_self=False):
    def outer(wrapped):
        cache = {}
        instance_caches = weakref.WeakKeyDictionary()

        @functools.wraps(wrapped)
        async def inner(*args, **kwargs):
            if cleanup_self:
                # Key without self; the per-instance cache dies with the instance.
                store = instance_caches.setdefault(args[0], {})
                key = functools._make_key(args[1:], kwargs, typed=False)
            else:
                store = cache
                key = functools._make_key(args, kwargs, typed=False)
            try:
                value, stored_at = store[key]
                if ttl is None or time.time() - stored_at < ttl:
                    return value
            except KeyError:
                pass
            value = await asyncio.ensure_future(wrapped(*args, **kwargs))
            store[key] = (value, time.time())
            return value

        return inner

    return outer


class MesosMaster:
    def __init__(self, host, session: aiohttp.ClientSession):
        self.host = host
        self.session = session

    @async_ttl_cache(ttl=5, cleanup_self=True)
    async def state(self):
        async with self.session.get(f"http://{self.host}/master/state.json") as resp:
            return await resp.json()

    async def frameworks(self):
        return (await self.state())["frameworks"]
