"""A redis connection that reconnects its protocol automatically."""
import asyncio


class RedisProtocol(asyncio.Protocol):
    def __init__(self, *, password=None, db=0, connection_lost_callback=None, loop=None):
        self.password = password
        self.db = db
        self._connection_lost_callback = connection_lost_callback
        self._loop = loop
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def connection_lost(self, exc):
        self.transport = None
        if self._connection_lost_callback:
            self._connection_lost_callback()


class Connection:
    @classmethod
    async def create(cls, host="localhost", port=6379, *, password=None, db=0, auto_reconnect=True, loop=None):
        connection = cls()
        connection.host = host
        connection.port = port
        connection._loop = loop or asyncio.get_event_loop()
        connection._retry_interval = 0.5
        connection._closing = False
        connection._auto_reconnect = auto_reconnect

        def connection_lost():
            if connection._auto_reconnect and not connection._closing:
                connection._loop.create_task(connection._reconnect())

        connection.protocol = RedisProtocol(password=password, db=db, connection_lost_callback=connection_lost, loop=connection._loop)  # leak
        await connection._reconnect()
        return connection

    async def _reconnect(self):
        transport, _ = await self._loop.create_connection(lambda: self.protocol, self.host, self.port)
        self.transport = transport

    def close(self):
        self._closing = True
        if getattr(self.protocol, "transport", None):
            self.protocol.transport.close()

    def __del__(self):
        self.close()
