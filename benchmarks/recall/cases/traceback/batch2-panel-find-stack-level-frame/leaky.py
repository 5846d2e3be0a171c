"""Warning helpers: point deprecation warnings at the user's code."""
import inspect
import os
import warnings

_PKG_DIR = os.path.dirname(os.path.abspath(__file__))
_TEST_DIR = os.path.join(_PKG_DIR, "tests")


def find_stack_level() -> int:
    """Return the first stack level outside this package (tests excluded)."""
    frame = inspect.currentframe()  # leak
    stacklevel = 0
    while frame:
        fname = inspect.getfile(frame)
        if fname.startswith(_PKG_DIR) and not fname.startswith(_TEST_DIR):
            frame = frame.f_back
            stacklevel += 1
        else:
            break
    return stacklevel


def deprecated(remove_version: str, old: str, new: str) -> None:
    warnings.warn(
        f"{old!r} is deprecated and will be removed in {remove_version}; use {new!r} instead.",
        FutureWarning,
        stacklevel=find_stack_level(),
    )
