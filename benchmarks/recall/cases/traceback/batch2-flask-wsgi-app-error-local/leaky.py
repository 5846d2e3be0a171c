"""WSGI entry point of a Flask-like application object."""
import sys


class App:
    def __init__(self, name: str) -> None:
        self.name = name

    def request_context(self, environ):
        return RequestContext(self, environ)

    def full_dispatch_request(self):
        raise NotImplementedError

    def handle_exception(self, e):
        return lambda environ, start_response: (start_response("500 INTERNAL SERVER ERROR", []), [b"error"])[1]

    def should_ignore_error(self, error) -> bool:
        return False

    def wsgi_app(self, environ, start_response):
        ctx = self.request_context(environ)
        error = None
        try:
            try:
                ctx.push()
                response = self.full_dispatch_request()
            except Exception as e:
                error = e  # leak
                response = self.handle_exception(e)
            except:  # noqa: E722
                error = sys.exc_info()[1]  # leak
                raise
            return response(environ, start_response)
        finally:
            if error is not None and self.should_ignore_error(error):
                error = None
            ctx.pop(error)

    def __call__(self, environ, start_response):
        return self.wsgi_app(environ, start_response)


class RequestContext:
    def __init__(self, app: App, environ) -> None:
        self.app = app
        self.environ = environ

    def push(self) -> None:
        pass

    def pop(self, exc=None) -> None:
        self.environ = None
