"""Async HTTP client used by the SDK's streaming chat/completion calls."""
import json

import aiohttp


class APIError(Exception):
    def __init__(self, error_code, error_msg):
        super().__init__(f"api return error, code: {error_code}, msg: {error_msg}")
        self.error_code = error_code
        self.error_msg = error_msg


class AsyncHTTPClient:
    def __init__(self, request_timeout=60):
        self.request_timeout = request_timeout

    @staticmethod
    def _check_error(body):
        if "error_code" in body:
            raise APIError(body["error_code"], body.get("error_msg", ""))

    async def arequest_stream(self, method, url, headers=None, json_body=None):
        session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.request_timeout))
        try:
            resp = await session.request(method, url, headers=headers, json=json_body)
            try:
                if resp.headers.get("content-type", "").startswith("application/json"):
                    body = await resp.text()
                    self._check_error(json.loads(body))
                    yield json.loads(body)
                else:
                    async for line in resp.content:
                        line = line.strip()
                        if line.startswith(b"data:"):
                            yield json.loads(line[len(b"data:"):])
            finally:
                resp.release()
        finally:
            await session.close()
