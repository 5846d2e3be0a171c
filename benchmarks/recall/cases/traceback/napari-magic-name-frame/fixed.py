"""Guess the name a caller used for a value (for layer names)."""
import inspect
from typing import Any, Optional


def magic_name(value: Any, *, path_prefix: str) -> Optional[str]:
    """Fetch the name of the variable holding `value` in the first frame outside our package."""
    frame = inspect.currentframe()
    try:
        # skip frames that belong to this package
        while frame and inspect.getfile(frame).startswith(path_prefix):
            frame = frame.f_back

        if frame is None:
            return None

        varmap = frame.f_locals
        names = (*frame.f_code.co_varnames, *frame.f_code.co_names)
        for name in names:
            if name.isidentifier() and name in varmap and varmap[name] is value:
                return name
        return None
    finally:
        # Prevent stack frame leak
        del frame
