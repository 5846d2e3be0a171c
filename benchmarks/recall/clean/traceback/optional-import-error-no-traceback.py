"""The optional dependency's ImportError is stored at module level only after with_traceback(None), so the global keeps no frames or locals alive."""
from typing import Any, Optional

try:
    import zstandard
    _zstd_error: Optional[ImportError] = None
except ImportError as exc:
    zstandard = None
    _zstd_error = exc.with_traceback(None)


def compress(data: bytes, level: int = 3) -> bytes:
    if _zstd_error is not None:
        raise RuntimeError("zstandard support is not installed") from _zstd_error
    return zstandard.ZstdCompressor(level=level).compress(data)


def describe() -> Any:
    return {"zstd": zstandard is not None}
