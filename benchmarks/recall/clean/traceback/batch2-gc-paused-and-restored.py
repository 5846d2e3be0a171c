"""Automatic garbage collection is paused only around one bulk load and restored in a finally (only if it was on before), so gc is never left disabled."""
import gc
import json
from contextlib import contextmanager


@contextmanager
def gc_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_catalog(path: str) -> dict:
    with open(path, encoding="utf-8") as fh:
        with gc_paused():
            return json.load(fh)
