import ctypes
import ctypes.util
import weakref

_lib = ctypes.CDLL(ctypes.util.find_library("hidapi-libusb") or "libhidapi-libusb.so.0")
_lib.hid_open.restype = ctypes.c_void_p
_lib.hid_open_path.restype = ctypes.c_void_p
_lib.hid_close.argtypes = [ctypes.c_void_p]


def _close_handle(handle):
    _lib.hid_close(handle)


class device:
    def __init__(self):
        self._handle = None
        self._close = None

    def _adopt(self, handle):
        if self._close is not None and self._close.alive:
            _close_handle(handle)
            raise RuntimeError("already open")
        self._handle = handle
        self._close = weakref.finalize(self, _close_handle, handle)

    def open(self, vendor_id=0, product_id=0, serial_number=None):
        handle = _lib.hid_open(vendor_id, product_id, serial_number)
        if not handle:
            raise IOError("open failed")
        self._adopt(handle)

    def open_path(self, path: bytes):
        handle = _lib.hid_open_path(path)
        if not handle:
            raise IOError("open failed")
        self._adopt(handle)

    def write(self, buff: bytes) -> int:
        return _lib.hid_write(ctypes.c_void_p(self._handle), buff, len(buff))

    def close(self):
        if self._close is not None:
            self._close()
        self._handle = None
