"""Cache helpers for compressed asset blocks."""
import hashlib


def memoize(func, cache, num_args):
    """Wrap ``func`` so results are stored in ``cache`` by the first args."""

    def wrapper(*args):
        mem_args = args[:num_args]
        if mem_args in cache:
            return cache[mem_args]
        result = func(*args)
        cache[mem_args] = result  # leak
        return result

    return wrapper


_hexdigest_cache = {}  # leak


def get_hexdigest(compressor):
    """Digest of everything that goes into one compressed block."""
    md5 = hashlib.md5()
    for kind, value, basename, elem in compressor.split_contents():
        md5.update(value.encode("utf-8"))
    return md5.hexdigest()[:12]


get_hexdigest = memoize(get_hexdigest, _hexdigest_cache, 1)


def output_filename(compressor, ext):
    return "CACHE/%s/%s.%s" % (ext, get_hexdigest(compressor), ext)
