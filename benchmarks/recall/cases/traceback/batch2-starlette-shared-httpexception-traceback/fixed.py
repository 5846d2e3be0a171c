"""ASGI exception handling plus the auth dependency that uses it."""
from typing import Awaitable, Callable, Dict, Type


class HTTPException(Exception):
    def __init__(self, status_code: int, detail: str = "") -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.detail = detail


# Auth helpers commonly share one instance across requests.
CREDENTIALS_EXCEPTION = HTTPException(401, "Could not validate credentials")


async def require_user(scope: dict) -> str:
    headers = dict(scope.get("headers") or [])
    token = headers.get(b"authorization", b"").decode()
    if not token.startswith("Bearer "):
        raise CREDENTIALS_EXCEPTION
    return token[len("Bearer "):]


Handler = Callable[[dict, Exception], Awaitable[Callable]]


def wrap_app_handling_exceptions(app, handlers: Dict[Type[Exception], Handler]):
    async def wrapped_app(scope, receive, send):
        response_started = False

        async def sender(message):
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await app(scope, receive, sender)
        except Exception as exc:
            handler = next((h for t, h in handlers.items() if isinstance(exc, t)), None)
            if handler is None:
                raise exc
            if response_started:
                raise RuntimeError("Caught handled exception, but response already started.") from exc
            response = await handler(scope, exc)
            await response(scope, receive, sender)
            # Handled: a long-lived exception must not keep this request's frames alive.
            exc.__traceback__ = None

    return wrapped_app
