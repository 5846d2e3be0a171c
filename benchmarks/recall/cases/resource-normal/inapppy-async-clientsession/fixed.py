"""Validate App Store receipts with Apple's verifyReceipt endpoint (asyncio)."""
import aiohttp

api_result_ok = 0
api_result_errors = {21007: "sandbox receipt sent to production", 21008: "production receipt sent to sandbox"}


class InAppPyValidationError(Exception):
    def __init__(self, message=None, raw_response=None):
        super().__init__(message)
        self.raw_response = raw_response


class AppStoreValidator:
    def __init__(self, bundle_id, sandbox=False, auto_retry_wrong_env_request=False, http_timeout=None):
        self.bundle_id = bundle_id
        self.sandbox = sandbox
        self.auto_retry_wrong_env_request = auto_retry_wrong_env_request
        self.http_timeout = http_timeout
        self.url = None

    def _change_url_by_sandbox(self):
        host = "sandbox.itunes.apple.com" if self.sandbox else "buy.itunes.apple.com"
        self.url = f"https://{host}/verifyReceipt"

    async def post_json(self, request_json):
        self._change_url_by_sandbox()
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.http_timeout)) as session:
                async with session.post(self.url, json=request_json) as resp:
                    return await resp.json(content_type=None)
        except (ValueError, aiohttp.ClientError):
            raise InAppPyValidationError("HTTP error")

    async def validate(self, receipt, shared_secret=None, exclude_old_transactions=False):
        receipt_json = {"receipt-data": receipt, "exclude-old-transactions": exclude_old_transactions}
        if shared_secret:
            receipt_json["password"] = shared_secret
        api_response = await self.post_json(receipt_json)
        status = api_response["status"]
        if status in (21007, 21008) and self.auto_retry_wrong_env_request:
            self.sandbox = not self.sandbox
            api_response = await self.post_json(receipt_json)
            status = api_response["status"]
        if status != api_result_ok:
            raise InAppPyValidationError(api_result_errors.get(status, "unknown error"), api_response)
        return api_response
