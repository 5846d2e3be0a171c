"""open() variants that tell the kernel how the file is going to be read."""
import os


def set_advice(fileobj, advice, offset=0, len=0):
    fd = fileobj if isinstance(fileobj, int) else fileobj.fileno()
    os.posix_fadvise(fd, offset, len, advice)


def _open_wrapper(advice, *args, **kwargs):
    len = kwargs.pop("len", 0)
    offset = kwargs.pop("offset", 0)

    fileobj = open(*args, **kwargs)  # leak

    set_advice(fileobj, advice, offset=offset, len=len)

    return fileobj


def sequential(*args, **kwargs):
    return _open_wrapper(os.POSIX_FADV_SEQUENTIAL, *args, **kwargs)


def willneed(*args, **kwargs):
    return _open_wrapper(os.POSIX_FADV_WILLNEED, *args, **kwargs)


def dontneed(*args, **kwargs):
    return _open_wrapper(os.POSIX_FADV_DONTNEED, *args, **kwargs)
