"""Read Log ASCII Standard (LAS) well-log files."""
import io
import os
import re


def open_file(file_ref, encoding=None, **kwargs):
    """Return (file-like object, encoding) for a path, an open file or a LAS string."""
    if isinstance(file_ref, str) and "\n" in file_ref:
        return io.StringIO(file_ref), None
    if isinstance(file_ref, str) and os.path.exists(file_ref):
        enc = encoding or "ascii"
        return open(file_ref, "r", encoding=enc, errors="replace"), enc
    return file_ref, getattr(file_ref, "encoding", None)


def read_file_contents(file_obj, ignore_data=False):
    sections = {}
    current = None
    for line_no, line in enumerate(file_obj, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("~"):
            current = line[1:2].upper()
            sections[current] = []
            continue
        if current is None:
            raise ValueError(f"line {line_no}: data before the first ~ section")
        if current == "A" and ignore_data:
            continue
        sections[current].append(re.split(r"\s+", line) if current == "A" else line)
    return sections


class LASFile:
    def __init__(self, file_ref=None, **read_kwargs):
        self.raw_sections = {}
        if file_ref is not None:
            self.read(file_ref, **read_kwargs)

    def read(self, file_ref, ignore_data=False, **kwargs):
        file_obj, self.encoding = open_file(file_ref, **kwargs)

        try:
            self.raw_sections = read_file_contents(file_obj, ignore_data=ignore_data)
        finally:
            if hasattr(file_obj, "close"):
                file_obj.close()

        if len(self.raw_sections) == 0:
            raise KeyError("No ~ sections found. Is this a LAS file?")
