"""Optional hyperscan-based matching backend."""
from typing import Optional, Sequence

try:
    import hyperscan
    hyperscan_error: Optional[ImportError] = None
except ImportError as e:
    hyperscan = None
    # Module globals live forever: keep the error, not its traceback and frames.
    hyperscan_error = e.with_traceback(None)


def is_available() -> bool:
    return hyperscan is not None


class HyperscanPsBackend:
    def __init__(self, patterns: Sequence[str]):
        if hyperscan_error is not None:
            raise hyperscan_error
        self._db = hyperscan.Database()
        expressions = [p.encode("utf8") for p in patterns]
        self._db.compile(expressions=expressions, ids=list(range(len(expressions))))

    def match_file(self, path: str) -> bool:
        matched = []
        self._db.scan(path.encode("utf8"), match_event_handler=lambda *args: matched.append(args))
        return bool(matched)
