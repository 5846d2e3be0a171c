"""Run one function over many items in worker processes.

The pool starts once per run. Items go out in chunks balanced by weight
(biggest first, so no worker is left with a big file at the end; small items
grouped so each costs little to send) and results come back as they are done.
A worker that dies (a crash in a native extension, the out-of-memory killer)
does not end the run: every item knows whether it was started, so the items
the pool was busy with when it broke are retried one at a time in a fresh
worker, the one that dies again is reported as a :class:`Failure`, and the
rest go on in a new pool. The function must be defined at module level (it is
sent by name under the ``spawn`` and ``forkserver`` start methods).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

# None: the platform's default start method (fork on Linux). The function and
# its shared argument are passed to each worker once, when it starts.
START_METHOD: Optional[str] = None
# At most this many items in one chunk, and about this many chunks per worker.
MAX_CHUNK = 32
CHUNKS_PER_WORKER = 8

_PENDING, _STARTED, _DONE = 0, 1, 2
DIED = "leaklint's worker process died while linting this file (a crash in native code, or killed)"
Task = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class Failure:
    """The result of an item that could not be processed: why, in one line."""

    reason: str


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def map_unordered(
    function: Task, shared: Any, items: Sequence[Any], weights: Sequence[int], jobs: int
) -> Iterator[Tuple[int, Any]]:
    """``(index, function(shared, items[index]))`` for every item, in no set order.

    An item whose call raised, or whose worker died while on it, yields a
    :class:`Failure`. If no worker process can run at all, the items are
    processed in this process.
    """
    context = multiprocessing.get_context(START_METHOD)
    try:
        state = context.RawArray("b", max(len(items), 1))
    except (OSError, ImportError, NotImplementedError):
        yield from _in_process(function, shared, items, range(len(items)))
        return
    pending = list(range(len(items)))
    while pending:
        unfinished: List[int] = []
        yield from _pool_pass(function, shared, items, weights, pending, jobs, context, state, unfinished)
        if not unfinished:
            return
        suspects = [index for index in unfinished if state[index] == _STARTED]
        if not suspects:  # broke before running anything: workers cannot start here
            yield from _in_process(function, shared, items, unfinished)
            return
        yield from _isolated(function, shared, items, suspects, context, state)
        retried = set(suspects)
        pending = [index for index in unfinished if index not in retried]


def _in_process(function: Task, shared: Any, items: Sequence[Any], indices: Sequence[int]) -> Iterator[Tuple[int, Any]]:
    for index in indices:
        yield index, function(shared, items[index])


def _pool_pass(
    function: Task,
    shared: Any,
    items: Sequence[Any],
    weights: Sequence[int],
    pending: List[int],
    jobs: int,
    context: Any,
    state: Any,
    unfinished: List[int],
) -> Iterator[Tuple[int, Any]]:
    """Run ``pending`` in one pool; if it breaks, ``unfinished`` gets what did not come back."""
    for index in pending:
        state[index] = _PENDING
    chunks = make_chunks(pending, weights, jobs)
    executor = _executor(min(jobs, len(chunks)), function, shared, context, state)
    if executor is None:
        unfinished.extend(pending)
        return
    finished = set()
    try:
        futures: Dict[Future, List[int]] = {}
        with _interrupts_held():  # the workers are forked here
            for chunk in chunks:
                try:
                    futures[executor.submit(_run_chunk, [(index, items[index]) for index in chunk])] = chunk
                except BrokenProcessPool:
                    break  # a worker already died: what was not submitted is unfinished too
        for future in as_completed(futures):
            try:
                results = future.result()
            except BrokenProcessPool:
                continue
            except Exception as exc:  # the chunk or its results could not be sent
                results = [(index, Failure(_describe(exc))) for index in futures[future]]
            for index, result in results:
                finished.add(index)
                yield index, result
    except BaseException:
        _stop(executor)
        raise
    executor.shutdown(wait=True)
    unfinished.extend(index for index in pending if index not in finished)


def _isolated(
    function: Task, shared: Any, items: Sequence[Any], suspects: Sequence[int], context: Any, state: Any
) -> Iterator[Tuple[int, Any]]:
    """Each suspect alone in one worker, so a death names its item."""
    executor: Optional[ProcessPoolExecutor] = None
    try:
        for index in suspects:
            if executor is None:
                executor = _executor(1, function, shared, context, state)
                if executor is None:
                    yield from _in_process(function, shared, items, [index])
                    continue
            try:
                with _interrupts_held():
                    future = executor.submit(_run_chunk, [(index, items[index])])
                yield from future.result()
            except BrokenProcessPool:
                executor.shutdown(wait=True)
                executor = None
                yield index, Failure(DIED)
            except Exception as exc:
                yield index, Failure(_describe(exc))
    except BaseException:
        if executor is not None:
            _stop(executor)
        raise
    if executor is not None:
        executor.shutdown(wait=True)


def make_chunks(indices: Sequence[int], weights: Sequence[int], jobs: int) -> List[List[int]]:
    """``indices`` heaviest first, grouped so that a chunk weighs about
    1/``CHUNKS_PER_WORKER`` of a worker's share (a heavy item goes alone)."""
    order = sorted(indices, key=lambda index: (-weights[index], index))
    total = sum(weights[index] for index in order)
    target = max(total // (max(jobs, 1) * CHUNKS_PER_WORKER), 1)
    chunks: List[List[int]] = []
    current: List[int] = []
    size = 0
    for index in order:
        current.append(index)
        size += weights[index]
        if size >= target or len(current) >= MAX_CHUNK:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    return chunks


def _executor(workers: int, function: Task, shared: Any, context: Any, state: Any) -> Optional[ProcessPoolExecutor]:
    try:
        return ProcessPoolExecutor(
            max(workers, 1), mp_context=context, initializer=_initialize, initargs=(function, shared, state)
        )
    except (OSError, ImportError, NotImplementedError, ValueError):
        return None


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold SIGINT back from this thread while worker processes are forked.

    A KeyboardInterrupt raised in the callbacks that run around ``os.fork()``
    is printed and dropped ("Exception ignored in: ... _releaseLock"): a
    Ctrl-C landing there was lost, the run went on to its end. Held, it is
    raised as soon as the workers exist, where the caller stops them. The
    pool's own threads, started meanwhile, keep the mask, so the signal can
    only come to this thread; the workers start with it held too and then
    ignore SIGINT (see ``_initialize``): the main process decides.
    """
    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _stop(executor: ProcessPoolExecutor) -> None:
    """Interrupted: end the workers now rather than after their current chunk."""
    # No public way to reach the workers or the result pipe before Python 3.14.
    processes = getattr(executor, "_processes", None)
    writer = getattr(getattr(executor, "_result_queue", None), "_writer", None)
    for process in list(processes.values()) if isinstance(processes, dict) else []:
        try:
            process.terminate()
        except (OSError, AttributeError):
            pass
    executor.shutdown(wait=False, cancel_futures=True)
    # A worker ended half-way through sending a result leaves the pool's
    # manager thread reading the rest of the message from a pipe that this
    # process holds open for writing too: it would wait forever, and the
    # interpreter with it at exit (it joins that thread). With this end
    # closed, the read ends (end of file) once the workers are gone.
    if writer is not None:
        try:
            writer.close()
        except OSError:
            pass


def _describe(exc: BaseException) -> str:
    detail = f"{type(exc).__name__}: {exc}".strip().splitlines()[0][:200]
    return f"the worker process failed on this file ({detail})"


# --- in the worker ------------------------------------------------------------------------

_function: Optional[Task] = None
_shared: Any = None
_state: Any = None


def _initialize(function: Task, shared: Any, state: Any) -> None:
    global _function, _shared, _state
    _function, _shared, _state = function, shared, state
    # Ctrl-C reaches the whole process group; the main process stops the
    # workers itself (``_stop``), without a traceback from each of them.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _run_chunk(chunk: List[Tuple[int, Any]]) -> List[Tuple[int, Any]]:
    assert _function is not None
    results = []
    for index, item in chunk:
        _state[index] = _STARTED
        try:
            result = _function(_shared, item)
        except Exception as exc:  # the function should not raise: contain it anyway
            result = Failure(_describe(exc))
        _state[index] = _DONE
        results.append((index, result))
    return results
