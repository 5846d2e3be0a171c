"""The datagram transport is kept and closed in finally, so a timed-out query does not leave its UDP socket open."""
import asyncio


class _QueryProtocol(asyncio.DatagramProtocol):
    def __init__(self, payload, fut):
        self.payload = payload
        self.fut = fut

    def connection_made(self, transport):
        transport.sendto(self.payload)

    def datagram_received(self, data, addr):
        if not self.fut.done():
            self.fut.set_result(data)

    def error_received(self, exc):
        if not self.fut.done():
            self.fut.set_exception(exc)


async def udp_query(host, port, payload, timeout=2.0):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    transport, _ = await loop.create_datagram_endpoint(lambda: _QueryProtocol(payload, fut), remote_addr=(host, port))
    try:
        return await asyncio.wait_for(fut, timeout)
    except asyncio.TimeoutError:
        return None
    finally:
        transport.close()
