"""Unit-string parsing memoised in a functools.lru_cache capped at 512 entries, so the cache cannot grow without bound."""
import re
from functools import lru_cache

_UNIT_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kMGT]?i?B)\s*$")

_FACTORS = {
    "B": 1,
    "kB": 1000,
    "KiB": 1024,
    "MB": 1000 ** 2,
    "MiB": 1024 ** 2,
    "GB": 1000 ** 3,
    "GiB": 1024 ** 3,
    "TB": 1000 ** 4,
    "TiB": 1024 ** 4,
}


@lru_cache(maxsize=512)
def parse_size(text: str) -> int:
    """Turn '512 MiB' into a number of bytes."""
    match = _UNIT_RE.match(text)
    if not match:
        raise ValueError(f"invalid size: {text!r}")
    number, unit = match.groups()
    try:
        return int(float(number) * _FACTORS[unit])
    except KeyError:
        raise ValueError(f"unknown unit in {text!r}") from None


def total_quota(limits):
    return sum(parse_size(limit) for limit in limits)
