"""LRU cache decorator for coroutine functions."""
import asyncio
import functools
from collections import OrderedDict


def alru_cache(maxsize: int = 128, cache_exceptions: bool = True):
    def decorator(fn):
        cache = OrderedDict()

        @functools.wraps(fn)
        async def wrapped(*args, **kwargs):
            key = (args, tuple(sorted(kwargs.items())))
            fut = cache.get(key)
            if fut is not None:
                cache.move_to_end(key)
                return await asyncio.shield(fut)

            fut = asyncio.get_running_loop().create_future()
            cache[key] = fut
            if len(cache) > maxsize:
                cache.popitem(last=False)
            try:
                result = await fn(*args, **kwargs)
            except Exception as exc:
                if cache_exceptions:
                    fut.set_exception(exc)  # leak
                else:
                    cache.pop(key, None)
                    fut.cancel()
                raise
            fut.set_result(result)
            return result

        wrapped.cache = cache
        return wrapped

    return decorator
