"""The aiohttp session created in __init__ is owned by the client and closed by its async close()/__aexit__, and a caller-supplied session is left to the caller."""
import aiohttp


class WeatherClient:
    BASE_URL = "https://api.example-weather.test/v1"

    def __init__(self, api_key, session=None):
        self.api_key = api_key
        self._owns_session = session is None
        self._session = session if session is not None else aiohttp.ClientSession()

    async def current(self, city):
        params = {"q": city, "key": self.api_key}
        async with self._session.get(f"{self.BASE_URL}/current", params=params) as resp:
            resp.raise_for_status()
            return await resp.json()

    async def close(self):
        if self._owns_session:
            await self._session.close()

    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb):
        await self.close()


async def print_weather(api_key, cities):
    async with WeatherClient(api_key) as client:
        for city in cities:
            print(city, (await client.current(city))["temp_c"])
