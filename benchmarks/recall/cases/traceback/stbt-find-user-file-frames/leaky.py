"""Resolve a filename relative to the test script that called us."""
import inspect
import os


def _iter_frames(depth=1):
    frame = inspect.currentframe()  # leak
    for _ in range(depth + 1):
        frame = frame.f_back
    while frame:
        yield frame
        frame = frame.f_back


def find_user_file(filename):
    """Searches for the given filename relative to the directory of the caller."""
    if os.path.isabs(filename) and os.path.isfile(filename):
        return filename

    this_dir = os.path.abspath(os.path.dirname(__file__))

    for caller in _iter_frames(depth=2):  # leak
        caller_path = inspect.getframeinfo(caller).filename
        caller_dir = os.path.abspath(os.path.dirname(caller_path))
        if caller_dir == this_dir:
            continue
        resolved = os.path.abspath(os.path.join(caller_dir, filename))
        if os.path.isfile(resolved):
            return resolved

    return None
