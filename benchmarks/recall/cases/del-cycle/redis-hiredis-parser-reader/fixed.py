"""Response parser for the asyncio client, backed by the hiredis C reader."""
import hiredis


class ResponseError(Exception):
    pass


class InvalidResponse(Exception):
    pass


class BaseParser:
    EXCEPTION_CLASSES = {"ERR": ResponseError}

    @classmethod
    def parse_error(cls, response):
        error_code = response.split(" ")[0]
        if error_code in cls.EXCEPTION_CLASSES:
            response = response[len(error_code) + 1:]
            return cls.EXCEPTION_CLASSES[error_code](response)
        return ResponseError(response)

    def on_disconnect(self):
        raise NotImplementedError

    def __del__(self):
        try:
            self.on_disconnect()
        except Exception:
            pass


class HiredisParser(BaseParser):
    def __init__(self, socket_read_size):
        self._socket_read_size = socket_read_size
        self._stream = None
        self._reader = None

    def on_connect(self, connection):
        self._stream = connection._reader
        self._reader = hiredis.Reader(protocolError=InvalidResponse, replyError=type(self).parse_error)
        self._connected = True

    def on_disconnect(self):
        self._stream = None
        self._reader = None
        self._connected = False

    async def read_response(self):
        while True:
            response = self._reader.gets()
            if response is not False:
                return response
            data = await self._stream.read(self._socket_read_size)
            if not data:
                raise ConnectionError("Connection closed by server.")
            self._reader.feed(data)
