"""The caller's frame is only inspected and released in a finally (and the helper returns plain strings), so no frame reference outlives the call."""
import inspect
import logging
import sys


def caller_module_name(depth: int = 1) -> str:
    frame = sys._getframe(depth + 1)
    try:
        return frame.f_globals.get("__name__", "__main__")
    finally:
        del frame


def get_logger() -> logging.Logger:
    return logging.getLogger(caller_module_name())


def caller_location() -> str:
    frame = inspect.currentframe()
    try:
        caller = frame.f_back
        return f"{caller.f_code.co_filename}:{caller.f_lineno}"
    finally:
        del frame
