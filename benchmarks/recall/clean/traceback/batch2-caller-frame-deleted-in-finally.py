"""Looks up a caller's variable through its frame and deletes the frame reference in a finally, so no frame cycle outlives the call."""
import inspect


def caller_variable_name(value, depth: int = 2):
    """Return the name under which the caller (``depth`` frames up) holds ``value``."""
    frame = inspect.currentframe()
    try:
        for _ in range(depth):
            if frame is None:
                return None
            frame = frame.f_back
        if frame is None:
            return None
        for name, candidate in frame.f_locals.items():
            if candidate is value:
                return name
        return None
    finally:
        del frame
