"""Receive loop of an ISO 15118 communication session."""
import asyncio
import gc
import logging

logger = logging.getLogger(__name__)


class V2GCommunicationSession:
    def __init__(self, reader, writer, session_handler_queue):
        self.reader = reader
        self.writer = writer
        self.session_handler_queue = session_handler_queue
        self.stop_reason = None

    async def process_message(self, message: bytes):
        raise NotImplementedError

    async def stop(self, reason: str):
        logger.info("Stopping session: %s", reason)
        self.writer.close()
        await self.writer.wait_closed()

    async def rcv_loop(self, timeout: float):
        while True:
            try:
                message = await asyncio.wait_for(self.reader.read(7000), timeout)
                if message == b"" and self.reader.at_eof():
                    await self.stop(reason="TCP peer closed connection")
                    return
            except (asyncio.TimeoutError, ConnectionResetError) as exc:
                await self.stop(reason=f"{exc.__class__.__name__} occurred")
                return

            gc_was_enabled = gc.isenabled()
            try:
                if gc_was_enabled:
                    gc.disable()
                await self.process_message(message)
            except Exception as exc:
                self.stop_reason = f"{exc.__class__.__name__} while processing message"
                await self.stop(self.stop_reason)
                self.session_handler_queue.put_nowait(self.stop_reason)
                return
            finally:
                if gc_was_enabled:
                    gc.enable()
