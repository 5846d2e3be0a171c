"""Entry point that runs a Python function through a bytecode interpreter."""
import functools


class InterpreterRuntimeCtx:
    def __init__(self) -> None:
        self.curexc = None
        self.frame_stack = []


class _Signal:
    EXCEPTION_RAISED = object()


def _interpret_call(fn, runtimectx, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        runtimectx.curexc = exc
        return _Signal.EXCEPTION_RAISED


def interpret(fn):
    @functools.wraps(fn)
    def fn_(*args, **kwargs):
        runtimectx = InterpreterRuntimeCtx()
        res = _interpret_call(fn, runtimectx, *args, **kwargs)
        if res is _Signal.EXCEPTION_RAISED:
            e = runtimectx.curexc
            runtimectx.curexc = None
            # Drop our local reference before the exception leaves this frame.
            try:
                raise e
            except Exception:
                del e
                raise
        return res

    return fn_
