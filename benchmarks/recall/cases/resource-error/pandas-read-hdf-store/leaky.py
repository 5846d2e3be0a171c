"""Read a pandas object back from an HDF5 file."""
import os
from contextlib import suppress

from pandas.io.pytables import HDFStore


def read_hdf(path_or_buf, key=None, mode="r", errors="strict", where=None, start=None, stop=None, columns=None, iterator=False, chunksize=None, **kwargs):
    if mode not in ["r", "r+", "a"]:
        raise ValueError(f"mode {mode} is not allowed while performing a read. Allowed modes are r, r+ and a.")
    if isinstance(path_or_buf, HDFStore):
        if not path_or_buf.is_open:
            raise OSError("The HDFStore must be open for reading.")
        store = path_or_buf
        auto_close = False
    else:
        path_or_buf = os.fspath(path_or_buf)
        if not os.path.exists(path_or_buf):
            raise FileNotFoundError(f"File {path_or_buf} does not exist")
        store = HDFStore(path_or_buf, mode=mode, errors=errors, **kwargs)  # leak
        auto_close = True
    try:
        if key is None:
            groups = store.groups()
            if len(groups) == 0:
                raise ValueError("Dataset(s) incompatible with Pandas data types, not table, or no datasets found in HDF5 file.")
            key = groups[0]._v_pathname
        return store.select(key, where=where, start=start, stop=stop, columns=columns, iterator=iterator, chunksize=chunksize, auto_close=auto_close)
    except (ValueError, TypeError, LookupError):
        if auto_close:
            with suppress(AttributeError):
                store.close()
        raise
