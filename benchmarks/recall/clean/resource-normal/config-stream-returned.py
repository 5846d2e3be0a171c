"""Opens a settings file and hands the stream to the caller, who closes it with a with block, so nothing is left open."""
import gzip
import json
import os


def open_settings(path):
    """Return a text stream for a plain or gzip-compressed settings file."""
    if path.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def load_settings(path, defaults=None):
    settings = dict(defaults or {})
    if not os.path.exists(path):
        return settings
    with open_settings(path) as stream:
        settings.update(json.load(stream))
    return settings


def iter_settings_lines(path):
    stream = open_settings(path)
    with stream:
        for line in stream:
            line = line.strip()
            if line and not line.startswith("#"):
                yield line
