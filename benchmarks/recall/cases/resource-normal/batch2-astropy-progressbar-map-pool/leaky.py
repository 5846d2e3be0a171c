"""A console progress bar that can also drive a function over many items."""
import multiprocessing
import sys


class ProgressBar:
    def __init__(self, total_or_items, file=None):
        self._total = total_or_items if isinstance(total_or_items, int) else len(total_or_items)
        self._file = file or sys.stdout
        self._current = 0

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self._file.write("\n")
        self._file.flush()

    def update(self, value=None):
        self._current = self._current + 1 if value is None else value
        frac = self._current / float(self._total or 1)
        self._file.write("\r|{0:<40}| {1:5.1f}%".format("=" * int(frac * 40), frac * 100))
        self._file.flush()

    @classmethod
    def map(cls, function, items, multiprocess=False, file=None):
        results = []
        with cls(len(items), file=file) as bar:
            step_size = max(200, bar._total // 100)
            if not multiprocess:
                for i, item in enumerate(items):
                    results.append(function(item))
                    if (i % step_size) == 0:
                        bar.update(i)
            else:
                p = multiprocessing.Pool()  # leak
                for i, out in enumerate(p.imap_unordered(function, items, chunksize=step_size)):
                    bar.update(i)
                    results.append(out)
        return results
