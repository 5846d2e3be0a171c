"""Serial (USB) transport for talking to a MeshCore companion radio."""
import asyncio
import logging

import serial_asyncio

logger = logging.getLogger("meshcore")


class SerialConnection:
    def __init__(self, port, baudrate):
        self.port = port
        self.baudrate = baudrate
        self.transport = None
        self.reader = None
        self._connected_event = asyncio.Event()

    class MCSerialClientProtocol(asyncio.Protocol):
        def __init__(self, cx):
            self.cx = cx

        def connection_made(self, transport):
            self.cx.transport = transport
            self.cx._connected_event.set()

        def data_received(self, data):
            self.cx.handle_rx(data)

        def connection_lost(self, exc):
            self.cx.transport = None

    async def connect(self, timeout=10.0):
        self._connected_event.clear()

        loop = asyncio.get_running_loop()
        transport, _ = await serial_asyncio.create_serial_connection(loop, lambda: self.MCSerialClientProtocol(self), self.port, baudrate=self.baudrate)

        try:
            await asyncio.wait_for(self._connected_event.wait(), timeout=timeout)
        except BaseException:
            transport.close()
            if self.transport is transport:
                self.transport = None
            raise
        logger.info("Serial Connection started")
        return self.port

    def handle_rx(self, data):
        if self.reader is not None:
            asyncio.create_task(self.reader.handle_rx(data))

    async def disconnect(self):
        if self.transport:
            self.transport.close()
            self.transport = None
