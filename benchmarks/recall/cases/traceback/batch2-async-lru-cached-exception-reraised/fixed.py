"""LRU cache decorator for coroutine functions."""
import asyncio
import copy
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
                await asyncio.wait([fut])
                exc = fut.exception()
                if exc is not None:
                    # Raise a fresh copy so the cached one never accumulates tracebacks.
                    raise copy.copy(exc)
                return fut.result()

            fut = asyncio.get_running_loop().create_future()
            cache[key] = fut
            if len(cache) > maxsize:
                cache.popitem(last=False)
            try:
                result = await fn(*args, **kwargs)
            except Exception as exc:
                if cache_exceptions:
                    fut.set_exception(copy.copy(exc))
                else:
                    cache.pop(key, None)
                    fut.cancel()
                raise
            fut.set_result(result)
            return result

        wrapped.cache = cache
        return wrapped

    return decorator
