"""Page template rendering with error annotation."""
import sys


class RenderError(Exception):
    def __init__(self, original, token, filename):
        super().__init__(f"{original!r} at {token} in {filename}")
        self.original = original


class BaseTemplate:
    filename = "<string>"

    def __init__(self, body):
        self.body = body
        self._render = None

    def cook_check(self):
        if self._render is None:
            self._render = self._compile(self.body)

    def _compile(self, body):
        def render(stream, econtext, rcontext):
            stream.append(body.format(**econtext))
        return render

    def render(self, **__kw):
        econtext = dict(__kw)
        rcontext = {}
        self.cook_check()
        stream = []
        try:
            self._render(stream, econtext, rcontext)
        except:
            cls, exc, tb = sys.exc_info()  # leak
            token = rcontext.get("__error__")
            if token is not None:
                exc = RenderError(exc, token, self.filename)
            raise exc.with_traceback(tb)
        return "".join(stream)
