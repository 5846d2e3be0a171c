"""Resolve a filename relative to the test script that called us."""
import inspect
import os


def find_user_file(filename):
    """Searches for the given filename relative to the directory of the caller."""
    if os.path.isabs(filename) and os.path.isfile(filename):
        return filename

    this_dir = os.path.abspath(os.path.dirname(__file__))

    # Take care to delete the frame when we're done with it, see
    # https://docs.python.org/3/library/inspect.html#the-interpreter-stack
    frame = inspect.currentframe()
    try:
        frame = frame.f_back
        while frame:
            caller_path = inspect.getframeinfo(frame).filename
            caller_dir = os.path.abspath(os.path.dirname(caller_path))
            if caller_dir != this_dir:
                resolved = os.path.abspath(os.path.join(caller_dir, filename))
                if os.path.isfile(resolved):
                    return resolved
            frame = frame.f_back
        return None
    finally:
        del frame
