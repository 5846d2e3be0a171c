"""Extract printable ASCII and UTF-16LE strings from sample files for YARA rule generation."""
import os
import re

CHUNK_SIZE = 1024 * 1024
ASCII_RE = re.compile(rb"[\x20-\x7e]{6,}")
WIDE_RE = re.compile(rb"(?:[\x20-\x7e]\x00){6,}")


def dump_strings(filePath):
    strings = set()
    with open(filePath, "rb") as filePointer:
        while True:
            chunk = filePointer.read(CHUNK_SIZE)
            if not chunk:
                break
            for found in ASCII_RE.findall(chunk):
                strings.add(found.decode("ascii"))
            for found in WIDE_RE.findall(chunk):
                strings.add(found.decode("utf-16le"))
    return strings


def dump_directory(sample_dir):
    per_file = {}
    for name in sorted(os.listdir(sample_dir)):
        path = os.path.join(sample_dir, name)
        if os.path.isfile(path):
            per_file[name] = dump_strings(path)
    return per_file
