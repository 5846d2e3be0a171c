"""Low-level async calls to the Telegram Bot API."""
import asyncio
import atexit
import json

import aiohttp

_loop = asyncio.get_event_loop()

_pools = {
    "default": aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=10), loop=_loop),
}

_timeout = 30
_BASE = "https://api.telegram.org/bot{token}/{method}"


def _close_pools():
    for session in _pools.values():
        if not session.closed:
            _loop.run_until_complete(session.close())


atexit.register(_close_pools)


def _methodurl(token, method):
    return _BASE.format(token=token, method=method)


async def _post(token, method, params, timeout=_timeout):
    session = _pools["default"]
    async with session.post(_methodurl(token, method), data=params, timeout=timeout) as resp:
        payload = await resp.text()
    data = json.loads(payload)
    if not data.get("ok"):
        raise RuntimeError(data.get("description", "Telegram API error"))
    return data["result"]


async def get_me(token):
    return await _post(token, "getMe", {})


async def send_message(token, chat_id, text, **kwargs):
    params = {"chat_id": chat_id, "text": text}
    params.update(kwargs)
    return await _post(token, "sendMessage", params)
