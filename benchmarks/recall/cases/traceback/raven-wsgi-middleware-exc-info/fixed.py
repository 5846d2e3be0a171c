"""WSGI middleware that reports unhandled errors to a Sentry client."""
import sys


class Sentry:
    def __init__(self, application, client):
        self.application = application
        self.client = client

    def __call__(self, environ, start_response):
        try:
            iterable = self.application(environ, start_response)
        except Exception:
            # no local holds the traceback in the frame it points back to
            self.handle_exception(sys.exc_info(), environ)
            raise
        return iterable

    def get_http_context(self, environ):
        return {
            "method": environ.get("REQUEST_METHOD"),
            "url": environ.get("PATH_INFO", ""),
            "query_string": environ.get("QUERY_STRING"),
        }

    def handle_exception(self, exc_info, environ):
        event_id = self.client.captureException(
            exc_info=exc_info,
            data={"request": self.get_http_context(environ)},
        )
        environ["sentry.event_id"] = event_id
        return event_id
