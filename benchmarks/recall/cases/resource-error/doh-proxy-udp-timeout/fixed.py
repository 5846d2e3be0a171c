"""Forward DNS queries from the DoH frontend to an upstream resolver over UDP."""
import asyncio
import logging

import dns.message

DEFAULT_TIMEOUT = 10


class DNSClientProtocolUDP(asyncio.DatagramProtocol):
    def __init__(self, dnsq, fut):
        self.dnsq = dnsq
        self.fut = fut
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport
        self.transport.sendto(self.dnsq.to_wire())

    def datagram_received(self, data, addr):
        if not self.fut.done():
            self.fut.set_result(dns.message.from_wire(data))
        self.transport.close()

    def error_received(self, exc):
        if not self.fut.done():
            self.fut.set_exception(exc)
        self.transport.close()


class DNSClient:
    def __init__(self, upstream_resolver, upstream_port=53, logger=None):
        self.upstream_resolver = upstream_resolver
        self.upstream_port = upstream_port
        self.logger = logger or logging.getLogger(__name__)

    async def query(self, dnsq, timeout=DEFAULT_TIMEOUT):
        loop = asyncio.get_running_loop()
        fut = loop.create_future()
        transport, _ = await loop.create_datagram_endpoint(lambda: DNSClientProtocolUDP(dnsq, fut), remote_addr=(self.upstream_resolver, self.upstream_port))
        try:
            return await self._try_query(fut, dnsq.id, timeout)
        finally:
            transport.close()

    async def _try_query(self, fut, qid, timeout):
        try:
            await asyncio.wait_for(fut, timeout)
        except asyncio.TimeoutError:
            self.logger.debug("Request timed out for query id %s", qid)
            return None
        return fut.result()
