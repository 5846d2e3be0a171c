"""The one-shot request() helper: a fresh session per call."""
from aiohttp import ClientSession, TCPConnector


class _SessionRequestContextManager:
    __slots__ = ("_coro", "_resp", "_session")

    def __init__(self, coro, session):
        self._coro = coro
        self._resp = None
        self._session = session

    async def __aenter__(self):
        self._resp = await self._coro
        return self._resp

    async def __aexit__(self, exc_type, exc, tb):
        self._resp.release()
        await self._session.close()


def request(method, url, *, params=None, data=None, json=None, headers=None, cookies=None, timeout=None, connector=None, loop=None, **kwargs):
    connector_owner = False
    if connector is None:
        connector_owner = True
        connector = TCPConnector(force_close=True)
    session = ClientSession(loop=loop, cookies=cookies, timeout=timeout, connector=connector, connector_owner=connector_owner)  # leak
    return _SessionRequestContextManager(session._request(method, url, params=params, data=data, json=json, headers=headers, **kwargs), session)
