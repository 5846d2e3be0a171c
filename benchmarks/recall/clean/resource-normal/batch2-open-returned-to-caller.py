"""Not a leak: open_log() hands the open file to its caller, and every caller closes it with a with statement."""
import gzip
import os


def open_log(path):
    """Open a plain or gzip-compressed log file for reading text."""
    if path.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return open(path, "r", encoding="utf-8", errors="replace")


def count_errors(path):
    with open_log(path) as fh:
        return sum(1 for line in fh if " ERROR " in line)


def summarize(log_dir):
    totals = {}
    for name in sorted(os.listdir(log_dir)):
        if name.endswith((".log", ".log.gz")):
            totals[name] = count_errors(os.path.join(log_dir, name))
    return totals
