"""The raw descriptor from os.open() is handed straight to os.fdopen() inside a with block, and the NamedTemporaryFile(delete=False) path is returned to a caller that unlinks it, so neither leaks."""
import os
import tempfile


def write_private(path, data):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def dump_to_temp(data):
    """Write data to a named temp file and return its path; the caller owns the file."""
    with tempfile.NamedTemporaryFile(delete=False, suffix=".bin") as tmp:
        tmp.write(data)
        return tmp.name


def checksum_via_temp(data, run_tool):
    path = dump_to_temp(data)
    try:
        return run_tool(path)
    finally:
        os.unlink(path)
