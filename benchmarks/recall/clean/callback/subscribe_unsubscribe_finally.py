"""The message callback is removed in a finally block, so it is unsubscribed on success, timeout and cancellation alike."""
import asyncio


class Connection:
    def __init__(self):
        self._callbacks = []

    def add_message_callback(self, cb):
        self._callbacks.append(cb)

    def remove_message_callback(self, cb):
        self._callbacks.remove(cb)

    def feed(self, msg):
        for cb in list(self._callbacks):
            cb(msg)


async def wait_for_reply(connection: Connection, request_id: int, timeout: float = 10.0):
    loop = asyncio.get_running_loop()
    reply = loop.create_future()

    def on_msg(msg):
        if msg.get("id") == request_id and not reply.done():
            reply.set_result(msg)

    connection.add_message_callback(on_msg)
    try:
        return await asyncio.wait_for(reply, timeout)
    finally:
        connection.remove_message_callback(on_msg)
