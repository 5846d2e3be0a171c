"""Paths of the file system: the calls that build one from another, and pathlib's whole-file methods.

Temporary paths themselves (what creates and removes them) are in
``descriptors``; calls that open a path, in ``resources``.
"""

from __future__ import annotations

from typing import Mapping

# Calls whose result names the same place as the path they are given: by
# module prefix, or by the last part of the name called.
PATH_DERIVING_MODULES = ("os.path.", "pathlib.")
PATH_DERIVING = frozenset(
    {"Path", "PurePath", "fspath", "str", "join", "format", "replace", "strip", "rstrip", "lstrip", "abspath",
     "realpath", "normpath", "expanduser"}
)
# Calls whose value is certainly a path of the file system, as prefixes of
# their qualified names.
PATH_CALLS = ("pathlib.Path", "pathlib.PurePath", "os.path.", "os.fspath", "str")

# ``open()``, as written or by qualified name.
OPENERS = frozenset({"open", "io.open", "builtins.open"})
# Modes of ``open()`` for a whole read or write, and the ``Path`` method that does the same.
WHOLE_FILE_READS: Mapping[str, str] = {"r": "read_text", "rt": "read_text", "rb": "read_bytes", "br": "read_bytes"}
WHOLE_FILE_WRITES: Mapping[str, str] = {
    "w": "write_text", "wt": "write_text", "tw": "write_text", "wb": "write_bytes", "bw": "write_bytes"
}
# Keywords of ``open()`` that ``read_text``/``write_text`` take as well.
TEXT_KEYWORDS = frozenset({"encoding", "errors"})
