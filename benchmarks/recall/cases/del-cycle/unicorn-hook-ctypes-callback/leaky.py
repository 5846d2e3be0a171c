"""Python binding for the emulator engine: hooks are ctypes callbacks."""
import ctypes
import ctypes.util

_uc = ctypes.CDLL(ctypes.util.find_library("unicorn") or "libunicorn.so.1")

uc_engine = ctypes.c_void_p
uc_hook_h = ctypes.c_size_t
UC_HOOK_CODE = 4
UC_HOOK_CODE_CB = ctypes.CFUNCTYPE(None, uc_engine, ctypes.c_uint64, ctypes.c_size_t, ctypes.c_void_p)


class UcError(Exception):
    pass


class Uc(object):
    def __init__(self, arch, mode):
        self._uch = uc_engine()
        status = _uc.uc_open(arch, mode, ctypes.byref(self._uch))
        if status != 0:
            self._uch = None
            raise UcError(status)
        self._callbacks = {}
        self._ctype_cbs = {}
        self._callback_count = 0

    def __del__(self):
        if self._uch:
            _uc.uc_close(self._uch)
            self._uch = None

    def _hookcode_cb(self, handle, address, size, user_data):
        (cb, data) = self._callbacks[user_data]
        cb(self, address, size, data)

    def hook_add(self, htype, callback, user_data=None, begin=1, end=0):
        self._callback_count += 1
        self._callbacks[self._callback_count] = (callback, user_data)
        self._ctype_cbs[self._callback_count] = UC_HOOK_CODE_CB(self._hookcode_cb)  # leak
        cb = self._ctype_cbs[self._callback_count]
        h = uc_hook_h()
        status = _uc.uc_hook_add(self._uch, ctypes.byref(h), htype, cb, ctypes.cast(self._callback_count, ctypes.c_void_p), ctypes.c_uint64(begin), ctypes.c_uint64(end))
        if status != 0:
            raise UcError(status)
        return h.value

    def hook_del(self, h):
        status = _uc.uc_hook_del(self._uch, uc_hook_h(h))
        if status != 0:
            raise UcError(status)
