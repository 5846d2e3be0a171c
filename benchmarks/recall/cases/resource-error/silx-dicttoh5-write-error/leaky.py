"""Write a nested dictionary to an HDF5 file as groups and datasets."""
import h5py
import numpy


def _prepare_hdf5_dataset(value):
    if isinstance(value, str):
        return numpy.string_(value)
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return numpy.array(value, dtype=h5py.special_dtype(vlen=str))
    return numpy.asarray(value)


def dicttoh5(treedict, h5file, h5path="/", mode="w", overwrite_data=False, create_dataset_args=None):
    if not isinstance(h5file, h5py.File):
        h5f = h5py.File(h5file, mode)  # leak
    else:
        h5f = h5file
    if not h5path.endswith("/"):
        h5path += "/"
    for key in treedict:
        if isinstance(treedict[key], dict) and len(treedict[key]):
            dicttoh5(treedict[key], h5f, h5path + key, overwrite_data=overwrite_data, create_dataset_args=create_dataset_args)
        elif treedict[key] is None:
            continue
        else:
            ds_name = h5path + key
            if ds_name in h5f and overwrite_data:
                del h5f[ds_name]
            h5f.create_dataset(ds_name, data=_prepare_hdf5_dataset(treedict[key]), **(create_dataset_args or {}))
    if isinstance(h5file, str):
        h5f.close()
