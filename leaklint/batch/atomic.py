"""Replacing a file in one step: it is the old file or the new one, never
half written (a cache entry, a baseline, a fixed source file)."""

from __future__ import annotations

import os
import secrets
from typing import Optional, Union


def replace_atomically(
    target: Union[str, "os.PathLike[str]"],
    data: bytes,
    prefix: str,
    suffix: str = "",
    mode: Optional[int] = None,
    durable: bool = False,
) -> None:
    """Write ``data`` to a temporary file beside ``target`` (named
    ``prefix``, the process, a random part and ``suffix``, so that whoever
    lists the folder can tell it), then rename it over ``target``.

    ``mode``: the new file's permissions (None: those of any new file, the
    umask applied). ``durable``: on disk before the rename, for files whose
    loss would lose work (a source file being fixed). The temporary file is
    removed whatever fails; the error is raised."""
    folder = os.path.dirname(os.path.abspath(target))
    temporary = os.path.join(folder, f"{prefix}{os.getpid()}-{secrets.token_hex(8)}{suffix}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
