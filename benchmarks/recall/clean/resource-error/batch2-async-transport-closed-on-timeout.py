"""Not a leak: the transport returned by create_connection is closed if the handshake wait times out or fails, and otherwise kept by the client, whose close() releases it."""
import asyncio


class _Proto(asyncio.Protocol):
    def __init__(self):
        self.ready = asyncio.Event()
        self.buffer = bytearray()

    def data_received(self, data):
        self.buffer += data
        if b"\n" in self.buffer:
            self.ready.set()


class LineClient:
    def __init__(self):
        self.transport = None
        self.protocol = None

    async def connect(self, host, port, timeout=5.0):
        loop = asyncio.get_running_loop()
        transport, protocol = await loop.create_connection(_Proto, host, port)
        try:
            await asyncio.wait_for(protocol.ready.wait(), timeout)
        except BaseException:
            transport.close()
            raise
        self.transport, self.protocol = transport, protocol

    def close(self):
        if self.transport is not None:
            self.transport.close()
            self.transport = None
