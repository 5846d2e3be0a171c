"""Process list collector with a per-PID cache of the slow-changing fields."""
import psutil

CACHED_ATTRS = ["cmdline", "username", "nice", "exe"]
FAST_ATTRS = ["pid", "name", "cpu_percent", "memory_percent", "status"]


class GlancesProcesses:
    def __init__(self) -> None:
        self.processlist = []
        # Attributes that rarely change are read once per PID and kept here.
        self.processlist_cache = {}  # leak

    def update(self) -> list:
        processlist = []
        for proc in psutil.process_iter(attrs=FAST_ATTRS):
            info = dict(proc.info)
            pid = info["pid"]
            cached = self.processlist_cache.get(pid)
            if cached is None:
                try:
                    cached = proc.as_dict(attrs=CACHED_ATTRS)
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                self.processlist_cache[pid] = cached  # leak
            info.update(cached)
            processlist.append(info)
        self.processlist = processlist
        return processlist
