"""VK API sessions over an asynchronous HTTP driver."""
import aiohttp


class HttpDriver:
    def __init__(self, timeout=10, loop=None, session=None):
        self.timeout = timeout
        self.session = session if session is not None else aiohttp.ClientSession(loop=loop)  # leak

    async def json(self, url, params, timeout=None):
        async with self.session.get(url, params=params, timeout=timeout or self.timeout) as response:
            return await response.json()

    async def close(self):
        await self.session.close()


class BaseSession:
    API_VERSION = "5.74"
    REQUEST_URL = "https://api.vk.com/method/"

    def __init__(self, access_token=None, driver=None):
        self.access_token = access_token
        self.driver = HttpDriver() if driver is None else driver  # leak

    async def send_api_request(self, method_name, params=None, timeout=None):
        params = dict(params or {}, v=self.API_VERSION)
        if self.access_token:
            params["access_token"] = self.access_token
        response = await self.driver.json(self.REQUEST_URL + method_name, params, timeout)
        if "error" in response:
            raise RuntimeError(response["error"].get("error_msg"))
        return response["response"]

    async def close(self):
        self.access_token = None

    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb):
        await self.close()
