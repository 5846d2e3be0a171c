import atexit
from collections import OrderedDict

import gdxcc


class GdxSymbol:
    def __init__(self, name, data_type, dims):
        self.name = name
        self.data_type = data_type
        self.dims = dims
        self.dataframe = None


class GdxFile:
    def __init__(self, gams_dir=None, lazy_load=True):
        self.lazy_load = lazy_load
        self._symbols = OrderedDict()
        self._H = gdxcc.new_gdxHandle_tp()
        rc = gdxcc.gdxCreateD(self._H, gams_dir or "", gdxcc.GMS_SSSIZE)
        if not rc[0]:
            raise RuntimeError(rc[1])
        atexit.register(self.cleanup)  # leak

    @property
    def H(self):
        return self._H

    def cleanup(self):
        gdxcc.gdxFree(self.H)

    def read(self, filename):
        gdxcc.gdxOpenRead(self.H, str(filename))
        _, num_symbols, _ = gdxcc.gdxSystemInfo(self.H)
        for index in range(1, num_symbols + 1):
            _, name, dims, data_type = gdxcc.gdxSymbolInfo(self.H, index)
            self._symbols[name] = GdxSymbol(name, data_type, dims)
        return self


def to_dataframe(filename, symbol_name):
    gdx = GdxFile().read(filename)
    return gdx._symbols[symbol_name]
