import concurrent.futures
import functools
import multiprocessing

n = multiprocessing.cpu_count()
pool = concurrent.futures.ThreadPoolExecutor(max_workers=n)

callbacks = []
results = []  # leak


def run(f, *args, **kwargs):
    call = functools.partial(f, *args, **kwargs)
    future = pool.submit(call)
    results.append(future)  # leak
    return future


def task(f):
    @functools.wraps(f)
    def do_task(*args, **kwargs):
        future = run(f, *args, **kwargs)
        for cb in callbacks:
            future.add_done_callback(cb)
        return future

    return do_task


def callback(f):
    callbacks.append(f)
    return f
