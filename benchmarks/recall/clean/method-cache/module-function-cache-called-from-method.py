"""The lru_cache wraps a module-level function that takes only strings, and the method calls it without passing self, so no instance ends up in a cache key."""
from functools import lru_cache
from pathlib import PurePosixPath


@lru_cache(maxsize=256)
def _normalise(path: str) -> str:
    parts = []
    for part in PurePosixPath(path).parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part not in (".", "/"):
            parts.append(part)
    return "/" + "/".join(parts)


class PathMapper:
    def __init__(self, rules):
        self.rules = sorted(rules.items(), key=lambda kv: -len(kv[0]))

    def map_path(self, path):
        norm = _normalise(path)
        for source, dest in self.rules:
            if norm == source or norm.startswith(source.rstrip("/") + "/"):
                return dest + norm[len(source):]
        return norm
