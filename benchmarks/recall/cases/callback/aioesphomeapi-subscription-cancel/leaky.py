import asyncio
from typing import Callable

DEFAULT_BLE_TIMEOUT = 30.0


class BluetoothDeviceConnectionResponse:
    def __init__(self, address: int, connected: bool, mtu: int = 0, error: int = 0):
        self.address = address
        self.connected = connected
        self.mtu = mtu
        self.error = error


class APIClient:
    def __init__(self, connection):
        self._connection = connection

    async def bluetooth_device_connect(self, address: int,
                                       on_bluetooth_connection_state: Callable[[bool, int, int], None],
                                       timeout: float = DEFAULT_BLE_TIMEOUT) -> Callable[[], None]:
        loop = asyncio.get_running_loop()
        connect_future = loop.create_future()

        def on_msg(msg) -> None:
            if not isinstance(msg, BluetoothDeviceConnectionResponse) or msg.address != address:
                return
            on_bluetooth_connection_state(msg.connected, msg.mtu, msg.error)
            if not connect_future.done():
                connect_future.set_result(None)

        self._connection.add_message_callback(on_msg)  # leak

        def unsub() -> None:
            self._connection.remove_message_callback(on_msg)

        self._connection.send_message({"type": "bluetooth_device_request", "address": address})
        try:
            await asyncio.wait_for(connect_future, timeout)
        except asyncio.TimeoutError:
            unsub()
            raise
        return unsub
