"""ctypes bindings for the industrial I/O library: contexts own devices."""
import ctypes
import ctypes.util

_lib = ctypes.CDLL(ctypes.util.find_library("iio") or "libiio.so.0", use_errno=True)
_lib.iio_create_default_context.restype = ctypes.c_void_p
_lib.iio_context_get_devices_count.restype = ctypes.c_uint
_lib.iio_context_get_device.restype = ctypes.c_void_p
_lib.iio_device_get_name.restype = ctypes.c_char_p


class _DeviceOrTrigger(object):
    def __init__(self, ctx, _device):
        self.ctx = ctx  # leak
        self._device = _device
        name = _lib.iio_device_get_name(ctypes.c_void_p(_device))
        self.name = name.decode("ascii") if name else None


class Device(_DeviceOrTrigger):
    def set_kernel_buffers_count(self, count):
        _lib.iio_device_set_kernel_buffers_count(ctypes.c_void_p(self._device), ctypes.c_uint(count))


class Context(object):
    def __init__(self, _context=None):
        if _context is None:
            _context = _lib.iio_create_default_context()
        self._context = _context
        count = _lib.iio_context_get_devices_count(ctypes.c_void_p(self._context))
        self._devices = [Device(self, _lib.iio_context_get_device(ctypes.c_void_p(self._context), i)) for i in range(count)]

    def __del__(self):
        if self._context is not None:
            _lib.iio_context_destroy(ctypes.c_void_p(self._context))
            self._context = None

    @property
    def devices(self):
        return self._devices
