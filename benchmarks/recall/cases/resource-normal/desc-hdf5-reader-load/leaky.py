"""Load saved DESC objects back from HDF5 files."""
import pydoc

import h5py


class hdf5Reader:
    def __init__(self, target):
        self.target = target
        self.base = h5py.File(target, "r")

    def read_obj(self, obj):
        for name, value in self.base.items():
            if name != "__class__" and isinstance(value, h5py.Dataset):
                setattr(obj, name, value[()])

    def close(self):
        self.base.close()


def reader_factory(load_from, file_format):
    if file_format == "hdf5":
        return hdf5Reader(load_from)
    raise NotImplementedError(f"File format {file_format} is not implemented")


def load(load_from, file_format="hdf5"):
    if file_format != "hdf5":
        raise ValueError(f"Unknown file format: {file_format}")
    f = h5py.File(load_from, "r")  # leak
    if "__class__" in f.keys():
        cls_name = f["__class__"][()].decode("utf-8")
        cls = pydoc.locate(cls_name)
        obj = cls.__new__(cls)
        f.close()
        reader = reader_factory(load_from, file_format)  # leak
        reader.read_obj(obj)
    else:
        raise ValueError(f"Could not load from {load_from}, no __class__ attribute found")
    return obj
